import { c, type RuleCases } from '../rule-tester';

/** Finding line: the map / unmap / sync call given DMA_NONE (or a direction that can be it). */
const cases: RuleCases = {
  rule: 'dma/direction-none',
  valid: [
    {
      name: 'real directions',
      code: c`
        static int foo_xfer(struct foo_priv *priv, void *tx, void *rx, size_t len)
        {
        	dma_addr_t tx_dma, rx_dma;

        	tx_dma = dma_map_single(priv->dev, tx, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, tx_dma))
        		return -ENOMEM;
        	rx_dma = dma_map_single(priv->dev, rx, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, rx_dma)) {
        		dma_unmap_single(priv->dev, tx_dma, len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	foo_run_xfer(priv, tx_dma, rx_dma, len);
        	dma_unmap_single(priv->dev, rx_dma, len, DMA_FROM_DEVICE);
        	dma_unmap_single(priv->dev, tx_dma, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'direction chosen by a conditional between two real directions',
      code: c`
        static int foo_rw(struct foo_priv *priv, void *buf, size_t len, bool write)
        {
        	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, dir);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->cur_dma = h;
        	priv->cur_dir = dir;
        	return 0;
        }
      `,
    },
    {
      name: 'DMA_NONE only as bookkeeping, never passed to the API',
      code: c`
        static void foo_req_done(struct foo_priv *priv, struct foo_req *req)
        {
        	if (req->dir != DMA_NONE)
        		dma_unmap_single(priv->dev, req->dma, req->len, req->dir);
        	req->dir = DMA_NONE;
        	req->dma = 0;
        }
      `,
    },
    {
      name: 'DMA_NONE rejected before the map',
      code: c`
        static int foo_map_req(struct foo_priv *priv, struct foo_req *req)
        {
        	enum dma_data_direction dir = DMA_NONE;

        	if (req->flags & FOO_REQ_READ)
        		dir = DMA_FROM_DEVICE;
        	else if (req->flags & FOO_REQ_WRITE)
        		dir = DMA_TO_DEVICE;
        	if (dir == DMA_NONE)
        		return -EINVAL;
        	req->dma = dma_map_single(priv->dev, req->buf, req->len, dir);
        	if (dma_mapping_error(priv->dev, req->dma))
        		return -ENOMEM;
        	req->dir = dir;
        	return 0;
        }
      `,
    },
    {
      name: 'BIDIRECTIONAL sync and sg map',
      code: c`
        static int foo_mbox(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	if (!dma_map_sg(priv->dev, sgl, nents, DMA_BIDIRECTIONAL))
        		return -EIO;
        	foo_run_sg(priv, sgl, nents);
        	dma_sync_sg_for_cpu(priv->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'WARN_ON comparison against DMA_NONE',
      code: c`
        static void foo_sync_req(struct foo_priv *priv, struct foo_req *req)
        {
        	if (WARN_ON(req->dir == DMA_NONE))
        		return;
        	dma_sync_single_for_cpu(priv->dev, req->dma, req->len, req->dir);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'dma_map_single with DMA_NONE',
      code: c`
        static int foo_map_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_NONE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->cmd_dma = h;
        	return 0;
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'dma_unmap_single with DMA_NONE',
      code: c`
        static void foo_cmd_done(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_unmap_single(priv->dev, priv->cmd_dma, sizeof(*cmd), DMA_NONE);
        	complete(&priv->cmd_done);
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'dma_sync_single_for_cpu with DMA_NONE via dma_unmap_addr',
      code: c`
        static void foo_rx_peek(struct foo_priv *priv, struct foo_rx_buf *rx_buf,
        			unsigned int len)
        {
        	dma_sync_single_for_cpu(priv->dev, dma_unmap_addr(rx_buf, dma), len, DMA_NONE);
        	foo_parse(priv, rx_buf->data, len);
        }
      `,
      errors: [{ line: 4 }],
    },
    {
      name: 'dma_map_sg with DMA_NONE',
      code: c`
        static int foo_prep_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_NONE);
        	if (!count)
        		return -EIO;
        	return foo_run_sg(priv, sgl, count);
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'direction variable still DMA_NONE when neither flag is set',
      code: c`
        static int foo_map_req(struct foo_priv *priv, struct foo_req *req)
        {
        	enum dma_data_direction dir = DMA_NONE;

        	if (req->flags & FOO_REQ_READ)
        		dir = DMA_FROM_DEVICE;
        	else if (req->flags & FOO_REQ_WRITE)
        		dir = DMA_TO_DEVICE;
        	req->dma = dma_map_single(priv->dev, req->buf, req->len, dir);
        	if (dma_mapping_error(priv->dev, req->dma))
        		return -ENOMEM;
        	req->dir = dir;
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'legacy pci_map_single with PCI_DMA_NONE',
      code: c`
        static int foo_pci_map(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = pci_map_single(priv->pdev, buf, len, PCI_DMA_NONE);
        	if (pci_dma_mapping_error(priv->pdev, h))
        		return -ENOMEM;
        	priv->buf_dma = h;
        	return 0;
        }
      `,
      errors: [{ line: 5 }],
    },
  ],
};

export default cases;
