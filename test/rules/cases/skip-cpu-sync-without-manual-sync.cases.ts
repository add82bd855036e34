import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the device use (map side) or the unmap (unmap side). Judged only where
 * the code between the map and that event is straight-line enough that no path can
 * contain a sync; any call whose name contains "sync" in between counts as one.
 */
const cases: RuleCases = {
  rule: 'dma/skip-cpu-sync-without-manual-sync',
  valid: [
    {
      name: 'skip at map, explicit sync for device before the doorbell',
      code: c`
        static int foo_tx_cmd(struct foo_priv *priv, void *cmd, size_t len)
        {
        	dma_addr_t dma;

        	dma = dma_map_single_attrs(priv->dev, cmd, len, DMA_TO_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	foo_fill_cmd(cmd, len);
        	dma_sync_single_for_device(priv->dev, dma, len, DMA_TO_DEVICE);
        	writel(lower_32_bits(dma), priv->regs + FOO_CMD_ADDR);
        	writel(FOO_GO, priv->regs + FOO_CMD_CTRL);
        	return 0;
        }
      `,
    },
    {
      name: 'skip at unmap after a sync for the cpu',
      code: c`
        static int foo_rx_frame(struct foo_priv *priv, struct page *page, unsigned int len)
        {
        	dma_addr_t dma;

        	dma = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	writel(lower_32_bits(dma), priv->regs + FOO_RX_ADDR);
        	foo_wait_rx(priv);
        	dma_sync_single_for_cpu(priv->dev, dma, len, DMA_FROM_DEVICE);
        	dma_unmap_page_attrs(priv->dev, dma, PAGE_SIZE, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	foo_build_skb(priv, page, len);
        	return 0;
        }
      `,
    },
    {
      name: 'skip at map, handle stored for a refill path that syncs',
      code: c`
        static int foo_alloc_rx_page(struct foo_ring *r, struct foo_rx_slot *slot)
        {
        	struct page *page = dev_alloc_page();

        	if (!page)
        		return -ENOMEM;
        	slot->dma = dma_map_page_attrs(r->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(r->dev, slot->dma)) {
        		__free_page(page);
        		return -ENOMEM;
        	}
        	slot->page = page;
        	return 0;
        }
      `,
    },
    {
      name: 'skip at unmap in teardown, data discarded',
      code: c`
        static void foo_drop_rx(struct foo_priv *priv, void *buf)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, buf, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return;
        	writel(lower_32_bits(dma), priv->regs + FOO_RX_ADDR);
        	foo_wait_rx(priv);
        	dma_unmap_single_attrs(priv->dev, dma, FOO_RX_BYTES, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	kfree(buf);
        }
      `,
    },
    {
      name: 'second mapping of a buffer the first mapping already cleaned',
      code: c`
        static int foo_mirror(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t a, b;

        	a = dma_map_single(priv->dev_a, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev_a, a))
        		return -ENOMEM;
        	b = dma_map_single_attrs(priv->dev_b, buf, len, DMA_TO_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(priv->dev_b, b)) {
        		dma_unmap_single(priv->dev_a, a, len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	writel(lower_32_bits(a), priv->regs_a + FOO_SRC);
        	writel(lower_32_bits(b), priv->regs_b + FOO_SRC);
        	return 0;
        }
      `,
    },
    {
      name: 'skip at map of a FROM_DEVICE buffer',
      code: c`
        static int foo_post_rx(struct foo_priv *priv, void *buf)
        {
        	dma_addr_t dma;

        	dma = dma_map_single_attrs(priv->dev, buf, FOO_RX_BYTES, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	writel(lower_32_bits(dma), priv->regs + FOO_RX_ADDR);
        	return 0;
        }
      `,
    },
    {
      name: 'zero page mapped with skip for a fill descriptor',
      code: c`
        static int foo_spi_setup_fill(struct foo_spi *fs, struct dma_chan *tx)
        {
        	fs->fill_addr = dma_map_page_attrs(tx->device->dev, ZERO_PAGE(0), 0, sizeof(u32),
        					   DMA_TO_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(tx->device->dev, fs->fill_addr))
        		return -ENOMEM;
        	fs->fill_desc = dmaengine_prep_dma_cyclic(tx, fs->fill_addr, sizeof(u32), 0,
        						  DMA_MEM_TO_DEV, 0);
        	return fs->fill_desc ? 0 : -ENOMEM;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'skip at map, straight to the doorbell',
      code: c`
        static int foo_tx_cmd(struct foo_priv *priv, void *cmd, size_t len)
        {
        	dma_addr_t dma;

        	foo_fill_cmd(cmd, len);
        	dma = dma_map_single_attrs(priv->dev, cmd, len, DMA_TO_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	writel(lower_32_bits(dma), priv->regs + FOO_CMD_ADDR);
        	writel(upper_32_bits(dma), priv->regs + FOO_CMD_ADDR_HI);
        	writel(FOO_GO, priv->regs + FOO_CMD_CTRL);
        	return 0;
        }
      `,
      errors: [{ line: 9, message: /DMA_ATTR_SKIP_CPU_SYNC/, severity: 'warning' }],
    },
    {
      name: 'skip at map, handed to a dmaengine prep call',
      code: c`
        static int foo_dma_write(struct foo_priv *priv, struct page *page, size_t len)
        {
        	struct dma_async_tx_descriptor *tx;
        	dma_addr_t dma;

        	dma = dma_map_page_attrs(priv->dev, page, 0, len, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	tx = dmaengine_prep_slave_single(priv->chan, dma, len, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
        	if (!tx) {
        		dma_unmap_page(priv->dev, dma, len, DMA_BIDIRECTIONAL);
        		return -EIO;
        	}
        	dmaengine_submit(tx);
        	dma_async_issue_pending(priv->chan);
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'skip at unmap, no sync for the cpu, data read afterwards',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, u32 *crc)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, buf, FOO_BLOCK_BYTES, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	writel(lower_32_bits(dma), priv->regs + FOO_RD_ADDR);
        	foo_wait_done(priv);
        	dma_unmap_single_attrs(priv->dev, dma, FOO_BLOCK_BYTES, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	*crc = crc32_le(~0, buf, FOO_BLOCK_BYTES);
        	return 0;
        }
      `,
      errors: [{ line: 10, message: /swiotlb's copy-back/ }],
    },
    {
      name: 'skip at unmap of a bidirectional page, page handed on afterwards',
      code: c`
        static int foo_xfer_page(struct foo_priv *priv, struct page *page)
        {
        	dma_addr_t dma;
        	int ret;

        	dma = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	ret = foo_run_xfer(priv, dma);
        	dma_unmap_page_attrs(priv->dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
        	if (!ret)
        		foo_consume(priv, page);
        	return ret;
        }
      `,
      errors: [{ line: 10 }],
    },
  ],
};

export default cases;
