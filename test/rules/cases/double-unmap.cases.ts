import { c, type RuleCases } from '../rule-tester';

/** Finding line: the second unmap on the path (the first one is a related site). */
const cases: RuleCases = {
  rule: 'dma/double-unmap',
  valid: [
    {
      name: 'unmap on the error branch that returns, and once on success',
      code: c`
        static int foo_exec_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	if (foo_wait_done(priv)) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return -ETIMEDOUT;
        	}
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'unmap, remap into the same variable, unmap again',
      code: c`
        static int foo_two_phase(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'ring clean loop unmaps a different element each iteration',
      code: c`
        static void foo_free_rx_ring(struct foo_priv *priv)
        {
        	int i;

        	for (i = 0; i < FOO_RX_RING_SIZE; i++) {
        		if (!priv->rx_skb[i])
        			continue;
        		dma_unmap_single(priv->dev, priv->rx_dma[i], FOO_RX_BUF_LEN,
        				 DMA_FROM_DEVICE);
        		dev_kfree_skb(priv->rx_skb[i]);
        		priv->rx_skb[i] = NULL;
        	}
        }
      `,
    },
    {
      name: 'second unmap guarded by a flag cleared at the first',
      code: c`
        static int foo_xfer(struct foo_priv *priv, void *buf, size_t len)
        {
        	bool mapped = false;
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapped = true;
        	ret = foo_run(priv, h, len);
        	if (ret == -EAGAIN) {
        		dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        		mapped = false;
        		ret = foo_run_pio(priv, buf, len);
        	}
        	if (mapped)
        		dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'rx and tx handles unmapped once each',
      code: c`
        static void foo_stop_xfer(struct foo_priv *priv)
        {
        	dma_unmap_single(priv->dev, priv->tx_dma, priv->tx_len, DMA_TO_DEVICE);
        	dma_unmap_single(priv->dev, priv->rx_dma, priv->rx_len, DMA_FROM_DEVICE);
        	priv->tx_len = 0;
        	priv->rx_len = 0;
        }
      `,
    },
    {
      name: 'unmap through dma_unmap_addr, home cleared, teardown tests it',
      code: c`
        static void foo_tx_complete_one(struct foo_priv *priv, struct foo_tx_buf *tx_buf)
        {
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        			 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        	dma_unmap_len_set(tx_buf, len, 0);
        	dev_consume_skb_any(tx_buf->skb);
        	tx_buf->skb = NULL;
        	if (dma_unmap_len(tx_buf, len))
        		dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        				 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'error branch unmaps and then jumps to a label that unmaps again',
      code: c`
        static int foo_exec_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	ret = foo_wait_done(priv);
        	if (ret) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		goto err_unmap;
        	}
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;

        err_unmap:
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 19 }],
    },
    {
      name: 'unmap before a status check that jumps to the unmapping label',
      code: c`
        static int foo_read_reply(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	if (ret)
        		goto err_unmap;
        	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
        	ret = foo_check_reply(priv, buf);
        	if (ret)
        		goto err_unmap;
        	return 0;

        err_unmap:
        	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 20 }],
    },
    {
      name: 'dma_unmap_addr home unmapped in a branch and again unconditionally',
      code: c`
        static void foo_tx_complete_one(struct foo_priv *priv, struct foo_tx_buf *tx_buf)
        {
        	if (tx_buf->skb) {
        		dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        				 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        		dev_consume_skb_any(tx_buf->skb);
        		tx_buf->skb = NULL;
        	}
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        			 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        	dma_unmap_len_set(tx_buf, len, 0);
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'unmapped once by name and once through an alias',
      code: c`
        static int foo_send(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h, mapping;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	ret = foo_run(priv, mapping, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	if (ret)
        		dma_unmap_single(priv->dev, mapping, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 13 }],
    },
    {
      name: 'sg list unmapped twice',
      code: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (ret < 0) {
        		dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        		return ret;
        	}
        	return 0;
        }
      `,
      errors: [{ line: 11 }],
    },
    {
      name: 'cross-function: completion unmaps priv->rx_dma, stop path unmaps it again',
      code: c`
        static void foo_rx_done(struct foo_priv *priv)
        {
        	dma_unmap_single(priv->dev, priv->rx_dma, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	foo_deliver(priv, priv->rx_buf);
        }

        static void foo_stop(struct foo_priv *priv)
        {
        	if (readl(priv->regs + FOO_STATUS) & FOO_RX_DONE)
        		foo_rx_done(priv);
        	dma_unmap_single(priv->dev, priv->rx_dma, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        }
      `,
      errors: [{ line: 11 }],
    },
  ],
};

export default cases;
