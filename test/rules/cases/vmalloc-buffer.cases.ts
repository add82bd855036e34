import { c, type RuleCases } from '../rule-tester';

/** Finding line: the dma_map_single call given vmalloc-family memory. */
const cases: RuleCases = {
  rule: 'dma/vmalloc-buffer',
  valid: [
    {
      name: 'kmalloc buffer',
      code: c`
        static int foo_send_blob(struct foo_priv *priv, const void *data, size_t len)
        {
        	dma_addr_t h;
        	void *buf;

        	buf = kmemdup(data, len, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		kfree(buf);
        		return -ENOMEM;
        	}
        	foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	kfree(buf);
        	return 0;
        }
      `,
    },
    {
      name: 'vmalloc pages mapped one by one with vmalloc_to_page',
      code: c`
        static int foo_map_vbuf_page(struct foo_priv *priv, void *vbuf, int i)
        {
        	struct page *page = vmalloc_to_page(vbuf + i * PAGE_SIZE);
        	dma_addr_t h;

        	h = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->vbuf_dma[i] = h;
        	return 0;
        }
      `,
    },
    {
      name: 'kvmalloc buffer bounced when is_vmalloc_addr()',
      code: c`
        static int foo_send_table(struct foo_priv *priv, size_t len)
        {
        	void *tbl, *dma_buf;
        	dma_addr_t h;

        	tbl = kvmalloc(len, GFP_KERNEL);
        	if (!tbl)
        		return -ENOMEM;
        	foo_fill_table(priv, tbl, len);
        	dma_buf = tbl;
        	if (is_vmalloc_addr(tbl)) {
        		dma_buf = kmemdup(tbl, len, GFP_KERNEL);
        		if (!dma_buf) {
        			kvfree(tbl);
        			return -ENOMEM;
        		}
        	}
        	h = dma_map_single(priv->dev, dma_buf, len, DMA_TO_DEVICE);
        	if (!dma_mapping_error(priv->dev, h)) {
        		foo_run(priv, h, len);
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	}
        	if (dma_buf != tbl)
        		kfree(dma_buf);
        	kvfree(tbl);
        	return 0;
        }
      `,
    },
    {
      name: 'vmalloc data copied into a devm_kzalloc buffer before mapping',
      code: c`
        static int foo_load_fw(struct foo_priv *priv, const u8 *fw, size_t len)
        {
        	u8 *vcopy, *buf;
        	dma_addr_t h;

        	vcopy = vmalloc(len);
        	if (!vcopy)
        		return -ENOMEM;
        	memcpy(vcopy, fw, len);
        	foo_fixup_fw(vcopy, len);
        	buf = devm_kzalloc(priv->dev, len, GFP_KERNEL);
        	if (!buf) {
        		vfree(vcopy);
        		return -ENOMEM;
        	}
        	memcpy(buf, vcopy, len);
        	vfree(vcopy);
        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	priv->fw_dma = h;
        	return 0;
        }
      `,
    },
    {
      name: 'coherent buffer is not mapped at all',
      code: c`
        static int foo_alloc_log(struct foo_priv *priv)
        {
        	priv->log = dma_alloc_coherent(priv->dev, FOO_LOG_BYTES, &priv->log_dma, GFP_KERNEL);
        	if (!priv->log)
        		return -ENOMEM;
        	writel(lower_32_bits(priv->log_dma), priv->regs + FOO_LOG_ADDR);
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'vmalloc buffer mapped',
      code: c`
        static int foo_dump_regs(struct foo_priv *priv, size_t len)
        {
        	dma_addr_t h;
        	void *buf;

        	buf = vmalloc(len);
        	if (!buf)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		vfree(buf);
        		return -ENOMEM;
        	}
        	foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	foo_save_dump(priv, buf, len);
        	vfree(buf);
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'vzalloc buffer kept in priv and mapped',
      code: c`
        static int foo_init_fw_buf(struct foo_priv *priv)
        {
        	priv->fw_buf = vzalloc(FOO_FW_MAX);
        	if (!priv->fw_buf)
        		return -ENOMEM;
        	priv->fw_dma = dma_map_single(priv->dev, priv->fw_buf, FOO_FW_MAX, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->fw_dma)) {
        		vfree(priv->fw_buf);
        		return -ENOMEM;
        	}
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'kvmalloc may return vmalloc memory',
      code: c`
        static int foo_send_table(struct foo_priv *priv, size_t len)
        {
        	dma_addr_t h;
        	void *tbl;

        	tbl = kvmalloc(len, GFP_KERNEL);
        	if (!tbl)
        		return -ENOMEM;
        	foo_fill_table(priv, tbl, len);
        	h = dma_map_single(priv->dev, tbl, len, DMA_TO_DEVICE);
        	if (!dma_mapping_error(priv->dev, h)) {
        		foo_run(priv, h, len);
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	}
        	kvfree(tbl);
        	return 0;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'kvcalloc array mapped',
      code: c`
        static int foo_map_descs(struct foo_priv *priv, unsigned int n)
        {
        	struct foo_desc *descs;

        	descs = kvcalloc(n, sizeof(*descs), GFP_KERNEL);
        	if (!descs)
        		return -ENOMEM;
        	priv->descs_dma = dma_map_single(priv->dev, descs, n * sizeof(*descs), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, priv->descs_dma)) {
        		kvfree(descs);
        		return -ENOMEM;
        	}
        	priv->descs = descs;
        	return 0;
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'vmap of pages mapped as one buffer',
      code: c`
        static int foo_map_pages(struct foo_priv *priv, struct page **pages, int n)
        {
        	void *vaddr;
        	dma_addr_t h;

        	vaddr = vmap(pages, n, VM_MAP, PAGE_KERNEL);
        	if (!vaddr)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, vaddr, n * PAGE_SIZE, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		vunmap(vaddr);
        		return -ENOMEM;
        	}
        	priv->big_dma = h;
        	priv->big_vaddr = vaddr;
        	return 0;
        }
      `,
      errors: [{ line: 9 }],
    },
    {
      name: 'offset into a vmalloc buffer, mapped under if',
      code: c`
        static int foo_send_chunk(struct foo_priv *priv, size_t off, size_t len)
        {
        	u8 *img = vmalloc(FOO_IMG_MAX);
        	dma_addr_t h;

        	if (!img)
        		return -ENOMEM;
        	foo_read_image(priv, img);
        	if (len > FOO_PIO_MAX) {
        		h = dma_map_single(priv->dev, img + off, len, DMA_TO_DEVICE);
        		if (!dma_mapping_error(priv->dev, h)) {
        			foo_run(priv, h, len);
        			dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		}
        	} else {
        		foo_pio_write(priv, img + off, len);
        	}
        	vfree(img);
        	return 0;
        }
      `,
      errors: [{ line: 10 }],
    },
  ],
};

export default cases;
