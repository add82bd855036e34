import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the unmap. Directions are compared only when both are known constants
 * (directly, through a local assigned a constant, or through the same-file summary of the
 * handle's home, e.g. `priv->rx_dma[]` of a `struct foo_priv *`).
 */
const cases: RuleCases = {
  rule: 'dma/unmap-direction-mismatch',
  valid: [
    {
      name: 'same direction in the same function',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'both use the same unknown direction parameter',
      code: c`
        static int foo_xfer(struct foo_priv *priv, void *buf, size_t len,
        		    enum dma_data_direction dir)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, dir);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, dir);
        	return ret;
        }
      `,
    },
    {
      name: 'unknown map direction against a constant is not reported',
      code: c`
        static void foo_req_done(struct foo_priv *priv, struct foo_req *req)
        {
        	dma_unmap_single(priv->dev, req->dma, req->len, DMA_TO_DEVICE);
        	req->done(req);
        }

        static int foo_req_map(struct foo_priv *priv, struct foo_req *req)
        {
        	req->dma = dma_map_single(priv->dev, req->buf, req->len, req->dir);
        	if (dma_mapping_error(priv->dev, req->dma))
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
    {
      name: 'direction chosen by a conditional and reused',
      code: c`
        static int foo_rw(struct foo_priv *priv, void *buf, size_t len, bool write)
        {
        	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, dir);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len, write);
        	dma_unmap_single(priv->dev, h, len, dir);
        	return ret;
        }
      `,
    },
    {
      name: 'cross-function: refill and clean agree',
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

        static void foo_clean(struct foo_priv *priv, int i)
        {
        	dma_unmap_single(priv->dev, priv->rx_dma[i], FOO_RX_BUF_LEN,
        			 DMA_FROM_DEVICE);
        }
      `,
    },
    {
      name: 'cross-function: different fields are different homes',
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

        static void foo_tx_clean(struct foo_priv *priv, int i)
        {
        	dma_unmap_single(priv->dev, priv->tx_dma[i], priv->tx_len[i],
        			 DMA_TO_DEVICE);
        }
      `,
    },
    {
      name: 'cross-function: same field name in different struct types',
      code: c`
        static int foo_rx_refill(struct foo_rx_ring *rx, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(rx->dev, rx->buf[i], FOO_BUF_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(rx->dev, h))
        		return -ENOMEM;
        	rx->dma[i] = h;
        	return 0;
        }

        static void foo_tx_clean(struct foo_tx_ring *tx, int i)
        {
        	dma_unmap_single(tx->dev, tx->dma[i], FOO_BUF_LEN, DMA_TO_DEVICE);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'same function: mapped FROM_DEVICE, unmapped TO_DEVICE',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
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
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'cross-function: foo_refill maps FROM_DEVICE, foo_clean unmaps TO_DEVICE',
      code: c`
        static int foo_refill(struct foo_priv *priv, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->rx_dma[i] = h;
        	priv->rx_ring[i].addr = cpu_to_le64(h);
        	return 0;
        }

        static void foo_clean(struct foo_priv *priv)
        {
        	int i;

        	for (i = 0; i < FOO_RX_RING_SIZE; i++)
        		dma_unmap_single(priv->dev, priv->rx_dma[i], FOO_RX_BUF_LEN, DMA_TO_DEVICE);
        }
      `,
      errors: [{ line: 19 }],
    },
    {
      name: 'cross-function through dma_unmap_addr: tx mapped TO_DEVICE, completed FROM_DEVICE',
      code: c`
        static int foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		      struct sk_buff *skb)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, skb->len);
        	return 0;
        }

        static void foo_tx_complete(struct foo_priv *priv, struct foo_tx_buf *tx_buf)
        {
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma), dma_unmap_len(tx_buf, len), DMA_FROM_DEVICE);
        	dev_consume_skb_any(tx_buf->skb);
        }
      `,
      errors: [{ line: 16 }],
    },
    {
      name: 'sg mapped BIDIRECTIONAL, unmapped FROM_DEVICE',
      code: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      output: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'direction held in a local assigned a constant',
      code: c`
        static int foo_fetch(struct foo_priv *priv, void *buf, size_t len)
        {
        	enum dma_data_direction dir = DMA_TO_DEVICE;
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, dir);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 11 }],
    },
    {
      name: 'unmapped through an alias with another direction on the error path',
      code: c`
        static int foo_send(struct foo_priv *priv, struct page *page, size_t len)
        {
        	dma_addr_t h, mapping;

        	h = dma_map_page(priv->dev, page, 0, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	if (foo_run(priv, mapping, len)) {
        		dma_unmap_page(priv->dev, mapping, len, DMA_BIDIRECTIONAL);
        		return -EIO;
        	}
        	dma_unmap_page(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      output: c`
        static int foo_send(struct foo_priv *priv, struct page *page, size_t len)
        {
        	dma_addr_t h, mapping;

        	h = dma_map_page(priv->dev, page, 0, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	if (foo_run(priv, mapping, len)) {
        		dma_unmap_page(priv->dev, mapping, len, DMA_TO_DEVICE);
        		return -EIO;
        	}
        	dma_unmap_page(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 10 }],
    },
  ],
};

export default cases;
