import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the sync. A streaming sync given the handle of coherent or pool memory,
 * in the same function or through a struct field filled by another function.
 */
const cases: RuleCases = {
  rule: 'dma/sync-coherent-memory',
  valid: [
    {
      name: 'coherent ring read with a barrier, no sync',
      code: c`
        static int foo_poll_status(struct foo_priv *priv)
        {
        	struct foo_desc *ring;
        	dma_addr_t ring_dma;
        	u32 status;

        	ring = dma_alloc_coherent(priv->dev, FOO_RING_BYTES, &ring_dma, GFP_KERNEL);
        	if (!ring)
        		return -ENOMEM;
        	foo_start_ring(priv, ring_dma);
        	status = le32_to_cpu(READ_ONCE(ring[0].status));
        	dma_rmb();
        	dma_free_coherent(priv->dev, FOO_RING_BYTES, ring, ring_dma);
        	return status;
        }
      `,
    },
    {
      name: 'non-coherent allocation needs its syncs',
      code: c`
        static int foo_read_eeprom(struct foo_priv *priv, u8 *out)
        {
        	dma_addr_t dma;
        	u8 *buf;
        	int ret;

        	buf = dma_alloc_noncoherent(priv->dev, FOO_EE_BYTES, &dma, DMA_FROM_DEVICE, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	dma_sync_single_for_device(priv->dev, dma, FOO_EE_BYTES, DMA_FROM_DEVICE);
        	ret = foo_dma_read(priv, dma, FOO_EE_BYTES);
        	dma_sync_single_for_cpu(priv->dev, dma, FOO_EE_BYTES, DMA_FROM_DEVICE);
        	memcpy(out, buf, FOO_EE_BYTES);
        	dma_free_noncoherent(priv->dev, FOO_EE_BYTES, buf, dma, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'streaming mapping synced',
      code: c`
        static void foo_rx_one(struct foo_priv *priv, struct foo_rx_buf *rx, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, rx->dma, len, DMA_FROM_DEVICE);
        	foo_deliver(priv, rx->data, len);
        	dma_sync_single_for_device(priv->dev, rx->dma, FOO_RX_BYTES, DMA_FROM_DEVICE);
        }

        static int foo_rx_fill(struct foo_priv *priv, struct foo_rx_buf *rx)
        {
        	rx->dma = dma_map_single(priv->dev, rx->data, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, rx->dma))
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
    {
      name: 'field filled by a streaming map in one function and a coherent alloc in another',
      code: c`
        static int foo_setup_small(struct foo_priv *priv)
        {
        	priv->buf_dma = dma_map_single(priv->dev, priv->small, 64, DMA_TO_DEVICE);
        	return dma_mapping_error(priv->dev, priv->buf_dma);
        }

        static int foo_setup_big(struct foo_priv *priv)
        {
        	priv->big = dma_alloc_coherent(priv->dev, SZ_64K, &priv->buf_dma, GFP_KERNEL);
        	return priv->big ? 0 : -ENOMEM;
        }

        static void foo_kick(struct foo_priv *priv)
        {
        	dma_sync_single_for_device(priv->dev, priv->buf_dma, 64, DMA_TO_DEVICE);
        	writel(1, priv->regs + FOO_KICK);
        }
      `,
    },
    {
      name: 'page pool style mapping of a page, not coherent memory',
      code: c`
        static int foo_post_page(struct foo_ring *r, struct page *page)
        {
        	dma_addr_t dma;

        	dma = dma_map_page(r->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(r->dev, dma))
        		return -ENOMEM;
        	dma_sync_single_for_device(r->dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
        	foo_ring_post(r, dma);
        	return 0;
        }
      `,
    },
    {
      name: 'coherent allocation with a non-coherent fallback into the same handle',
      code: c`
        static int foo_attach(struct foo_host *host, struct device *dev)
        {
        	dma_addr_t script_dma;
        	u8 *mem;

        	mem = dma_alloc_coherent(dev, FOO_MEM_BYTES, &script_dma, GFP_KERNEL);
        	if (!mem)
        		mem = dma_alloc_noncoherent(dev, FOO_MEM_BYTES, &script_dma, DMA_BIDIRECTIONAL, GFP_KERNEL);
        	if (!mem)
        		return -ENOMEM;
        	foo_load_script(host, mem);
        	dma_sync_single_for_device(dev, script_dma, FOO_SCRIPT_BYTES, DMA_TO_DEVICE);
        	host->script_dma = script_dma;
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'coherent ring synced for the cpu',
      code: c`
        static int foo_poll_status(struct foo_priv *priv)
        {
        	struct foo_desc *ring;
        	dma_addr_t ring_dma;
        	u32 status;

        	ring = dma_alloc_coherent(priv->dev, FOO_RING_BYTES, &ring_dma, GFP_KERNEL);
        	if (!ring)
        		return -ENOMEM;
        	foo_start_ring(priv, ring_dma);
        	dma_sync_single_for_cpu(priv->dev, ring_dma, FOO_RING_BYTES, DMA_FROM_DEVICE);
        	status = le32_to_cpu(ring[0].status);
        	dma_free_coherent(priv->dev, FOO_RING_BYTES, ring, ring_dma);
        	return status;
        }
      `,
      errors: [{ line: 11, message: /dma_alloc_coherent/, severity: 'warning' }],
    },
    {
      name: 'pool descriptor synced for the device',
      code: c`
        static int foo_prep_desc(struct foo_chan *chan, dma_addr_t src, size_t len)
        {
        	struct foo_hw_desc *hw;
        	dma_addr_t phys;

        	hw = dma_pool_zalloc(chan->pool, GFP_NOWAIT, &phys);
        	if (!hw)
        		return -ENOMEM;
        	hw->src = cpu_to_le64(src);
        	hw->len = cpu_to_le32(len);
        	dma_sync_single_for_device(chan->dev, phys, sizeof(*hw), DMA_TO_DEVICE);
        	foo_chan_push(chan, hw, phys);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /dma_pool_zalloc/ }],
    },
    {
      name: 'write-combined buffer synced with a range sync',
      code: c`
        static void foo_fill_fb(struct foo_priv *priv, const void *src, size_t off, size_t len)
        {
        	dma_addr_t fb_dma;
        	void *fb;

        	fb = dma_alloc_wc(priv->dev, FOO_FB_BYTES, &fb_dma, GFP_KERNEL);
        	if (!fb)
        		return;
        	memcpy(fb + off, src, len);
        	dma_sync_single_range_for_device(priv->dev, fb_dma, off, len, DMA_TO_DEVICE);
        	foo_scanout(priv, fb_dma);
        }
      `,
      errors: [{ line: 10, message: /dma_alloc_wc/ }],
    },
    {
      name: 'coherent buffer allocated in probe, synced in the stats worker',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	struct foo_stats *stats;
        	dma_addr_t stats_dma;
        };

        static int foo_probe_stats(struct foo_priv *priv)
        {
        	priv->stats = dma_alloc_coherent(priv->dev, sizeof(*priv->stats), &priv->stats_dma, GFP_KERNEL);
        	if (!priv->stats)
        		return -ENOMEM;
        	return 0;
        }

        static void foo_stats_work(struct foo_priv *priv)
        {
        	dma_sync_single_for_cpu(priv->dev, priv->stats_dma, sizeof(*priv->stats), DMA_FROM_DEVICE);
        	foo_update_counters(priv, priv->stats);
        }
      `,
      errors: [{ line: 17, message: /foo_probe_stats\(\) allocated with dma_alloc_coherent/ }],
    },
  ],
};

export default cases;
