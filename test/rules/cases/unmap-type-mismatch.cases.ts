import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the unmap / free. Cross-family (sg vs single/page, coherent vs streaming,
 * resource vs page) is an error; single vs page (including skb_frag_dma_map, which is a
 * page mapping) is a warning.
 */
const cases: RuleCases = {
  rule: 'dma/unmap-type-mismatch',
  valid: [
    {
      name: 'single mapped, single unmapped',
      code: c`
        static int foo_exec(struct foo_priv *priv, void *buf, size_t len)
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
      name: 'page mapped, page unmapped; frag mapped, page unmapped',
      code: c`
        static int foo_xmit_frag(struct foo_priv *priv, skb_frag_t *frag,
        			 struct page *hdr_page)
        {
        	dma_addr_t hdr, data;
        	int ret;

        	hdr = dma_map_page(priv->dev, hdr_page, 0, FOO_HDR_LEN, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, hdr))
        		return -ENOMEM;
        	data = skb_frag_dma_map(priv->dev, frag, 0, skb_frag_size(frag),
        				DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, data)) {
        		ret = -ENOMEM;
        		goto err_unmap_hdr;
        	}
        	ret = foo_run2(priv, hdr, data);
        	dma_unmap_page(priv->dev, data, skb_frag_size(frag), DMA_TO_DEVICE);
        err_unmap_hdr:
        	dma_unmap_page(priv->dev, hdr, FOO_HDR_LEN, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'sg mapped, sg unmapped; sgtable mapped, sgtable unmapped',
      code: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents,
        		     struct sg_table *sgt)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = dma_map_sgtable(priv->dev, sgt, DMA_FROM_DEVICE, 0);
        	if (ret)
        		goto err_unmap_sg;
        	ret = foo_run_sg(priv, sgl, count, sgt);
        	dma_unmap_sgtable(priv->dev, sgt, DMA_FROM_DEVICE, 0);
        err_unmap_sg:
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'coherent allocated, coherent freed (probe/remove)',
      code: c`
        static int foo_alloc_ring(struct foo_priv *priv)
        {
        	priv->ring = dma_alloc_coherent(priv->dev, FOO_RING_BYTES, &priv->ring_dma,
        					GFP_KERNEL);
        	if (!priv->ring)
        		return -ENOMEM;
        	return 0;
        }

        static void foo_free_ring(struct foo_priv *priv)
        {
        	dma_free_coherent(priv->dev, FOO_RING_BYTES, priv->ring, priv->ring_dma);
        }
      `,
    },
    {
      name: 'attrs variants pair with their own family',
      code: c`
        static void foo_rx_unmap(struct foo_priv *priv, dma_addr_t h)
        {
        	dma_unmap_single_attrs(priv->dev, h, FOO_RX_BUF_LEN, DMA_FROM_DEVICE,
        			       DMA_ATTR_SKIP_CPU_SYNC);
        }

        static int foo_rx_map(struct foo_priv *priv, void *buf, dma_addr_t *out)
        {
        	dma_addr_t h;

        	h = dma_map_single_attrs(priv->dev, buf, FOO_RX_BUF_LEN, DMA_FROM_DEVICE,
        				 DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	*out = h;
        	return 0;
        }
      `,
    },
    {
      name: 'resource mapped, resource unmapped',
      code: c`
        static int foo_map_fifo(struct foo_priv *priv, phys_addr_t fifo)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_resource(priv->chan_dev, fifo, 4, DMA_BIDIRECTIONAL, 0);
        	if (dma_mapping_error(priv->chan_dev, h))
        		return -ENOMEM;
        	ret = foo_config_slave(priv, h);
        	if (ret)
        		dma_unmap_resource(priv->chan_dev, h, 4, DMA_BIDIRECTIONAL, 0);
        	return ret;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'sg mapped, first segment unmapped with dma_unmap_single',
      code: c`
        static int foo_do_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_unmap_single(priv->dev, sg_dma_address(sgl), sg_dma_len(sgl),
        			 DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 9, severity: 'error' }],
    },
    {
      name: 'coherent buffer released with dma_unmap_single',
      code: c`
        static int foo_selftest(struct foo_priv *priv)
        {
        	dma_addr_t buf_dma;
        	void *buf;
        	int ret;

        	buf = dma_alloc_coherent(priv->dev, PAGE_SIZE, &buf_dma, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	ret = foo_run(priv, buf_dma, PAGE_SIZE);
        	dma_unmap_single(priv->dev, buf_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
      errors: [{ line: 11, severity: 'error' }],
    },
    {
      name: 'streaming mapping freed with dma_free_coherent',
      code: c`
        static int foo_exec(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, len);
        	dma_free_coherent(priv->dev, len, buf, h);
        	return ret;
        }
      `,
      errors: [{ line: 10, severity: 'error' }],
    },
    {
      name: 'dma_map_page unmapped with dma_unmap_single is a warning',
      code: c`
        static int foo_rx_fill(struct foo_priv *priv, int i, struct page *page)
        {
        	dma_addr_t h;

        	h = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv)) {
        		dma_unmap_single(priv->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
        		return -ENOSPC;
        	}
        	priv->rx_page_dma[i] = h;
        	return 0;
        }
      `,
      output: c`
        static int foo_rx_fill(struct foo_priv *priv, int i, struct page *page)
        {
        	dma_addr_t h;

        	h = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv)) {
        		dma_unmap_page(priv->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
        		return -ENOSPC;
        	}
        	priv->rx_page_dma[i] = h;
        	return 0;
        }
      `,
      errors: [{ line: 9, severity: 'warning' }],
    },
    {
      name: 'skb_frag_dma_map unmapped with dma_unmap_single is a warning',
      code: c`
        static int foo_map_frag(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        			skb_frag_t *frag)
        {
        	dma_addr_t h;

        	h = skb_frag_dma_map(priv->dev, frag, 0, skb_frag_size(frag), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, skb_frag_size(frag));
        	return 0;
        }

        static void foo_unmap_frag(struct foo_priv *priv, struct foo_tx_buf *tx_buf)
        {
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma), dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        }
      `,
      errors: [{ line: 16, severity: 'warning' }],
    },
    {
      name: 'dma_map_resource unmapped with dma_unmap_page',
      code: c`
        static int foo_map_fifo(struct foo_priv *priv, phys_addr_t fifo)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_resource(priv->chan_dev, fifo, 4, DMA_BIDIRECTIONAL, 0);
        	if (dma_mapping_error(priv->chan_dev, h))
        		return -ENOMEM;
        	ret = foo_config_slave(priv, h);
        	if (ret)
        		dma_unmap_page(priv->chan_dev, h, 4, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
      errors: [{ line: 11, severity: 'error' }],
    },
    {
      name: 'cross-function: coherent ring in probe, dma_unmap_single in remove',
      code: c`
        static int foo_alloc_ring(struct foo_priv *priv)
        {
        	priv->ring = dma_alloc_coherent(priv->dev, FOO_RING_BYTES, &priv->ring_dma,
        					GFP_KERNEL);
        	if (!priv->ring)
        		return -ENOMEM;
        	return 0;
        }

        static void foo_free_ring(struct foo_priv *priv)
        {
        	dma_unmap_single(priv->dev, priv->ring_dma, FOO_RING_BYTES,
        			 DMA_BIDIRECTIONAL);
        	priv->ring = NULL;
        }
      `,
      errors: [{ line: 12, severity: 'error' }],
    },
  ],
};

export default cases;
