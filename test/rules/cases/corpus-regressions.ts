import { c, type ValidCase } from '../rule-tester';

/**
 * False positives found by reading DMA Lint's findings on the Linux 6.1 drivers (the shapes
 * are ours, written to reproduce each one). Each is a must-not case for its rule, merged
 * into that rule's `valid` list by rules.test.ts.
 */
export const CORPUS_REGRESSIONS: Record<string, ValidCase[]> = {
  'dma/cpu-access-while-device-owned': [
    {
      name: 'corpus: page handles kept in one indexed array, the FROM_DEVICE one copied out and synced for the CPU',
      code: c`
        static int foo_xor_selftest(struct device *d, struct page **srcs, struct page *dest, struct foo_unmap *um, int n)
        {
        	dma_addr_t dest_dma;
        	u32 *ptr;
        	int i;

        	for (i = 0; i < n; i++) {
        		um->addr[i] = dma_map_page(d, srcs[i], 0, PAGE_SIZE, DMA_TO_DEVICE);
        		if (dma_mapping_error(d, um->addr[i]))
        			return -ENOMEM;
        	}
        	um->addr[n] = dma_map_page(d, dest, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	dest_dma = um->addr[n];
        	if (dma_mapping_error(d, um->addr[n]))
        		return -ENOMEM;
        	foo_run_xor(d, dest_dma, um->addr, n);
        	dma_sync_single_for_cpu(d, dest_dma, PAGE_SIZE, DMA_FROM_DEVICE);
        	ptr = page_address(dest);
        	return ptr[0] == FOO_PATTERN ? 0 : -EIO;
        }
      `,
    },
    {
      name: 'corpus: TO_DEVICE key rewritten, then synced for the device before each command',
      code: c`
        static int foo_program(struct device *d, struct foo_fw *fw, int n)
        {
        	u8 *key = kzalloc(8, GFP_KERNEL);
        	dma_addr_t h;
        	int i, err = 0;

        	if (!key)
        		return -ENOMEM;
        	h = dma_map_single(d, key, 8, DMA_TO_DEVICE);
        	if (dma_mapping_error(d, h)) {
        		kfree(key);
        		return -ENOMEM;
        	}
        	for (i = n - 1; i >= 0 && !err; i--) {
        		key[0] = i;
        		dma_sync_single_for_device(d, h, 8, DMA_TO_DEVICE);
        		err = foo_fw_cmd_sync(fw, h, i);
        	}
        	dma_unmap_single(d, h, 8, DMA_TO_DEVICE);
        	kfree(key);
        	return err;
        }
      `,
    },
  ],
  'dma/unchecked-map': [
    {
      name: 'corpus: a helper returns the dma_mapping_error() verdict to its caller',
      code: c`
        static int foo_buf_map(struct foo *p)
        {
        	p->dma = dma_map_single(p->dev, p->buf, FOO_BUF_SZ, DMA_FROM_DEVICE);
        	return dma_mapping_error(p->dev, p->dma);
        }
      `,
    },
    {
      name: 'corpus: helper tests the count and returns an errno; the caller ignores it',
      code: c`
        static int foo_queue_xfer(struct foo *f, void *buf, int len)
        {
        	struct foo_xdesc *d = kzalloc(sizeof(*d), GFP_KERNEL);
        	int ret;

        	if (!d)
        		return -ENOMEM;
        	sg_init_one(&d->sg, buf, len);
        	ret = dma_map_sg(f->dev, &d->sg, 1, DMA_TO_DEVICE);
        	if (ret == 0) {
        		ret = -ENOMEM;
        		goto err;
        	}
        	list_add_tail(&d->node, &f->queue);
        	return 0;
        err:
        	kfree(d);
        	return ret;
        }

        static int foo_erase(struct foo *f)
        {
        	foo_queue_xfer(f, f->cmd, 4);
        	return 0;
        }
      `,
    },
    {
      name: 'corpus: count tested with < 1 and with != 1',
      code: c`
        static int foo_xfer_a(struct foo *f, struct scatterlist *sg, int n)
        {
        	int count = dma_map_sg(f->dev, sg, n, DMA_TO_DEVICE);

        	if (count < 1)
        		return -EINVAL;
        	foo_start_hw(f, sg, count);
        	dma_unmap_sg(f->dev, sg, n, DMA_TO_DEVICE);
        	return 0;
        }

        static int foo_xfer_b(struct foo *f, struct scatterlist *sg)
        {
        	int res = dma_map_sg(f->dev, sg, 1, DMA_BIDIRECTIONAL);

        	if (res != 1)
        		return -ENXIO;
        	foo_start_hw(f, sg, 1);
        	dma_unmap_sg(f->dev, sg, 1, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'corpus: map call tested inside a short-circuit condition',
      code: c`
        static int foo_send(struct foo *f, struct scatterlist *src, int nr)
        {
        	struct scatterlist *sg;
        	int i;

        	if (nr > 0 && !dma_map_sg(f->dev, src, nr, DMA_TO_DEVICE))
        		return -EIO;
        	for_each_sg(src, sg, nr, i)
        		foo_write_desc(f, sg_dma_address(sg), sg_dma_len(sg));
        	return 0;
        }
      `,
    },
    {
      name: 'corpus: stored in a bookkeeping slot, then tested at once',
      code: c`
        static int foo_map_chunks(struct device *dev, struct foo_chunk *c, int n)
        {
        	dma_addr_t addr;
        	int i, ret;

        	for (i = 0; i < n; i++) {
        		addr = dma_map_single(dev, c[i].buf, c[i].len, DMA_BIDIRECTIONAL);
        		c[i].dma = addr;
        		ret = dma_mapping_error(dev, addr);
        		if (ret)
        			goto unwind;
        	}
        	return 0;
        unwind:
        	while (--i >= 0)
        		dma_unmap_single(dev, c[i].dma, c[i].len, DMA_BIDIRECTIONAL);
        	return ret;
        }
      `,
    },
    {
      name: 'corpus: wrapper turns a zero count into -ENOMEM, caller tests < 0',
      code: c`
        static int foo_map(struct device *dev, struct scatterlist *sg, int n)
        {
        	int cnt = dma_map_sg(dev, sg, n, DMA_TO_DEVICE);

        	if (!cnt)
        		return -ENOMEM;
        	return cnt;
        }

        static int foo_prep(struct foo *f)
        {
        	int cnt = foo_map(f->dev, f->sg, f->nents);

        	if (cnt < 0)
        		return cnt;
        	foo_program_hw(f, f->sg, cnt);
        	return 0;
        }
      `,
    },
  ],
  'dma/leak-on-error-path': [
    {
      name: 'corpus: a bool helper maps its fallback buffer and returns false to say which buffer it used',
      code: c`
        static bool foo_prepare_data_dma(struct foo_nand *this, const void *buf, int len,
        				 struct scatterlist *sgl, enum dma_data_direction dr)
        {
        	if (virt_addr_valid(buf) && !object_is_on_stack(buf)) {
        		sg_init_one(sgl, buf, len);
        		if (dma_map_sg(this->dev, sgl, 1, dr) == 0)
        			goto map_fail;
        		return true;
        	}
        map_fail:
        	sg_init_one(sgl, this->bounce, len);
        	if (dr == DMA_TO_DEVICE)
        		memcpy(this->bounce, buf, len);
        	dma_map_sg(this->dev, sgl, 1, dr);
        	return false;
        }
      `,
    },
    {
      name: 'corpus: a scatterlist embedded in the long-lived port struct, torn down by a release helper on the error path',
      code: c`
        static int foo_uart_prepare_tx_dma(struct uart_port *port)
        {
        	struct foo_uart_port *fp = to_foo_uart_port(port);
        	int nent, ret;

        	fp->chan_tx = dma_request_chan(port->dev, "tx");
        	if (IS_ERR(fp->chan_tx))
        		return PTR_ERR(fp->chan_tx);
        	sg_init_one(&fp->sg_tx, port->state->xmit.buf, UART_XMIT_SIZE);
        	nent = dma_map_sg(port->dev, &fp->sg_tx, 1, DMA_TO_DEVICE);
        	if (!nent)
        		goto chan_err;
        	ret = dmaengine_slave_config(fp->chan_tx, &fp->tx_config);
        	if (ret)
        		goto chan_err;
        	return 0;

        chan_err:
        	foo_uart_release_tx_dma(port);
        	return -EINVAL;
        }
      `,
    },
    {
      name: 'corpus: map and unmap guarded by the same relation written both ways round',
      code: c`
        static int foo_req_init(struct foo *f, struct foo_req *r)
        {
        	int ret;

        	if (r->src != r->dst) {
        		if (!dma_map_sg(f->dev, r->dst, r->dn, DMA_FROM_DEVICE))
        			return -ENOMEM;
        	}
        	ret = foo_build_chain(f, r);
        	if (ret)
        		goto err;
        	return 0;
        err:
        	if (r->dst != r->src)
        		dma_unmap_sg(f->dev, r->dst, r->dn, DMA_FROM_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'corpus: handles kept as lo/hi halves in a local array, rebuilt by the unwind loop',
      code: c`
        static int foo_xmit(struct foo *p, struct sk_buff *skb, int nfrags)
        {
        	struct foo_hwdesc d[8];
        	u32 i, n = 0;
        	dma_addr_t a;

        	for (i = 0; i < nfrags; i++) {
        		a = skb_frag_dma_map(p->dev, &skb_shinfo(skb)->frags[i], 0, 64, DMA_TO_DEVICE);
        		if (dma_mapping_error(p->dev, a))
        			goto undo;
        		d[n].lo = lower_32_bits(a);
        		d[n].hi = upper_32_bits(a);
        		n++;
        	}
        	foo_post(p, d, n);
        	return 0;
        undo:
        	while (n--)
        		dma_unmap_page(p->dev, ((u64)d[n].hi << 32) | d[n].lo, 64, DMA_TO_DEVICE);
        	return -ENOMEM;
        }
      `,
    },
    {
      name: 'corpus: per-entry handle stored with sg_dma_address(sg) = addr inside for_each_sgtable_sg, unwound by a second loop',
      code: c`
        static int foo_export(struct device *dev, struct sg_table *sgt, phys_addr_t base, size_t size)
        {
        	struct scatterlist *sg;
        	dma_addr_t addr;
        	int i, r;

        	for_each_sgtable_sg(sgt, sg, i) {
        		addr = dma_map_resource(dev, base + i * size, size, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
        		r = dma_mapping_error(dev, addr);
        		if (r)
        			goto error_unmap;
        		sg_set_page(sg, NULL, size, 0);
        		sg_dma_address(sg) = addr;
        		sg_dma_len(sg) = size;
        	}
        	return 0;

        error_unmap:
        	for_each_sgtable_sg(sgt, sg, i) {
        		if (!sg->length)
        			continue;
        		dma_unmap_resource(dev, sg->dma_address, sg->length, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
        	}
        	return r;
        }
      `,
    },
  ],
  'dma/wrong-error-test': [
    {
      name: 'corpus: "not mapped yet" sentinel tested before the map, which is checked',
      code: c`
        static void foo_sync_pages(struct device *dev, struct page **pages, dma_addr_t *dma, int n)
        {
        	int i;

        	for (i = 0; i < n; i++) {
        		if (!dma[i]) {
        			dma_addr_t a = dma_map_page(dev, pages[i], 0, PAGE_SIZE, DMA_TO_DEVICE);

        			if (dma_mapping_error(dev, a))
        				break;
        			dma[i] = a;
        		}
        	}
        }
      `,
    },
    {
      name: 'corpus: dma_map_sgtable() result tested with unlikely(ret != 0)',
      code: c`
        static int foo_tt_bind(struct foo_tt *tt)
        {
        	int ret = dma_map_sgtable(tt->dev, &tt->sgt, DMA_BIDIRECTIONAL, 0);

        	if (unlikely(ret != 0))
        		goto out_free;
        	tt->mapped = true;
        	return 0;
        out_free:
        	sg_free_table(&tt->sgt);
        	return ret;
        }
      `,
    },
    {
      name: 'corpus: the dma_mapping_error() verdict tested with !err',
      code: c`
        static int foo_run(struct foo *f, void *pad, int len)
        {
        	dma_addr_t a;
        	int err;

        	a = dma_map_single(f->dev, pad, len, DMA_TO_DEVICE);
        	err = dma_mapping_error(f->dev, a);
        	if (!err) {
        		err = foo_start_and_wait(f, a, len);
        		dma_unmap_single(f->dev, a, len, DMA_TO_DEVICE);
        	}
        	return err;
        }
      `,
    },
    {
      name: 'corpus: address 0 rejected by the device after a passing dma_mapping_error()',
      code: c`
        static int foo_give_page(struct foo *f, struct page *page)
        {
        	dma_addr_t addr;

        	addr = dma_map_page(f->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, addr))
        		return -ENOMEM;
        	if (addr == 0) {
        		dma_unmap_page(f->dev, addr, PAGE_SIZE, DMA_BIDIRECTIONAL);
        		return -EAGAIN;
        	}
        	return foo_fw_add_page(f, addr);
        }
      `,
    },
  ],
  'dma/double-unmap': [
    {
      name: 'corpus: ring walk with an advancing cursor unmaps different slots',
      code: c`
        static void foo_clean_tx(struct foo_ring *r)
        {
        	u16 i = r->next_to_clean;
        	struct foo_tx_buf *b = &r->buf[i];

        	while (i != r->next_to_use) {
        		struct foo_tx_buf *eop = b->eop;

        		dma_unmap_single(r->dev, b->dma, b->len, DMA_TO_DEVICE);
        		while (b != eop) {
        			b++;
        			i++;
        			if (b->len)
        				dma_unmap_page(r->dev, b->dma, b->len, DMA_TO_DEVICE);
        		}
        		b++;
        		i++;
        	}
        }
      `,
    },
    {
      name: 'corpus: a helper called for two different buffers',
      code: c`
        static void foo_free_mem(struct foo *x, int t)
        {
        	dma_free_coherent(x->dev, FOO_MEM_SZ, x->mem[t].va, x->mem[t].pa);
        }

        static int foo_remove(struct platform_device *pdev)
        {
        	struct foo *x = platform_get_drvdata(pdev);

        	foo_free_mem(x, FOO_MEM_P);
        	foo_free_mem(x, FOO_MEM_D);
        	return 0;
        }
      `,
    },
    {
      name: 'corpus: pointer cleared after the first free, second free guarded',
      code: c`
        static int foo_write(struct foo *x, const u32 *src, int n)
        {
        	dma_addr_t dma;
        	void *buf = dma_alloc_coherent(x->dev, SZ_4K, &dma, GFP_KERNEL);
        	int i, ret = 0;

        	for (i = 0; i < n && !ret; i++) {
        		if (buf && !foo_burst(x, dma, buf, src[i]))
        			continue;
        		if (buf) {
        			dma_free_coherent(x->dev, SZ_4K, buf, dma);
        			buf = NULL;
        		}
        		ret = foo_slow_write(x, src[i]);
        	}
        	if (buf)
        		dma_free_coherent(x->dev, SZ_4K, buf, dma);
        	return ret;
        }
      `,
    },
    {
      name: 'corpus: a helper maps the command afresh between two executions',
      code: c`
        static int foo_fill(struct foo_cmd *c, void *p, size_t len, int dir)
        {
        	c->addr = dma_map_single(c->dev, p, len, dir);
        	if (dma_mapping_error(c->dev, c->addr))
        		return -ENOMEM;
        	c->len = len;
        	return 0;
        }

        static void foo_toggle(struct foo_cmd *c, u32 *opt)
        {
        	if (foo_fill(c, opt, 4, DMA_FROM_DEVICE))
        		return;
        	foo_submit_and_wait(c);
        	dma_unmap_single(c->dev, c->addr, c->len, DMA_FROM_DEVICE);
        	*opt |= FOO_BIT;
        	if (foo_fill(c, opt, 4, DMA_TO_DEVICE))
        		return;
        	foo_submit_and_wait(c);
        	dma_unmap_single(c->dev, c->addr, c->len, DMA_TO_DEVICE);
        }
      `,
    },
  ],
  'dma/unmap-type-mismatch': [
    {
      name: 'corpus: only a failed fragment mapping reaches the shared single unmap',
      code: c`
        static int foo_xmit(struct device *d, struct sk_buff *skb)
        {
        	dma_addr_t h;
        	int i, rc;

        	h = dma_map_single(d, skb->data, skb_headlen(skb), DMA_TO_DEVICE);
        	if (dma_mapping_error(d, h))
        		return -ENOMEM;
        	rc = foo_post_head(h);
        	if (rc)
        		goto err;
        	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
        		h = skb_frag_dma_map(d, &skb_shinfo(skb)->frags[i], 0, 64, DMA_TO_DEVICE);
        		if (dma_mapping_error(d, h)) {
        			rc = -ENOMEM;
        			goto err;
        		}
        		rc = foo_post_frag(h);
        		if (rc)
        			goto out;
        	}
        	return 0;
        err:
        	dma_unmap_single(d, h, skb_headlen(skb), DMA_TO_DEVICE);
        out:
        	return rc;
        }
      `,
    },
  ],
  'dma/sg-nents-mismatch': [
    {
      name: 'corpus: a field called nents that holds the original count',
      code: c`
        static int foo_xfer(struct device *dev, struct foo_req *r)
        {
        	int n;

        	r->nents = foo_build_sg(r->sg);
        	n = dma_map_sg(dev, r->sg, r->nents, DMA_TO_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_program(r->sg, n);
        	dma_unmap_sg(dev, r->sg, r->nents, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
  ],
  'dma/unmap-error-handle': [
    {
      name: 'corpus: count tested with !n || n > LIMIT, the unwind unmaps the source that succeeded',
      code: c`
        static int foo_crypt(struct foo *x, struct scatterlist *src, struct scatterlist *dst)
        {
        	int ns, nd, err = 0;

        	ns = dma_map_sg(x->dev, src, x->nsrc, DMA_TO_DEVICE);
        	if (!ns || ns > FOO_MAX_SG)
        		return -EINVAL;
        	nd = dma_map_sg(x->dev, dst, x->ndst, DMA_FROM_DEVICE);
        	if (!nd || nd > FOO_MAX_SG) {
        		err = -EINVAL;
        		goto unmap_src;
        	}
        	err = foo_run(x, ns, nd);
        	dma_unmap_sg(x->dev, dst, x->ndst, DMA_FROM_DEVICE);
        unmap_src:
        	dma_unmap_sg(x->dev, src, x->nsrc, DMA_TO_DEVICE);
        	return err;
        }
      `,
    },
    {
      name: 'corpus: cleanup helper guarded by a flag set only after success',
      code: c`
        static void foo_put(struct foo_tx *tx)
        {
        	if (tx->flags & FOO_MAPPED)
        		dma_unmap_single(tx->dev, tx->addr, tx->len, DMA_TO_DEVICE);
        }

        static int foo_get(struct foo_tx *tx, void *buf)
        {
        	tx->flags = 0;
        	tx->addr = dma_map_single(tx->dev, buf, tx->len, DMA_TO_DEVICE);
        	if (dma_mapping_error(tx->dev, tx->addr))
        		goto err;
        	tx->flags |= FOO_MAPPED;
        	return 0;
        err:
        	foo_put(tx);
        	return -ENOMEM;
        }
      `,
    },
  ],
  'dma/unmap-direction-mismatch': [
    {
      name: 'corpus: one field mapped TO_DEVICE for tx here and FROM_DEVICE for rx through an out-parameter helper',
      code: c`
        struct foo_buf {
        	struct sk_buff *skb;
        	dma_addr_t skbaddr;
        };

        static struct sk_buff *foo_rx_skb_alloc(struct foo_priv *priv, dma_addr_t *skb_addr)
        {
        	struct sk_buff *skb = dev_alloc_skb(priv->rx_bufsize);

        	if (!skb)
        		return NULL;
        	*skb_addr = dma_map_single(priv->dev, skb->data, priv->rx_bufsize, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, *skb_addr)) {
        		dev_kfree_skb(skb);
        		return NULL;
        	}
        	return skb;
        }

        static int foo_rxbuf_setup(struct foo_priv *priv, struct foo_buf *bf)
        {
        	if (!bf->skb) {
        		bf->skb = foo_rx_skb_alloc(priv, &bf->skbaddr);
        		if (!bf->skb)
        			return -ENOMEM;
        	}
        	return 0;
        }

        static int foo_txbuf_setup(struct foo_priv *priv, struct foo_buf *bf, struct sk_buff *skb)
        {
        	bf->skbaddr = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, bf->skbaddr))
        		return -ENOSPC;
        	bf->skb = skb;
        	return 0;
        }

        static void foo_rxbuf_free(struct foo_priv *priv, struct foo_buf *bf)
        {
        	dma_unmap_single(priv->dev, bf->skbaddr, priv->rx_bufsize, DMA_FROM_DEVICE);
        	dev_kfree_skb_any(bf->skb);
        	bf->skb = NULL;
        	bf->skbaddr = 0;
        }
      `,
    },
    {
      name: 'corpus: rx and tx rings of one slot type, reached through local cursors',
      code: c`
        struct foo_slot {
        	struct sk_buff *skb;
        	DEFINE_DMA_UNMAP_ADDR(addr);
        };

        struct foo_nic {
        	struct device *dev;
        	struct foo_slot rx[16];
        	struct foo_slot tx[16];
        };

        static void foo_rx_refill(struct foo_nic *n, int i, void *buf)
        {
        	struct foo_slot *rx = &n->rx[i];
        	dma_addr_t a = dma_map_single(n->dev, buf, 1536, DMA_FROM_DEVICE);

        	if (dma_mapping_error(n->dev, a))
        		return;
        	dma_unmap_addr_set(rx, addr, a);
        }

        static void foo_tx_done(struct foo_nic *n, int i, size_t len)
        {
        	struct foo_slot *tx = &n->tx[i];

        	dma_unmap_single(n->dev, dma_unmap_addr(tx, addr), len, DMA_TO_DEVICE);
        }
      `,
    },
    {
      name: 'corpus: one unchanged condition decides both the map and the unmap direction',
      code: c`
        static int foo_run_req(struct device *d, struct scatterlist *src, struct scatterlist *dst, int ns)
        {
        	int n, err;

        	if (src == dst) {
        		n = dma_map_sg(d, src, ns, DMA_BIDIRECTIONAL);
        		if (!n)
        			return -EINVAL;
        	} else {
        		n = dma_map_sg(d, src, ns, DMA_TO_DEVICE);
        		if (!n)
        			return -EINVAL;
        	}
        	err = foo_hw_run(d);
        	if (src == dst)
        		dma_unmap_sg(d, src, ns, DMA_BIDIRECTIONAL);
        	else
        		dma_unmap_sg(d, src, ns, DMA_TO_DEVICE);
        	return err;
        }
      `,
    },
    {
      name: 'corpus: one struct field mapped with a computed direction by a helper',
      code: c`
        static void foo_unmap(struct device *dv, struct foo_cmd *c, enum dma_data_direction dir)
        {
        	dma_unmap_single(dv, c->sg[0].addr, c->sg[0].len, dir);
        }

        static int foo_fill(struct device *dv, struct foo_cmd *c, void *b, size_t n, int op)
        {
        	enum dma_data_direction dir = op == FOO_OP_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;

        	c->sg[0].addr = dma_map_single(dv, b, n, dir);
        	return dma_mapping_error(dv, c->sg[0].addr);
        }

        static int foo_passthru(struct device *dv, struct foo_cmd *c, void *b, size_t n)
        {
        	c->sg[0].addr = dma_map_single(dv, b, n, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(dv, c->sg[0].addr))
        		return -ENOMEM;
        	foo_issue(c);
        	dma_unmap_single(dv, c->sg[0].addr, n, DMA_BIDIRECTIONAL);
        	return 0;
        }

        static int foo_inquiry(struct device *dv, struct foo_cmd *c, void *b)
        {
        	if (foo_fill(dv, c, b, 64, FOO_OP_READ))
        		return -EIO;
        	foo_issue(c);
        	dma_unmap_single(dv, c->sg[0].addr, 64, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
  ],
  'dma/sync-direction-mismatch': [
    {
      name: 'corpus: sources and destination of one array mapped in different directions',
      code: c`
        static int foo_self_test(struct device *dev, struct page **src, struct page *dst, int n)
        {
        	dma_addr_t addr[FOO_MAX_SRC + 1];
        	int i;

        	for (i = 0; i < n; i++) {
        		addr[i] = dma_map_page(dev, src[i], 0, PAGE_SIZE, DMA_TO_DEVICE);
        		if (dma_mapping_error(dev, addr[i]))
        			return -ENOMEM;
        	}
        	addr[n] = dma_map_page(dev, dst, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, addr[n]))
        		return -ENOMEM;
        	foo_run(dev, addr, n);
        	dma_sync_single_for_cpu(dev, addr[n], PAGE_SIZE, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
  ],
  'dma/stack-buffer': [
    {
      name: 'corpus: pointers loaded from a stack array and a stack struct',
      code: c`
        static int foo_tx(struct device *dev, struct xdp_frame *frm, const u8 *in[])
        {
        	struct { void *data; u32 len; } d;
        	const u8 *bufs[2] = { in[0], in[1] };
        	dma_addr_t a, b;

        	d.data = frm->data;
        	d.len = frm->len;
        	a = dma_map_single(dev, d.data, d.len, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, a))
        		return -ENOMEM;
        	b = dma_map_single(dev, (void *)bufs[1], 32, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, b))
        		return -ENOMEM;
        	foo_post(dev, a, b);
        	return 0;
        }
      `,
    },
  ],
  'dma/static-buffer': [
    {
      name: 'corpus: a kmalloc pointer kept in a static struct',
      code: c`
        static struct {
        	void *params;
        	dma_addr_t pa;
        } foo_ctrl;

        static int foo_probe(struct device *dev)
        {
        	foo_ctrl.params = kmalloc(64, GFP_KERNEL);
        	if (!foo_ctrl.params)
        		return -ENOMEM;
        	foo_ctrl.pa = dma_map_single(dev, foo_ctrl.params, 64, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, foo_ctrl.pa))
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
  ],
  'dma/direction-none': [
    {
      name: 'corpus: DMA_NONE rejected together with a count that bounds the map loop',
      code: c`
        static int foo_send_raw(struct foo *f, struct foo_user_req *u)
        {
        	enum dma_data_direction data_dir = DMA_NONE;
        	int i;

        	if (u->flags & FOO_DATA_IN)
        		data_dir = DMA_FROM_DEVICE;
        	else if (u->flags & FOO_DATA_OUT)
        		data_dir = DMA_TO_DEVICE;
        	if (data_dir == DMA_NONE && u->count)
        		return -EINVAL;
        	for (i = 0; i < u->count; i++) {
        		u->h[i] = dma_map_single(f->dev, u->buf[i], u->len[i], data_dir);
        		if (dma_mapping_error(f->dev, u->h[i]))
        			return -ENOMEM;
        	}
        	return 0;
        }
      `,
    },
  ],
  'dma/vmalloc-buffer': [
    {
      name: 'corpus: kvzalloc buffer mapped by a helper only called when it is not vmalloc space',
      code: c`
        static int foo_map_contig(struct device *dev, struct foo_pbl *pbl)
        {
        	pbl->dma = dma_map_single(dev, pbl->buf, pbl->size, DMA_TO_DEVICE);
        	return dma_mapping_error(dev, pbl->dma);
        }

        static int foo_pbl_init(struct device *dev, struct foo_pbl *pbl)
        {
        	pbl->buf = kvzalloc(pbl->size, GFP_KERNEL);
        	if (!pbl->buf)
        		return -ENOMEM;
        	if (is_vmalloc_addr(pbl->buf))
        		return foo_map_per_page(dev, pbl);
        	return foo_map_contig(dev, pbl);
        }
      `,
    },
  ],
  'dma/sync-non-dma-handle': [
    {
      name: 'corpus: IOMMU page tables whose driver asserts dma == phys',
      code: c`
        static int foo_alloc_table(struct device *dev, u32 *pt)
        {
        	dma_addr_t h = dma_map_single(dev, pt, FOO_PT_SIZE, DMA_TO_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	BUG_ON(h != virt_to_phys(pt));
        	return 0;
        }

        static void foo_set_entry(struct device *dev, u32 *pt, int i, u32 v)
        {
        	pt[i] = v;
        	dma_sync_single_for_device(dev, virt_to_phys(&pt[i]), sizeof(*pt), DMA_TO_DEVICE);
        }
      `,
    },
  ],
};
