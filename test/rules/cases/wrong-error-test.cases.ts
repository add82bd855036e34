import { c, type RuleCases } from '../rule-tester';

/** Finding line: the wrong test (the condition), not the map call. */
const cases: RuleCases = {
  rule: 'dma/wrong-error-test',
  valid: [
    {
      name: 'handle tested with dma_mapping_error',
      code: c`
        static int foo_map_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->cmd_dma = h;
        	return 0;
        }
      `,
    },
    {
      name: 'dma_map_sg count tested with !n',
      code: c`
        static int foo_prep_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int n;

        	n = dma_map_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n) {
        		dev_err(priv->dev, "sg mapping failed\n");
        		return -EIO;
        	}
        	priv->mapped_nents = n;
        	priv->orig_nents = nents;
        	return 0;
        }
      `,
    },
    {
      name: 'dma_map_sg count tested with == 0 inline',
      code: c`
        static int foo_prep_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	if (dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE) == 0)
        		return -ENOMEM;
        	priv->orig_nents = nents;
        	return 0;
        }
      `,
    },
    {
      // `<= 0` on the count is redundant but correct: it catches the only failure value, 0.
      // Common in drivers/crypto; reporting it would be a false positive.
      name: 'dma_map_sg count tested with <= 0 (catches 0, so correct)',
      code: c`
        static int foo_cipher_prepare(struct foo_req *req)
        {
        	int nr_sgs;

        	nr_sgs = dma_map_sg(req->dev, req->src, req->src_nents, DMA_TO_DEVICE);
        	if (nr_sgs <= 0 || nr_sgs > FOO_MAX_SG)
        		return -EINVAL;
        	req->nr_sgs = nr_sgs;
        	return 0;
        }
      `,
    },
    {
      name: 'dma_map_sgtable tested with ret < 0',
      code: c`
        static int foo_map_buffer(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	if (ret < 0)
        		return ret;
        	priv->sgt = sgt;
        	return 0;
        }
      `,
    },
    {
      name: 'dma_map_sgtable tested with if (ret)',
      code: c`
        static int foo_map_buffer(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_TO_DEVICE, 0);
        	if (ret) {
        		dev_err(priv->dev, "failed to map sg table: %d\n", ret);
        		goto err_free;
        	}
        	priv->sgt = sgt;
        	return 0;

        err_free:
        	sg_free_table(sgt);
        	return ret;
        }
      `,
    },
    {
      name: 'coherent CPU pointer tested with !buf',
      code: c`
        static int foo_alloc_ring(struct foo_priv *priv)
        {
        	priv->ring = dma_alloc_coherent(priv->dev, FOO_RING_BYTES, &priv->ring_dma,
        					GFP_KERNEL);
        	if (!priv->ring)
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
    {
      name: 'teardown tests a zero-initialised handle field as a "was mapped" flag',
      code: c`
        static void foo_free_tx_buf(struct foo_priv *priv, struct foo_tx_buf *tx_buf)
        {
        	if (dma_unmap_addr(tx_buf, dma)) {
        		dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        				 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        		dma_unmap_addr_set(tx_buf, dma, 0);
        	}
        	dev_kfree_skb_any(tx_buf->skb);
        	tx_buf->skb = NULL;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'handle tested with !h',
      code: c`
        static int foo_map_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (!h)
        		return -ENOMEM;
        	priv->cmd_dma = h;
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'handle tested with == 0',
      code: c`
        static int foo_rx_refill_one(struct foo_priv *priv, unsigned int i)
        {
        	struct page *page = dev_alloc_page();
        	dma_addr_t mapping;

        	if (!page)
        		return -ENOMEM;
        	mapping = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (mapping == 0) {
        		__free_page(page);
        		return -ENOMEM;
        	}
        	priv->rx_page[i] = page;
        	priv->rx_ring[i].addr = cpu_to_le64(mapping);
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'dma_map_sg result tested with < 0 inline',
      code: c`
        static int foo_prep_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	if (dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE) < 0)
        		return -ENOMEM;
        	priv->orig_nents = nents;
        	return 0;
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'dma_map_sg count stored then tested with < 0',
      code: c`
        static int foo_prep_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int ret;

        	ret = dma_map_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (ret < 0) {
        		dev_err(priv->dev, "dma_map_sg failed: %d\n", ret);
        		return ret;
        	}
        	priv->mapped_nents = ret;
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'dma_map_sgtable == 0 treated as failure',
      code: c`
        static int foo_map_buffer(struct foo_priv *priv, struct sg_table *sgt)
        {
        	if (dma_map_sgtable(priv->dev, sgt, DMA_TO_DEVICE, 0) == 0)
        		goto err;
        	priv->sgt = sgt;
        	return 0;

        err:
        	dev_err(priv->dev, "failed to map sg table\n");
        	return -ENOMEM;
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'dma_map_sgtable result stored then tested with !ret',
      code: c`
        static int foo_map_buffer(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_FROM_DEVICE, 0);
        	if (!ret)
        		return -EIO;
        	priv->sgt = sgt;
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'alias of the handle tested with !mapping',
      code: c`
        static int foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		      struct sk_buff *skb)
        {
        	dma_addr_t h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	dma_addr_t mapping = h;

        	if (!mapping)
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, mapping);
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'handle kept in dma_unmap_addr home, tested with !dma_unmap_addr()',
      code: c`
        static int foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		      struct sk_buff *skb)
        {
        	dma_unmap_addr_set(tx_buf, dma,
        			   dma_map_single(priv->dev, skb->data, skb->len,
        					  DMA_TO_DEVICE));
        	if (!dma_unmap_addr(tx_buf, dma))
        		return -ENOMEM;
        	dma_unmap_len_set(tx_buf, len, skb->len);
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'open-coded == DMA_MAPPING_ERROR is info',
      code: c`
        static int foo_map_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (h == DMA_MAPPING_ERROR)
        		return -ENOMEM;
        	priv->cmd_dma = h;
        	return 0;
        }
      `,
      errors: [{ line: 6, severity: 'info' }],
    },
  ],
};

export default cases;
