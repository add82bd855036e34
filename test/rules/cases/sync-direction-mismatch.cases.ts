import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the sync. A BIDIRECTIONAL mapping may be synced with any direction
 * (dma-debug skips the check); otherwise the sync direction must equal the map direction.
 */
const cases: RuleCases = {
  rule: 'dma/sync-direction-mismatch',
  valid: [
    {
      name: 'BIDIRECTIONAL mapped and synced BIDIRECTIONAL',
      code: c`
        static int foo_mbox_xfer(struct foo_priv *priv)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, priv->mbox, FOO_MBOX_LEN, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, FOO_MBOX_LEN);
        	dma_sync_single_for_cpu(priv->dev, h, FOO_MBOX_LEN, DMA_BIDIRECTIONAL);
        	foo_parse_mbox(priv);
        	dma_sync_single_for_device(priv->dev, h, FOO_MBOX_LEN, DMA_BIDIRECTIONAL);
        	ret = foo_run(priv, h, FOO_MBOX_LEN);
        	dma_unmap_single(priv->dev, h, FOO_MBOX_LEN, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
    },
    {
      name: 'BIDIRECTIONAL mapping synced for cpu with FROM_DEVICE',
      code: c`
        static int foo_poll_status(struct foo_priv *priv)
        {
        	dma_addr_t h;
        	u32 val;

        	h = dma_map_single(priv->dev, priv->status, sizeof(*priv->status),
        			   DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(*priv->status));
        	dma_sync_single_for_cpu(priv->dev, h, sizeof(*priv->status),
        				DMA_FROM_DEVICE);
        	val = le32_to_cpu(priv->status->code);
        	dma_unmap_single(priv->dev, h, sizeof(*priv->status), DMA_BIDIRECTIONAL);
        	return val;
        }
      `,
    },
    {
      name: 'Rx recycle: FROM_DEVICE synced FROM_DEVICE both ways (cross-function)',
      code: c`
        static int foo_refill(struct foo_priv *priv, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->rx_dma[i] = h;
        	return 0;
        }

        static void foo_rx_copybreak(struct foo_priv *priv, int i, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, priv->rx_dma[i], len, DMA_FROM_DEVICE);
        	foo_copy_small(priv, priv->rx_buf[i], len);
        	dma_sync_single_for_device(priv->dev, priv->rx_dma[i], len,
        				   DMA_FROM_DEVICE);
        }
      `,
    },
    {
      name: 'sync with an unknown direction is not reported',
      code: c`
        static void foo_pp_rx(struct foo_priv *priv, struct page *page, unsigned int len)
        {
        	dma_addr_t h = page_pool_get_dma_addr(page);

        	dma_sync_single_for_cpu(priv->dev, h, len,
        				page_pool_get_dma_dir(priv->page_pool));
        	foo_build_skb(priv, page, len);
        }
      `,
    },
    {
      name: 'TO_DEVICE buffer rewritten and synced for device TO_DEVICE',
      code: c`
        static int foo_send_twice(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(*cmd));
        	dma_sync_single_for_cpu(priv->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	cmd->seq++;
        	dma_sync_single_for_device(priv->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	foo_run(priv, h, sizeof(*cmd));
        	dma_unmap_single(priv->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'sg synced with the map direction',
      code: c`
        static void foo_read_done(struct foo_priv *priv, struct scatterlist *sgl,
        			  int nents)
        {
        	dma_sync_sg_for_cpu(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	foo_consume(priv, sgl);
        	dma_sync_sg_for_device(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        }

        static int foo_read_start(struct foo_priv *priv, struct scatterlist *sgl,
        			  int nents)
        {
        	if (!dma_map_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE))
        		return -EIO;
        	return foo_run_sg(priv, sgl, nents);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'sync_for_cpu with TO_DEVICE on a FROM_DEVICE mapping',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_sync_single_for_cpu(priv->dev, h, len, DMA_TO_DEVICE);
        	foo_check(priv, buf);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      output: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
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
      errors: [{ line: 10 }],
    },
    {
      name: 'sync_for_device with FROM_DEVICE on a TO_DEVICE mapping',
      code: c`
        static int foo_send_twice(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(*cmd));
        	cmd->seq++;
        	dma_sync_single_for_device(priv->dev, h, sizeof(*cmd), DMA_FROM_DEVICE);
        	foo_run(priv, h, sizeof(*cmd));
        	dma_unmap_single(priv->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	return 0;
        }
      `,
      output: c`
        static int foo_send_twice(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(*cmd));
        	cmd->seq++;
        	dma_sync_single_for_device(priv->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	foo_run(priv, h, sizeof(*cmd));
        	dma_unmap_single(priv->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'cross-function: rx_dma mapped FROM_DEVICE, synced BIDIRECTIONAL in poll',
      code: c`
        static int foo_refill(struct foo_priv *priv, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->rx_dma[i] = h;
        	return 0;
        }

        static void foo_rx_copybreak(struct foo_priv *priv, int i, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, priv->rx_dma[i], len, DMA_BIDIRECTIONAL);
        	foo_copy_small(priv, priv->rx_buf[i], len);
        	dma_sync_single_for_device(priv->dev, priv->rx_dma[i], len,
        				   DMA_FROM_DEVICE);
        }
      `,
      errors: [{ line: 15 }],
    },
    {
      name: 'sg mapped TO_DEVICE, synced for cpu FROM_DEVICE',
      code: c`
        static int foo_write_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_sync_sg_for_cpu(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      output: c`
        static int foo_write_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_sync_sg_for_cpu(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'range sync through dma_unmap_addr with the wrong direction',
      code: c`
        static int foo_rx_map(struct foo_priv *priv, struct foo_rx_buf *rx_buf)
        {
        	dma_addr_t h;

        	h = dma_map_page(priv->dev, rx_buf->page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(rx_buf, dma, h);
        	return 0;
        }

        static void foo_rx_peek(struct foo_priv *priv, struct foo_rx_buf *rx_buf,
        			unsigned int off, unsigned int len)
        {
        	dma_sync_single_range_for_cpu(priv->dev, dma_unmap_addr(rx_buf, dma), off, len, DMA_TO_DEVICE);
        	foo_parse(priv, page_address(rx_buf->page) + off, len);
        }
      `,
      errors: [{ line: 15 }],
    },
    {
      name: 'alias synced with the wrong direction',
      code: c`
        static int foo_get_stats(struct foo_priv *priv)
        {
        	dma_addr_t h, mapping;

        	h = dma_map_single(priv->dev, priv->stats, sizeof(*priv->stats),
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	foo_run(priv, mapping, sizeof(*priv->stats));
        	dma_sync_single_for_cpu(priv->dev, mapping, sizeof(*priv->stats), DMA_TO_DEVICE);
        	foo_fold_stats(priv);
        	dma_unmap_single(priv->dev, h, sizeof(*priv->stats), DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      output: c`
        static int foo_get_stats(struct foo_priv *priv)
        {
        	dma_addr_t h, mapping;

        	h = dma_map_single(priv->dev, priv->stats, sizeof(*priv->stats),
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	foo_run(priv, mapping, sizeof(*priv->stats));
        	dma_sync_single_for_cpu(priv->dev, mapping, sizeof(*priv->stats), DMA_FROM_DEVICE);
        	foo_fold_stats(priv);
        	dma_unmap_single(priv->dev, h, sizeof(*priv->stats), DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11 }],
    },
  ],
};

export default cases;
