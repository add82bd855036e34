import { c, type RuleCases } from '../rule-tester';

/** Finding line: the unmap or sync of the handle whose mapping failed. */
const cases: RuleCases = {
  rule: 'dma/unmap-error-handle',
  valid: [
    {
      name: 'failure returns without unmapping; success unmaps',
      code: c`
        static int foo_exec_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'second mapping fails, label unmaps only the first',
      code: c`
        static int foo_xfer(struct foo_priv *priv, void *tx, void *rx, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t tx_dma, rx_dma;
        	int ret;

        	tx_dma = dma_map_single(dev, tx, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, tx_dma))
        		return -ENOMEM;
        	rx_dma = dma_map_single(dev, rx, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, rx_dma)) {
        		ret = -ENOMEM;
        		goto err_unmap_tx;
        	}
        	ret = foo_run_xfer(priv, tx_dma, rx_dma, len);
        	dma_unmap_single(dev, rx_dma, len, DMA_FROM_DEVICE);
        err_unmap_tx:
        	dma_unmap_single(dev, tx_dma, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'unmap guarded by !dma_mapping_error',
      code: c`
        static int foo_probe_dma(struct foo_priv *priv)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, priv->scratch, FOO_SCRATCH_LEN,
        			   DMA_BIDIRECTIONAL);
        	ret = foo_selftest(priv, h);
        	if (!dma_mapping_error(priv->dev, h))
        		dma_unmap_single(priv->dev, h, FOO_SCRATCH_LEN, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
    },
    {
      name: 'failed sg map returns; unmap only on the mapped path',
      code: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!count) {
        		ret = -EIO;
        		goto out;
        	}
        	ret = foo_run_sg(priv, sgl, count);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        out:
        	return ret;
        }
      `,
    },
    {
      name: 'loop unwind starts below the failed slot',
      code: c`
        static int foo_map_rx_bufs(struct foo_priv *priv, dma_addr_t *addrs)
        {
        	int i;

        	for (i = 0; i < FOO_RX_RING_SIZE; i++) {
        		addrs[i] = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        					  DMA_FROM_DEVICE);
        		if (dma_mapping_error(priv->dev, addrs[i]))
        			goto err_unwind;
        	}
        	return 0;

        err_unwind:
        	while (--i >= 0)
        		dma_unmap_single(priv->dev, addrs[i], FOO_RX_BUF_LEN,
        				 DMA_FROM_DEVICE);
        	return -ENOMEM;
        }
      `,
    },
    {
      name: 'failed sgtable map returns the error',
      code: c`
        static int foo_map_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_TO_DEVICE, 0);
        	if (ret)
        		return ret;
        	ret = foo_run_table(priv, sgt);
        	dma_unmap_sgtable(priv->dev, sgt, DMA_TO_DEVICE, 0);
        	return ret;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'unmap inside the dma_mapping_error branch',
      code: c`
        static int foo_exec_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	ret = foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'mapping error jumps to the shared unmapping label',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		ret = -ENOMEM;
        		goto err_unmap;
        	}
        	ret = foo_run(priv, h, len);
        	if (ret)
        		goto err_unmap;
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return 0;

        err_unmap:
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 18 }],
    },
    {
      name: 'second mapping fails and jumps to the label that unmaps it',
      code: c`
        static int foo_xfer(struct foo_priv *priv, void *tx, void *rx, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t tx_dma, rx_dma;
        	int ret;

        	tx_dma = dma_map_single(dev, tx, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, tx_dma))
        		return -ENOMEM;
        	rx_dma = dma_map_single(dev, rx, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, rx_dma)) {
        		ret = -ENOMEM;
        		goto err_unmap_rx;
        	}
        	ret = foo_run_xfer(priv, tx_dma, rx_dma, len);
        err_unmap_rx:
        	dma_unmap_single(dev, rx_dma, len, DMA_FROM_DEVICE);
        	dma_unmap_single(dev, tx_dma, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 17 }],
    },
    {
      name: 'failed handle stored with dma_unmap_addr_set, unmapped from there',
      code: c`
        static int foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		      struct sk_buff *skb)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, skb->len);
        	if (dma_mapping_error(priv->dev, h))
        		goto err;
        	tx_buf->skb = skb;
        	return 0;

        err:
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        			 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        	return -ENOMEM;
        }
      `,
      errors: [{ line: 15 }],
    },
    {
      name: 'failed dma_map_sg unmapped on the error path',
      code: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count) {
        		ret = -EIO;
        		goto out_unmap;
        	}
        	ret = foo_run_sg(priv, sgl, count);
        out_unmap:
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 12 }],
    },
    {
      name: 'failed sgtable map synced on the error path',
      code: c`
        static int foo_map_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_FROM_DEVICE, 0);
        	if (ret < 0) {
        		dma_sync_sgtable_for_cpu(priv->dev, sgt, DMA_FROM_DEVICE);
        		return ret;
        	}
        	return foo_run_table(priv, sgt);
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'failed alias unmapped',
      code: c`
        static int foo_map_frame(struct foo_priv *priv, struct foo_frame *f)
        {
        	dma_addr_t h = dma_map_single(priv->dev, f->data, f->len, DMA_TO_DEVICE);
        	dma_addr_t mapping = h;

        	if (dma_mapping_error(priv->dev, h)) {
        		dma_unmap_single(priv->dev, mapping, f->len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	f->dma = mapping;
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
  ],
};

export default cases;
