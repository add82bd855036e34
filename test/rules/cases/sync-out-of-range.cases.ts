import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the sync. Reported only when the mapped size and the sync's offset + size
 * are provable constants (or the same sizeof with a positive constant offset) and the
 * sync reaches past the mapping.
 */
const cases: RuleCases = {
  rule: 'dma/sync-out-of-range',
  valid: [
    {
      name: 'whole buffer synced',
      code: c`
        #define FOO_RX_BYTES	2048

        static int foo_rx_poll_one(struct foo_priv *priv, void *buf)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, buf, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	foo_wait_rx(priv, dma);
        	dma_sync_single_for_cpu(priv->dev, dma, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	foo_peek(priv, buf);
        	dma_sync_single_for_device(priv->dev, dma, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	dma_unmap_single(priv->dev, dma, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'range sync ending exactly at the end',
      code: c`
        static void foo_rx_header(struct foo_priv *priv, struct page *page)
        {
        	dma_addr_t dma;

        	dma = dma_map_page(priv->dev, page, 0, SZ_2K, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return;
        	foo_post_rx(priv, dma);
        	dma_sync_single_range_for_cpu(priv->dev, dma, 1024 + 512, 512, DMA_FROM_DEVICE);
        	foo_parse(priv, page);
        	dma_unmap_page(priv->dev, dma, SZ_2K, DMA_FROM_DEVICE);
        }
      `,
    },
    {
      name: 'received length not provable',
      code: c`
        static void foo_rx_done(struct foo_priv *priv, struct foo_rx_buf *rx, unsigned int len)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, rx->data, FOO_RX_BYTES, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return;
        	foo_wait(priv);
        	dma_sync_single_for_cpu(priv->dev, dma, len, DMA_FROM_DEVICE);
        	foo_deliver(priv, rx->data, len);
        	dma_unmap_single(priv->dev, dma, FOO_RX_BYTES, DMA_FROM_DEVICE);
        }
      `,
    },
    {
      name: 'sizeof of the mapped struct, no offset',
      code: c`
        static int foo_get_stats(struct foo_priv *priv, struct foo_stats *stats)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, stats, sizeof(*stats), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	foo_cmd(priv, FOO_CMD_STATS, dma);
        	dma_sync_single_for_cpu(priv->dev, dma, sizeof(struct foo_stats), DMA_FROM_DEVICE);
        	dma_unmap_single(priv->dev, dma, sizeof(*stats), DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'field mapped by another function with the same size',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	void *cmd;
        	dma_addr_t cmd_dma;
        };

        static int foo_map_cmd(struct foo_priv *priv)
        {
        	priv->cmd_dma = dma_map_single(priv->dev, priv->cmd, SZ_512, DMA_TO_DEVICE);
        	return dma_mapping_error(priv->dev, priv->cmd_dma);
        }

        static void foo_send_cmd(struct foo_priv *priv)
        {
        	dma_sync_single_for_device(priv->dev, priv->cmd_dma, 512, DMA_TO_DEVICE);
        	writel(1, priv->regs + FOO_DOORBELL);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'page size synced on a small buffer',
      code: c`
        #define FOO_RESP_BYTES	256

        static int foo_read_resp(struct foo_priv *priv, void *resp)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, resp, FOO_RESP_BYTES, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	foo_issue(priv, dma);
        	dma_sync_single_for_cpu(priv->dev, dma, SZ_4K, DMA_FROM_DEVICE);
        	foo_check_resp(priv, resp);
        	dma_unmap_single(priv->dev, dma, FOO_RESP_BYTES, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /mapping is FOO_RESP_BYTES bytes/, severity: 'error' }],
    },
    {
      name: 'range sync past the end',
      code: c`
        static void foo_rx_trailer(struct foo_priv *priv, struct page *page)
        {
        	dma_addr_t dma;

        	dma = dma_map_page(priv->dev, page, 0, 2048, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return;
        	foo_post_rx(priv, dma);
        	dma_sync_single_range_for_cpu(priv->dev, dma, 1536, 1024, DMA_FROM_DEVICE);
        	foo_parse(priv, page);
        	dma_unmap_page(priv->dev, dma, 2048, DMA_FROM_DEVICE);
        }
      `,
      errors: [{ line: 9, message: /at offset 1536/ }],
    },
    {
      name: 'whole struct synced at a positive offset',
      code: c`
        static int foo_get_counters(struct foo_priv *priv, struct foo_counters *cnt)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(priv->dev, cnt, sizeof(*cnt), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, dma))
        		return -ENOMEM;
        	foo_cmd(priv, FOO_CMD_COUNTERS, dma);
        	dma_sync_single_range_for_cpu(priv->dev, dma, 8, sizeof(struct foo_counters), DMA_FROM_DEVICE);
        	dma_unmap_single(priv->dev, dma, sizeof(*cnt), DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'sync in another function larger than the mapping',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	void *cmd;
        	dma_addr_t cmd_dma;
        };

        static int foo_map_cmd(struct foo_priv *priv)
        {
        	priv->cmd_dma = dma_map_single(priv->dev, priv->cmd, SZ_512, DMA_TO_DEVICE);
        	return dma_mapping_error(priv->dev, priv->cmd_dma);
        }

        static void foo_send_cmd(struct foo_priv *priv)
        {
        	dma_sync_single_for_device(priv->dev, priv->cmd_dma, SZ_1K, DMA_TO_DEVICE);
        	writel(1, priv->regs + FOO_DOORBELL);
        }
      `,
      errors: [{ line: 15, message: /foo_map_cmd\(\) mapped with size SZ_512/ }],
    },
  ],
};

export default cases;
