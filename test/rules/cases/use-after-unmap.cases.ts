import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the use (sync, descriptor/register write of the handle) after the unmap.
 * A second unmap after an unmap is dma/double-unmap's case and is not exercised here.
 */
const cases: RuleCases = {
  rule: 'dma/use-after-unmap',
  valid: [
    {
      name: 'sync before unmap',
      code: c`
        static void foo_rx_one(struct foo_priv *priv, unsigned int i, unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, priv->rx_dma[i], len, DMA_FROM_DEVICE);
        	foo_peek_header(priv, priv->rx_buf[i]);
        	dma_unmap_single(priv->dev, priv->rx_dma[i], FOO_RX_BUF_LEN,
        			 DMA_FROM_DEVICE);
        	foo_deliver(priv, priv->rx_buf[i], len);
        }
      `,
    },
    {
      name: 'unmap, remap, then sync and program the new handle',
      code: c`
        static int foo_rx_recycle(struct foo_priv *priv, unsigned int i)
        {
        	dma_addr_t h = priv->rx_dma[i];

        	dma_unmap_single(priv->dev, h, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	foo_deliver(priv, priv->rx_buf[i], FOO_RX_BUF_LEN);
        	h = dma_map_single(priv->dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        			   DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_sync_single_for_device(priv->dev, h, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	priv->rx_dma[i] = h;
        	priv->rx_ring[i].addr = cpu_to_le64(h);
        	return 0;
        }
      `,
    },
    {
      name: 'CPU reads the buffer after unmap (the CPU owns it then)',
      code: c`
        static int foo_read_id(struct foo_priv *priv, u8 *buf)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, FOO_ID_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, FOO_ID_LEN);
        	dma_unmap_single(priv->dev, h, FOO_ID_LEN, DMA_FROM_DEVICE);
        	if (ret)
        		return ret;
        	return buf[0] == FOO_ID_MAGIC ? 0 : -ENODEV;
        }
      `,
    },
    {
      name: 'handle printed after unmap',
      code: c`
        static void foo_tx_done(struct foo_priv *priv, dma_addr_t h, size_t len)
        {
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	dev_dbg(priv->dev, "tx done %pad len %zu\n", &h, len);
        }
      `,
    },
    {
      name: 'handle homes cleared after unmap',
      code: c`
        static void foo_tx_clean_one(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        			     struct foo_desc *desc)
        {
        	dma_unmap_single(priv->dev, dma_unmap_addr(tx_buf, dma),
        			 dma_unmap_len(tx_buf, len), DMA_TO_DEVICE);
        	dma_unmap_addr_set(tx_buf, dma, 0);
        	dma_unmap_len_set(tx_buf, len, 0);
        	desc->addr = 0;
        	desc->ctrl = 0;
        }
      `,
    },
    {
      name: 'unmap and sync on mutually exclusive branches',
      code: c`
        static void foo_rx_handle(struct foo_priv *priv, unsigned int i, unsigned int len)
        {
        	if (len < FOO_COPYBREAK) {
        		dma_sync_single_for_cpu(priv->dev, priv->rx_dma[i], len,
        					DMA_FROM_DEVICE);
        		foo_copy_small(priv, priv->rx_buf[i], len);
        		dma_sync_single_for_device(priv->dev, priv->rx_dma[i], len,
        					   DMA_FROM_DEVICE);
        	} else {
        		dma_unmap_single(priv->dev, priv->rx_dma[i], FOO_RX_BUF_LEN,
        				 DMA_FROM_DEVICE);
        		foo_deliver(priv, priv->rx_buf[i], len);
        	}
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'sync for cpu after unmap',
      code: c`
        static int foo_read_status(struct foo_priv *priv)
        {
        	dma_unmap_single(priv->dev, priv->status_dma, sizeof(*priv->status),
        			 DMA_FROM_DEVICE);
        	dma_sync_single_for_cpu(priv->dev, priv->status_dma, sizeof(*priv->status),
        				DMA_FROM_DEVICE);
        	return le32_to_cpu(priv->status->code);
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'handle written to a descriptor after unmap',
      code: c`
        static void foo_rx_requeue(struct foo_priv *priv, unsigned int i)
        {
        	struct foo_desc *desc = &priv->rx_ring[i];
        	dma_addr_t h = priv->rx_dma[i];

        	dma_unmap_single(priv->dev, h, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	foo_deliver(priv, priv->rx_buf[i], FOO_RX_BUF_LEN);
        	desc->addr = cpu_to_le64(h);
        	desc->ctrl = cpu_to_le32(FOO_RX_BUF_LEN | FOO_DESC_OWN);
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'handle programmed into a register and doorbell rung after unmap',
      code: c`
        static int foo_retry_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	if (!foo_wait_done(priv))
        		goto out;
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	foo_reset_engine(priv);
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	writel(FOO_CMD_GO, priv->regs + FOO_CMD_CTRL);
        	return -EAGAIN;
        out:
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 13 }],
    },
    {
      name: 'sync through dma_unmap_addr after unmap through dma_unmap_addr',
      code: c`
        static void foo_rx_one(struct foo_priv *priv, struct foo_rx_buf *rx_buf,
        		       unsigned int len)
        {
        	dma_unmap_single(priv->dev, dma_unmap_addr(rx_buf, dma),
        			 FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	dma_sync_single_for_cpu(priv->dev, dma_unmap_addr(rx_buf, dma), len,
        				DMA_FROM_DEVICE);
        	foo_deliver(priv, rx_buf->data, len);
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'sync through an alias after unmap',
      code: c`
        static void foo_rx_one(struct foo_priv *priv, unsigned int i, unsigned int len)
        {
        	dma_addr_t mapping = priv->rx_dma[i];

        	dma_unmap_single(priv->dev, priv->rx_dma[i], FOO_RX_BUF_LEN,
        			 DMA_FROM_DEVICE);
        	dma_sync_single_for_device(priv->dev, mapping, FOO_RX_BUF_LEN,
        				   DMA_FROM_DEVICE);
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'sg list synced after dma_unmap_sg',
      code: c`
        static void foo_finish_read(struct foo_priv *priv, struct scatterlist *sgl,
        			    int nents)
        {
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	dma_sync_sg_for_cpu(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	foo_complete(priv);
        }
      `,
      errors: [{ line: 5 }],
    },
  ],
};

export default cases;
