import { c, type RuleCases } from '../rule-tester';

/** Finding line: the map call given a global, static, string-literal or const object. */
const cases: RuleCases = {
  rule: 'dma/static-buffer',
  valid: [
    {
      name: 'const table copied with kmemdup before mapping',
      code: c`
        static const u8 foo_init_seq[] = { 0x01, 0x80, 0x00, 0x3f };

        static int foo_send_init(struct foo_priv *priv)
        {
        	dma_addr_t h;
        	u8 *buf;

        	buf = kmemdup(foo_init_seq, sizeof(foo_init_seq), GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, buf, sizeof(foo_init_seq), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		kfree(buf);
        		return -ENOMEM;
        	}
        	foo_run(priv, h, sizeof(foo_init_seq));
        	dma_unmap_single(priv->dev, h, sizeof(foo_init_seq), DMA_TO_DEVICE);
        	kfree(buf);
        	return 0;
        }
      `,
    },
    {
      name: 'static pointer to heap memory (the pointee is mapped, not the pointer)',
      code: c`
        static u8 *foo_bounce;
        static dma_addr_t foo_bounce_dma;

        static int foo_bounce_init(struct device *dev)
        {
        	dma_addr_t h;

        	foo_bounce = kzalloc(FOO_BOUNCE_LEN, GFP_KERNEL);
        	if (!foo_bounce)
        		return -ENOMEM;
        	h = dma_map_single(dev, foo_bounce, FOO_BOUNCE_LEN, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(dev, h)) {
        		kfree(foo_bounce);
        		return -ENOMEM;
        	}
        	foo_bounce_dma = h;
        	return 0;
        }
      `,
    },
    {
      name: 'heap buffer in the private struct',
      code: c`
        static int foo_rx_start(struct foo_priv *priv)
        {
        	priv->rx_dma = dma_map_single(priv->dev, priv->rx_buf, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->rx_dma))
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
    {
      name: 'static table only read by the CPU, data copied into a DMA buffer',
      code: c`
        static const struct foo_reg_val foo_defaults[] = {
        	{ FOO_REG_CTRL, 0x0001 },
        	{ FOO_REG_MODE, 0x0010 },
        };

        static int foo_load_defaults(struct foo_priv *priv)
        {
        	int i;

        	for (i = 0; i < ARRAY_SIZE(foo_defaults); i++) {
        		priv->cmd_buf[2 * i] = cpu_to_le16(foo_defaults[i].reg);
        		priv->cmd_buf[2 * i + 1] = cpu_to_le16(foo_defaults[i].val);
        	}
        	priv->cmd_dma = dma_map_single(priv->dev, priv->cmd_buf, 4 * ARRAY_SIZE(foo_defaults), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->cmd_dma))
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
    {
      name: 'page from alloc_page mapped with dma_map_page',
      code: c`
        static struct page *foo_scratch_page;

        static int foo_scratch_init(struct device *dev, dma_addr_t *out)
        {
        	dma_addr_t h;

        	foo_scratch_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
        	if (!foo_scratch_page)
        		return -ENOMEM;
        	h = dma_map_page(dev, foo_scratch_page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, h)) {
        		__free_page(foo_scratch_page);
        		return -ENOMEM;
        	}
        	*out = h;
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'file-scope static array mapped',
      code: c`
        static u8 foo_buf[64];

        static int foo_read_status(struct foo_priv *priv)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, foo_buf, sizeof(foo_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, sizeof(foo_buf));
        	dma_unmap_single(priv->dev, h, sizeof(foo_buf), DMA_FROM_DEVICE);
        	return ret ? ret : foo_buf[0];
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'string literal mapped',
      code: c`
        static int foo_send_magic(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, (void *)"FOO!", 4, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, 4);
        	dma_unmap_single(priv->dev, h, 4, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'const global table mapped',
      code: c`
        static const u8 foo_init_seq[] = { 0x01, 0x80, 0x00, 0x3f };

        static int foo_send_init(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, (void *)foo_init_seq, sizeof(foo_init_seq), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(foo_init_seq));
        	dma_unmap_single(priv->dev, h, sizeof(foo_init_seq), DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'function-local static buffer mapped',
      code: c`
        static int foo_read_version(struct foo_priv *priv)
        {
        	static u8 ver[8];
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, ver, sizeof(ver), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(ver));
        	dma_unmap_single(priv->dev, h, sizeof(ver), DMA_FROM_DEVICE);
        	return ver[0];
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'address of a non-static global struct mapped',
      code: c`
        struct foo_shared foo_shared_state;

        static int foo_sync_state(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, &foo_shared_state, sizeof(foo_shared_state), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, sizeof(foo_shared_state));
        	dma_unmap_single(priv->dev, h, sizeof(foo_shared_state), DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'alias of a static buffer mapped under if',
      code: c`
        static u8 foo_fallback_buf[256];

        static int foo_rx_prepare(struct foo_priv *priv)
        {
        	void *buf = priv->rx_buf;

        	if (!buf) {
        		buf = foo_fallback_buf;
        		priv->rx_dma = dma_map_single(priv->dev, buf, sizeof(foo_fallback_buf), DMA_FROM_DEVICE);
        	} else {
        		priv->rx_dma = dma_map_single(priv->dev, buf, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	}
        	if (dma_mapping_error(priv->dev, priv->rx_dma))
        		return -ENOMEM;
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
  ],
};

export default cases;
