import { c, type RuleCases } from '../rule-tester';

/** Finding line: the sync / unmap call whose handle argument is not a DMA address. */
const cases: RuleCases = {
  rule: 'dma/sync-non-dma-handle',
  valid: [
    {
      name: 'the handle returned by the map',
      code: c`
        static int foo_read_block(struct foo_priv *priv, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_sync_single_for_cpu(priv->dev, h, len, DMA_FROM_DEVICE);
        	foo_check(priv, buf);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'sg_dma_address of a mapped segment',
      code: c`
        static void foo_sync_first_seg(struct foo_priv *priv, struct scatterlist *sg)
        {
        	dma_sync_single_for_cpu(priv->dev, sg_dma_address(sg), sg_dma_len(sg), DMA_FROM_DEVICE);
        	foo_peek(priv, sg_virt(sg));
        }
      `,
    },
    {
      name: 'dma_unmap_addr home',
      code: c`
        static void foo_rx_peek(struct foo_priv *priv, struct foo_rx_buf *rx_buf,
        			unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, dma_unmap_addr(rx_buf, mapping), len, DMA_FROM_DEVICE);
        	foo_parse(priv, rx_buf->data, len);
        	dma_unmap_single(priv->dev, dma_unmap_addr(rx_buf, mapping), dma_unmap_len(rx_buf, len), DMA_FROM_DEVICE);
        }
      `,
    },
    {
      name: 'handle plus an offset, and a dma_addr_t parameter',
      code: c`
        static void foo_sync_payload(struct foo_priv *priv, dma_addr_t base, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, base + FOO_HDR_LEN, len, DMA_FROM_DEVICE);
        	dma_sync_single_range_for_device(priv->dev, base, FOO_HDR_LEN, len, DMA_FROM_DEVICE);
        }
      `,
    },
    {
      name: 'page_pool DMA address',
      code: c`
        static void foo_pp_rx(struct foo_priv *priv, struct page *page, unsigned int len)
        {
        	dma_addr_t h = page_pool_get_dma_addr(page);

        	dma_sync_single_for_cpu(priv->dev, h + FOO_RX_HEADROOM, len, DMA_FROM_DEVICE);
        	foo_build_skb(priv, page, len);
        }
      `,
    },
    {
      name: 'handle from a ring array field',
      code: c`
        static void foo_rx_done(struct foo_priv *priv, int i, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, priv->rx_dma[i], len, DMA_FROM_DEVICE);
        	foo_copy_small(priv, priv->rx_buf[i], len);
        	dma_sync_single_for_device(priv->dev, priv->rx_dma[i], len, DMA_FROM_DEVICE);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'virt_to_phys of the buffer',
      code: c`
        static void foo_rx_peek(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_sync_single_for_cpu(priv->dev, virt_to_phys(buf), len, DMA_FROM_DEVICE);
        	foo_parse(priv, buf, len);
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: '__pa of the buffer',
      code: c`
        static void foo_tx_flush(struct foo_priv *priv, struct foo_desc *ring, size_t len)
        {
        	dma_sync_single_for_device(priv->dev, __pa(ring), len, DMA_TO_DEVICE);
        	writel(FOO_TX_GO, priv->regs + FOO_TX_CTRL);
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'CPU pointer passed where the handle belongs',
      code: c`
        static int foo_read_block(struct foo_priv *priv, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_sync_single_for_cpu(priv->dev, (dma_addr_t)buf, len, DMA_FROM_DEVICE);
        	foo_check(priv, buf);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'unmap given virt_to_phys',
      code: c`
        static void foo_cmd_done(struct foo_priv *priv)
        {
        	void *cmd = priv->cmd_buf;

        	dma_unmap_single(priv->dev, virt_to_phys(cmd), FOO_CMD_LEN, DMA_TO_DEVICE);
        	complete(&priv->cmd_done);
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'void * local passed as the handle without a cast',
      code: c`
        static void foo_sync_status(struct foo_priv *priv)
        {
        	void *status = priv->status;

        	dma_sync_single_for_cpu(priv->dev, status, FOO_STATUS_LEN, DMA_FROM_DEVICE);
        	foo_handle_status(priv, status);
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'page_to_phys of the mapped page',
      code: c`
        static void foo_rx_page_peek(struct foo_priv *priv, struct page *page, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, page_to_phys(page), len, DMA_FROM_DEVICE);
        	foo_parse(priv, page_address(page), len);
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'alias of virt_to_phys under if',
      code: c`
        static void foo_sync_hdr(struct foo_priv *priv, u8 *hdr, bool partial)
        {
        	dma_addr_t addr = virt_to_phys(hdr);

        	if (partial)
        		dma_sync_single_for_cpu(priv->dev, addr, FOO_HDR_LEN, DMA_FROM_DEVICE);
        	foo_parse_hdr(priv, hdr);
        }
      `,
      errors: [{ line: 6 }],
    },
  ],
};

export default cases;
