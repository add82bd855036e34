import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the unmap. Reported only when the sizes provably differ: two different
 * integer constants (literals, or object-like macros defined to literals in the same file),
 * or `sizeof` of two different types. Different but unknown expressions are not reported.
 */
const cases: RuleCases = {
  rule: 'dma/unmap-size-mismatch',
  valid: [
    {
      name: 'same variable',
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
      name: 'different but unknown expressions are not reported',
      code: c`
        static void foo_tx_one(struct foo_priv *priv, struct sk_buff *skb)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb_headlen(skb), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return;
        	foo_run(priv, h, skb_headlen(skb));
        	dma_unmap_single(priv->dev, h, skb->len, DMA_TO_DEVICE);
        }
      `,
    },
    {
      name: 'same sizeof type',
      code: c`
        static int foo_get_stats(struct foo_priv *priv, struct foo_stats *stats)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, stats, sizeof(struct foo_stats), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, sizeof(struct foo_stats));
        	dma_unmap_single(priv->dev, h, sizeof(*stats), DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'length kept with dma_unmap_len_set and used at unmap',
      code: c`
        static int foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		      void *data, unsigned int len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, data, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, len);
        	return 0;
        }

        static void foo_tx_complete(struct foo_priv *priv, struct foo_tx_buf *tx_buf)
        {
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        			 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        }
      `,
    },
    {
      name: 'macro and the literal it is defined to',
      code: c`
        #define FOO_RX_BUF_LEN	2048

        static int foo_refill(struct foo_priv *priv, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv)) {
        		dma_unmap_single(priv->dev, h, 2048, DMA_FROM_DEVICE);
        		return -ENOSPC;
        	}
        	priv->rx_dma[i] = h;
        	return 0;
        }
      `,
    },
    {
      name: 'page mapped with PAGE_SIZE, unmapped with PAGE_SIZE',
      code: c`
        static void foo_rx_page_done(struct foo_priv *priv, int i)
        {
        	dma_unmap_page(priv->dev, priv->rx_page_dma[i], PAGE_SIZE, DMA_FROM_DEVICE);
        	put_page(priv->rx_page[i]);
        }

        static int foo_rx_page_fill(struct foo_priv *priv, int i, struct page *page)
        {
        	dma_addr_t h = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);

        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->rx_page[i] = page;
        	priv->rx_page_dma[i] = h;
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'two different literals',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, 2048, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, 2048);
        	dma_unmap_single(priv->dev, h, 1536, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'sizeof of two different structs',
      code: c`
        static int foo_exec(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, cmd, sizeof(struct foo_cmd), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, sizeof(struct foo_cmd));
        	dma_unmap_single(priv->dev, h, sizeof(struct foo_resp), DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'two macros defined to different literals in the file',
      code: c`
        #define FOO_RX_BUF_LEN	2048
        #define FOO_TX_BUF_LEN	1024

        static int foo_refill(struct foo_priv *priv, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv)) {
        		dma_unmap_single(priv->dev, h, FOO_TX_BUF_LEN, DMA_FROM_DEVICE);
        		return -ENOSPC;
        	}
        	priv->rx_dma[i] = h;
        	return 0;
        }
      `,
      errors: [{ line: 13 }],
    },
    {
      name: 'cross-function through priv->rx_dma[i] with different literals',
      code: c`
        static int foo_refill(struct foo_priv *priv, int i)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf[i], 2048, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->rx_dma[i] = h;
        	return 0;
        }

        static void foo_clean(struct foo_priv *priv, int i)
        {
        	dma_unmap_single(priv->dev, priv->rx_dma[i], 4096, DMA_FROM_DEVICE);
        }
      `,
      errors: [{ line: 14 }],
    },
    {
      name: 'length stored with dma_unmap_len_set, unmapped with a different literal',
      code: c`
        static int foo_tx_map_hdr(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        			  void *hdr)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, hdr, 64, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, 64);
        	if (foo_ring_full(priv)) {
        		dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma), 128, DMA_TO_DEVICE);
        		return -EBUSY;
        	}
        	return 0;
        }
      `,
      errors: [{ line: 12 }],
    },
    {
      name: 'alias unmapped with sizeof of another struct',
      code: c`
        static int foo_get_stats(struct foo_priv *priv, struct foo_stats *stats)
        {
        	dma_addr_t h, mapping;
        	int ret;

        	h = dma_map_single(priv->dev, stats, sizeof(struct foo_stats), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	ret = foo_run(priv, mapping, sizeof(struct foo_stats));
        	dma_unmap_single(priv->dev, mapping, sizeof(struct foo_stats_v1), DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 11 }],
    },
  ],
};

export default cases;
