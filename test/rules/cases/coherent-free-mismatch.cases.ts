import { c, type RuleCases } from '../rule-tester';

/**
 * Finding line: the free. Coherent and pool allocations freed twice on a path, a dmam_*
 * allocation freed by hand, a size that provably differs from the allocated one, or a CPU
 * pointer and handle that belong to two different allocations of the function.
 */
const cases: RuleCases = {
  rule: 'dma/coherent-free-mismatch',
  valid: [
    {
      name: 'ring allocated and freed with the same size, pointer and handle',
      code: c`
        #define FOO_RING_BYTES	4096

        static int foo_ring_test(struct foo_priv *priv)
        {
        	dma_addr_t ring_dma;
        	struct foo_desc *ring;
        	int ret;

        	ring = dma_alloc_coherent(priv->dev, FOO_RING_BYTES, &ring_dma, GFP_KERNEL);
        	if (!ring)
        		return -ENOMEM;
        	ret = foo_run_ring(priv, ring, ring_dma);
        	dma_free_coherent(priv->dev, FOO_RING_BYTES, ring, ring_dma);
        	return ret;
        }
      `,
    },
    {
      name: 'a macro and its value are the same size',
      code: c`
        #define FOO_CMD_BYTES	SZ_4K

        static int foo_send_cmd(struct foo_priv *priv, const void *cmd, size_t len)
        {
        	dma_addr_t dma;
        	void *buf;
        	int ret;

        	buf = dma_alloc_coherent(priv->dev, FOO_CMD_BYTES, &dma, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	memcpy(buf, cmd, len);
        	ret = foo_exec(priv, dma, len);
        	dma_free_coherent(priv->dev, 4096, buf, dma);
        	return ret;
        }
      `,
    },
    {
      name: 'two allocations each freed with its own pointer and handle',
      code: c`
        static int foo_selftest(struct foo_priv *priv)
        {
        	dma_addr_t src_dma, dst_dma;
        	void *src, *dst;
        	int ret = -ENOMEM;

        	src = dma_alloc_coherent(priv->dev, PAGE_SIZE, &src_dma, GFP_KERNEL);
        	if (!src)
        		return -ENOMEM;
        	dst = dma_alloc_coherent(priv->dev, PAGE_SIZE, &dst_dma, GFP_KERNEL);
        	if (!dst)
        		goto free_src;
        	ret = foo_copy(priv, dst_dma, src_dma, PAGE_SIZE);
        	dma_free_coherent(priv->dev, PAGE_SIZE, dst, dst_dma);
        free_src:
        	dma_free_coherent(priv->dev, PAGE_SIZE, src, src_dma);
        	return ret;
        }
      `,
    },
    {
      name: 'pointer cleared after the first free, second free guarded',
      code: c`
        static int foo_load(struct foo_priv *priv, const u32 *words, int n)
        {
        	dma_addr_t dma;
        	void *buf = dma_alloc_coherent(priv->dev, SZ_4K, &dma, GFP_KERNEL);
        	int i, ret = 0;

        	for (i = 0; i < n && !ret; i++) {
        		if (buf && !foo_burst(priv, dma, buf, words[i]))
        			continue;
        		if (buf) {
        			dma_free_coherent(priv->dev, SZ_4K, buf, dma);
        			buf = NULL;
        		}
        		ret = foo_pio_write(priv, words[i]);
        	}
        	if (buf)
        		dma_free_coherent(priv->dev, SZ_4K, buf, dma);
        	return ret;
        }
      `,
    },
    {
      name: 'dmam allocation released early with dmam_free_coherent',
      code: c`
        static int foo_probe_fw(struct foo_priv *priv, const struct firmware *fw)
        {
        	dma_addr_t fw_dma;
        	void *fw_buf;
        	int ret;

        	fw_buf = dmam_alloc_coherent(priv->dev, FOO_FW_MAX, &fw_dma, GFP_KERNEL);
        	if (!fw_buf)
        		return -ENOMEM;
        	memcpy(fw_buf, fw->data, fw->size);
        	ret = foo_boot(priv, fw_dma);
        	dmam_free_coherent(priv->dev, FOO_FW_MAX, fw_buf, fw_dma);
        	return ret;
        }
      `,
    },
    {
      name: 'pool block freed once per descriptor in a loop',
      code: c`
        static void foo_free_descs(struct foo_chan *chan)
        {
        	struct foo_desc *d, *tmp;

        	list_for_each_entry_safe(d, tmp, &chan->free_list, node) {
        		list_del(&d->node);
        		dma_pool_free(chan->pool, d->hw, d->hw_phys);
        	}
        }
      `,
    },
    {
      name: 'sizes that are not provably different are not reported',
      code: c`
        static int foo_dump(struct foo_priv *priv, size_t len)
        {
        	dma_addr_t dma;
        	void *buf;
        	int ret;

        	buf = dma_alloc_coherent(priv->dev, PAGE_ALIGN(len), &dma, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	ret = foo_read_log(priv, dma, len);
        	dma_free_coherent(priv->dev, len, buf, dma);
        	return ret;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'freed in the error path and again at the end',
      code: c`
        static int foo_init_hw(struct foo_priv *priv)
        {
        	dma_addr_t dma;
        	void *tbl;
        	int ret;

        	tbl = dma_alloc_coherent(priv->dev, FOO_TBL_BYTES, &dma, GFP_KERNEL);
        	if (!tbl)
        		return -ENOMEM;
        	ret = foo_load_table(priv, dma);
        	if (ret)
        		dma_free_coherent(priv->dev, FOO_TBL_BYTES, tbl, dma);
        	dma_free_coherent(priv->dev, FOO_TBL_BYTES, tbl, dma);
        	return ret;
        }
      `,
      errors: [{ line: 13, message: /already freed/ }],
    },
    {
      name: 'freed with a different constant size',
      code: c`
        #define FOO_STATUS_BYTES	256

        static int foo_get_status(struct foo_priv *priv, u32 *out)
        {
        	dma_addr_t dma;
        	__le32 *st;
        	int ret;

        	st = dma_alloc_coherent(priv->dev, FOO_STATUS_BYTES, &dma, GFP_KERNEL);
        	if (!st)
        		return -ENOMEM;
        	ret = foo_cmd(priv, FOO_CMD_STATUS, dma);
        	*out = le32_to_cpu(st[0]);
        	dma_free_coherent(priv->dev, 512, st, dma);
        	return ret;
        }
      `,
      errors: [{ line: 14, message: /differs from the allocated size FOO_STATUS_BYTES/ }],
    },
    {
      name: 'handle of the other buffer',
      code: c`
        static int foo_selftest(struct foo_priv *priv)
        {
        	dma_addr_t src_dma, dst_dma;
        	void *src, *dst;
        	int ret;

        	src = dma_alloc_coherent(priv->dev, PAGE_SIZE, &src_dma, GFP_KERNEL);
        	if (!src)
        		return -ENOMEM;
        	dst = dma_alloc_coherent(priv->dev, PAGE_SIZE, &dst_dma, GFP_KERNEL);
        	if (!dst) {
        		dma_free_coherent(priv->dev, PAGE_SIZE, src, src_dma);
        		return -ENOMEM;
        	}
        	ret = foo_copy(priv, dst_dma, src_dma, PAGE_SIZE);
        	dma_free_coherent(priv->dev, PAGE_SIZE, dst, src_dma);
        	dma_free_coherent(priv->dev, PAGE_SIZE, src, dst_dma);
        	return ret;
        }
      `,
      errors: [
        { line: 16, message: /handle src_dma of another allocation/ },
        { line: 17, message: /handle dst_dma of another allocation/ },
      ],
    },
    {
      name: 'dmam allocation freed with dma_free_coherent',
      code: c`
        static int foo_probe(struct platform_device *pdev)
        {
        	struct foo_priv *priv = platform_get_drvdata(pdev);
        	int ret;

        	priv->ring = dmam_alloc_coherent(&pdev->dev, FOO_RING_BYTES, &priv->ring_dma, GFP_KERNEL);
        	if (!priv->ring)
        		return -ENOMEM;
        	ret = foo_hw_init(priv);
        	if (ret) {
        		dma_free_coherent(&pdev->dev, FOO_RING_BYTES, priv->ring, priv->ring_dma);
        		return ret;
        	}
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /devres frees it again/ }],
    },
    {
      name: 'pool block freed twice',
      code: c`
        static void foo_abort_desc(struct foo_chan *chan, struct foo_desc *d)
        {
        	dma_addr_t phys;
        	struct foo_hw_desc *hw;

        	hw = dma_pool_zalloc(chan->pool, GFP_NOWAIT, &phys);
        	if (!hw)
        		return;
        	if (foo_queue(chan, hw, phys) < 0) {
        		dma_pool_free(chan->pool, hw, phys);
        		foo_log_abort(chan);
        	}
        	dma_pool_free(chan->pool, hw, phys);
        }
      `,
      errors: [{ line: 13, message: /already freed/ }],
    },
    {
      name: 'size differs across functions',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	void *log;
        	dma_addr_t log_dma;
        };

        static int foo_alloc_log(struct foo_priv *priv)
        {
        	priv->log = dma_alloc_coherent(priv->dev, SZ_8K, &priv->log_dma, GFP_KERNEL);
        	if (!priv->log)
        		return -ENOMEM;
        	return 0;
        }

        static void foo_free_log(struct foo_priv *priv)
        {
        	dma_free_coherent(priv->dev, SZ_4K, priv->log, priv->log_dma);
        }
      `,
      errors: [{ line: 17, message: /differs from the size SZ_8K that foo_alloc_log\(\) allocated/ }],
    },
  ],
};

export default cases;
