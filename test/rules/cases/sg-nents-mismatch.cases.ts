import { c, type RuleCases } from '../rule-tester';

/** Finding line: the dma_unmap_sg / dma_sync_sg_* call given the mapped count. */
const cases: RuleCases = {
  rule: 'dma/sg-nents-mismatch',
  valid: [
    {
      // found on real code: the table was mapped with dma_map_sg(sgt->sgl, sgt->nents) and
      // the count kept in a local, so sgt->nents still holds the original count
      name: 'sgt->nents is the original count when the table was mapped with dma_map_sg',
      code: c`
        static int foo_xfer(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int n;

        	n = dma_map_sg(priv->dev, sgt->sgl, sgt->nents, DMA_TO_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_run_sg(priv, sgt->sgl, n);
        	dma_unmap_sg(priv->dev, sgt->sgl, sgt->nents, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'a field called nents released in another function without any map in sight',
      code: c`
        static void foo_release_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	dma_unmap_sg(priv->dev, sgt->sgl, sgt->nents, DMA_BIDIRECTIONAL);
        	sg_free_table(sgt);
        }
      `,
    },
    {
      name: 'unmap with the original nents, iterate with the count',
      code: c`
        static int foo_write_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	struct scatterlist *sg;
        	int count, i, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	for_each_sg(sgl, sg, count, i)
        		foo_add_seg(priv, sg_dma_address(sg), sg_dma_len(sg));
        	ret = foo_run_segs(priv);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'sg_table: orig_nents for unmap',
      code: c`
        static int foo_read_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgt->sgl, sgt->orig_nents, DMA_FROM_DEVICE);
        	if (!count)
        		return -EIO;
        	sgt->nents = count;
        	ret = foo_run_table(priv, sgt);
        	dma_sync_sg_for_cpu(priv->dev, sgt->sgl, sgt->orig_nents, DMA_FROM_DEVICE);
        	dma_unmap_sg(priv->dev, sgt->sgl, sgt->orig_nents, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'dma_unmap_sgtable takes no count',
      code: c`
        static int foo_read_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_FROM_DEVICE, 0);
        	if (ret)
        		return ret;
        	ret = foo_run_table(priv, sgt);
        	dma_unmap_sgtable(priv->dev, sgt, DMA_FROM_DEVICE, 0);
        	return ret;
        }
      `,
    },
    {
      name: 'mmc shape: data->sg_len for map and unmap across functions',
      code: c`
        static int foo_mmc_prepare_data(struct foo_host *host, struct mmc_data *data)
        {
        	int count;

        	count = dma_map_sg(host->dev, data->sg, data->sg_len,
        			   mmc_get_dma_dir(data));
        	if (!count)
        		return -EINVAL;
        	host->dma_count = count;
        	return 0;
        }

        static void foo_mmc_finish_data(struct foo_host *host, struct mmc_data *data)
        {
        	dma_unmap_sg(host->dev, data->sg, data->sg_len, mmc_get_dma_dir(data));
        }
      `,
    },
    {
      name: 'count reassigned from nents before unmap',
      code: c`
        static int foo_xfer_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int n, ret;

        	n = dma_map_sg(priv->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	if (!n)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, n);
        	n = nents;
        	dma_unmap_sg(priv->dev, sgl, n, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'unmap with the count returned by dma_map_sg',
      code: c`
        static int foo_write_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_unmap_sg(priv->dev, sgl, count, DMA_TO_DEVICE);
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
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'sync for cpu with the mapped count',
      code: c`
        static int foo_read_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_sync_sg_for_cpu(priv->dev, sgl, count, DMA_FROM_DEVICE);
        	foo_consume(priv, sgl);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      output: c`
        static int foo_read_sg(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	int count, ret;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!count)
        		return -EIO;
        	ret = foo_run_sg(priv, sgl, count);
        	dma_sync_sg_for_cpu(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	foo_consume(priv, sgl);
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'dma_map_sgtable() result count passed to dma_unmap_sg() in the same function',
      code: c`
        static int foo_xfer_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	if (ret)
        		return ret;
        	ret = foo_run_sg(priv, sgt->sgl, sgt->nents);
        	dma_unmap_sg(priv->dev, sgt->sgl, sgt->nents, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'mapped count kept in a struct field and used for unmap',
      code: c`
        static int foo_req_map(struct foo_priv *priv, struct foo_req *req)
        {
        	req->mapped = dma_map_sg(priv->dev, req->sg, req->nents, DMA_TO_DEVICE);
        	if (!req->mapped)
        		return -ENOMEM;
        	return 0;
        }

        static void foo_req_unmap(struct foo_priv *priv, struct foo_req *req)
        {
        	dma_unmap_sg(priv->dev, req->sg, req->mapped, DMA_TO_DEVICE);
        }
      `,
      errors: [{ line: 11 }],
    },
    {
      name: 'error path after a partial failure unmaps with the count',
      code: c`
        static int foo_crypt_sg(struct foo_priv *priv, struct scatterlist *src,
        			int src_nents)
        {
        	int nr_src;

        	nr_src = dma_map_sg(priv->dev, src, src_nents, DMA_TO_DEVICE);
        	if (!nr_src)
        		return -EINVAL;
        	if (nr_src > FOO_MAX_SG) {
        		dma_unmap_sg(priv->dev, src, nr_src, DMA_TO_DEVICE);
        		return -EINVAL;
        	}
        	return foo_run_sg(priv, src, nr_src);
        }
      `,
      output: c`
        static int foo_crypt_sg(struct foo_priv *priv, struct scatterlist *src,
        			int src_nents)
        {
        	int nr_src;

        	nr_src = dma_map_sg(priv->dev, src, src_nents, DMA_TO_DEVICE);
        	if (!nr_src)
        		return -EINVAL;
        	if (nr_src > FOO_MAX_SG) {
        		dma_unmap_sg(priv->dev, src, src_nents, DMA_TO_DEVICE);
        		return -EINVAL;
        	}
        	return foo_run_sg(priv, src, nr_src);
        }
      `,
      errors: [{ line: 10 }],
    },
  ],
};

export default cases;
