import { c, type RuleCases } from '../rule-tester';
import { kernelTree } from './kernel-tree';

/**
 * Finding line: the map / allocation call (the error exit is a related site).
 * Conventions these cases rely on:
 * - an error exit is a `return` of a negative errno constant, or of a variable that holds
 *   one on that path, reached directly or through `goto`;
 * - the mapping is "handed off" (not leaked) once it is stored into memory that outlives
 *   the function (a field or array element reached through a pointer, including
 *   `dma_unmap_addr_set`), returned, or written through an out-parameter;
 * - writing the handle to an MMIO register (`writel(lower_32_bits(h), ...)`) is a use,
 *   not a hand-off;
 * - `return 0` / `return NETDEV_TX_OK` are success exits: the device owns the mapping.
 */
const cases: RuleCases = {
  rule: 'dma/leak-on-error-path',
  valid: [
    {
      name: 'error path goes through a label that unmaps',
      code: c`
        static int foo_exec_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;

        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	writel(len, priv->regs + FOO_CMD_LEN);
        	if (foo_wait_done(priv)) {
        		ret = -ETIMEDOUT;
        		goto err_unmap;
        	}
        	dma_unmap_single(dev, h, len, DMA_TO_DEVICE);
        	return 0;

        err_unmap:
        	dma_unmap_single(dev, h, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'loop over a local handle array unwound in reverse',
      code: c`
        static int foo_xmit_frags(struct foo_priv *priv, struct sk_buff *skb)
        {
        	struct skb_shared_info *si = skb_shinfo(skb);
        	dma_addr_t addrs[MAX_SKB_FRAGS];
        	int i;

        	for (i = 0; i < si->nr_frags; i++) {
        		skb_frag_t *frag = &si->frags[i];

        		addrs[i] = skb_frag_dma_map(priv->dev, frag, 0, skb_frag_size(frag),
        					    DMA_TO_DEVICE);
        		if (dma_mapping_error(priv->dev, addrs[i]))
        			goto err_unwind;
        	}
        	foo_fill_descs(priv, skb, addrs, si->nr_frags);
        	return 0;

        err_unwind:
        	while (--i >= 0)
        		dma_unmap_page(priv->dev, addrs[i], skb_frag_size(&si->frags[i]),
        			       DMA_TO_DEVICE);
        	return -ENOMEM;
        }
      `,
    },
    {
      name: 'handle written into a ring descriptor before the error return (handed off)',
      code: c`
        static int foo_rx_fill(struct foo_priv *priv)
        {
        	struct foo_desc *desc = &priv->rx_ring[priv->rx_tail];
        	struct sk_buff *skb;
        	dma_addr_t h;

        	skb = netdev_alloc_skb(priv->ndev, FOO_RX_BUF_LEN);
        	if (!skb)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, skb->data, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		dev_kfree_skb(skb);
        		return -ENOMEM;
        	}
        	desc->addr = cpu_to_le64(h);
        	priv->rx_skb[priv->rx_tail] = skb;
        	if (priv->rx_tail == FOO_RX_RING_SIZE - 1)
        		return -ENOSPC;
        	priv->rx_tail++;
        	return 0;
        }
      `,
    },
    {
      name: 'handles stored in priv->rx_dma[i], failure returns (teardown unmaps them)',
      code: c`
        static int foo_alloc_rx_bufs(struct foo_priv *priv)
        {
        	struct device *dev = priv->dev;
        	dma_addr_t h;
        	int i;

        	for (i = 0; i < FOO_RX_RING_SIZE; i++) {
        		priv->rx_buf[i] = kmalloc(FOO_RX_BUF_LEN, GFP_KERNEL);
        		if (!priv->rx_buf[i])
        			return -ENOMEM;
        		h = dma_map_single(dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        				   DMA_FROM_DEVICE);
        		if (dma_mapping_error(dev, h))
        			return -ENOMEM;
        		priv->rx_dma[i] = h;
        	}
        	return 0;
        }
      `,
    },
    {
      name: 'mapping returned to the caller and through an out-parameter',
      code: c`
        static dma_addr_t foo_map_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return DMA_MAPPING_ERROR;
        	return h;
        }

        static int foo_map_buf(struct device *dev, void *buf, size_t len,
        		       dma_addr_t *out)
        {
        	dma_addr_t h;

        	h = dma_map_single(dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	*out = h;
        	return 0;
        }
      `,
    },
    {
      name: 'success exit with the mapping live (device owns it until the irq)',
      code: c`
        static int foo_start_rx(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	if (len > FOO_MAX_XFER)
        		return -EINVAL;
        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_RX_ADDR);
        	writel(len, priv->regs + FOO_RX_LEN);
        	writel(FOO_RX_GO, priv->regs + FOO_RX_CTRL);
        	return 0;
        }
      `,
    },
    {
      name: 'dmam_alloc_coherent is managed',
      code: c`
        static int foo_probe(struct platform_device *pdev)
        {
        	struct device *dev = &pdev->dev;
        	dma_addr_t ring_dma;
        	void *ring;
        	int irq;

        	ring = dmam_alloc_coherent(dev, FOO_RING_BYTES, &ring_dma, GFP_KERNEL);
        	if (!ring)
        		return -ENOMEM;
        	irq = platform_get_irq(pdev, 0);
        	if (irq < 0)
        		return irq;
        	return foo_hw_init(dev, ring, ring_dma, irq);
        }
      `,
    },
    {
      name: 'coherent allocation freed on the error path through goto',
      code: c`
        static int foo_load_firmware(struct foo_priv *priv, const struct firmware *fw)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t fw_dma;
        	void *fw_buf;
        	int ret = 0;

        	fw_buf = dma_alloc_coherent(dev, fw->size, &fw_dma, GFP_KERNEL);
        	if (!fw_buf)
        		return -ENOMEM;
        	memcpy(fw_buf, fw->data, fw->size);
        	writel(lower_32_bits(fw_dma), priv->regs + FOO_FW_ADDR);
        	writel(FOO_FW_LOAD, priv->regs + FOO_FW_CTRL);
        	if (foo_wait_fw_ready(priv)) {
        		dev_err(dev, "firmware load timed out\n");
        		ret = -ETIMEDOUT;
        		goto out_free;
        	}
        out_free:
        	dma_free_coherent(dev, fw->size, fw_buf, fw_dma);
        	return ret;
        }
      `,
    },
    {
      name: 'dma_unmap_addr_set is a hand-off',
      code: c`
        static int foo_tx_map_head(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        			   struct sk_buff *skb)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb_headlen(skb), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, skb_headlen(skb));
        	if (skb_shinfo(skb)->nr_frags > FOO_MAX_FRAGS)
        		return -EINVAL;
        	return 0;
        }
      `,
    },
    {
      name: 'error path unmaps through an alias',
      code: c`
        static int foo_send_frame(struct foo_priv *priv, void *frame, size_t len)
        {
        	dma_addr_t h, mapping;

        	h = dma_map_single(priv->dev, frame, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	mapping = h;
        	writel(lower_32_bits(mapping), priv->regs + FOO_TX_ADDR);
        	if (foo_wait_done(priv)) {
        		dma_unmap_single(priv->dev, mapping, len, DMA_TO_DEVICE);
        		return -EIO;
        	}
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'later allocation fails, returns -ENOMEM without unmapping',
      code: c`
        static int foo_start_xfer(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct foo_xfer *xfer;
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;

        	xfer = kzalloc(sizeof(*xfer), GFP_KERNEL);
        	if (!xfer)
        		return -ENOMEM;

        	xfer->len = len;
        	xfer->dma = h;
        	list_add_tail(&xfer->node, &priv->xfers);
        	writel(lower_32_bits(h), priv->regs + FOO_XFER_ADDR);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
      output: c`
        static int foo_start_xfer(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct foo_xfer *xfer;
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;

        	xfer = kzalloc(sizeof(*xfer), GFP_KERNEL);
        	if (!xfer) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}

        	xfer->len = len;
        	xfer->dma = h;
        	list_add_tail(&xfer->node, &priv->xfers);
        	writel(lower_32_bits(h), priv->regs + FOO_XFER_ADDR);
        	return 0;
        }
      `,
    },
    {
      name: 'one leaking return in a braced block: the fix unmaps before it',
      code: c`
        static int foo_send_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct foo_cmd *cmd;
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;

        	cmd = foo_next_cmd(priv);
        	if (!cmd) {
        		dev_err(priv->dev, "command ring full\n");
        		return -EBUSY;
        	}
        	cmd->addr = h;
        	return 0;
        }
      `,
      errors: [{ line: 6, message: /quick fix available/ }],
      output: c`
        static int foo_send_cmd(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct foo_cmd *cmd;
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;

        	cmd = foo_next_cmd(priv);
        	if (!cmd) {
        		dev_err(priv->dev, "command ring full\n");
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return -EBUSY;
        	}
        	cmd->addr = h;
        	return 0;
        }
      `,
    },
    {
      name: 'two leaking returns: no fix (the unwind label is the right shape, not two copies)',
      code: c`
        static int foo_send_two(struct foo_priv *priv, void *buf, size_t len)
        {
        	struct foo_cmd *cmd;
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;

        	cmd = foo_next_cmd(priv);
        	if (!cmd) {
        		return -EBUSY;
        	}
        	if (foo_ring_stopped(priv)) {
        		return -EIO;
        	}
        	cmd->addr = h;
        	return 0;
        }
      `,
      errors: [{ line: 6, message: /jumping to \(or adding\) the unwind label/ }],
    },
    {
      name: 'goto to a label below the unmap: the fix jumps to the label that unmaps',
      code: c`
        static int foo_exec_cmd(struct foo_priv *priv, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;
        	void *buf;
        	int ret;

        	buf = kmalloc(len, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	h = dma_map_single(dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, h)) {
        		ret = -ENOMEM;
        		goto err_free;
        	}
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	if (foo_wait_done(priv)) {
        		ret = -ETIMEDOUT;
        		goto err_free;
        	}
        	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
        	foo_parse_reply(priv, buf, len);
        	kfree(buf);
        	return 0;

        err_unmap:
        	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
        err_free:
        	kfree(buf);
        	return ret;
        }
      `,
      errors: [{ line: 11, message: /by jumping to 'err_unmap' instead of 'err_free' \(quick fix available\)/ }],
      output: c`
        static int foo_exec_cmd(struct foo_priv *priv, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;
        	void *buf;
        	int ret;

        	buf = kmalloc(len, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	h = dma_map_single(dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, h)) {
        		ret = -ENOMEM;
        		goto err_free;
        	}
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR);
        	if (foo_wait_done(priv)) {
        		ret = -ETIMEDOUT;
        		goto err_unmap;
        	}
        	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
        	foo_parse_reply(priv, buf, len);
        	kfree(buf);
        	return 0;

        err_unmap:
        	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
        err_free:
        	kfree(buf);
        	return ret;
        }
      `,
    },
    {
      name: 'loop mapping into a local array returns without unwinding',
      code: c`
        static int foo_xmit_frags(struct foo_priv *priv, struct sk_buff *skb)
        {
        	struct skb_shared_info *si = skb_shinfo(skb);
        	dma_addr_t addrs[MAX_SKB_FRAGS];
        	int i;

        	for (i = 0; i < si->nr_frags; i++) {
        		skb_frag_t *frag = &si->frags[i];

        		addrs[i] = skb_frag_dma_map(priv->dev, frag, 0, skb_frag_size(frag),
        					    DMA_TO_DEVICE);
        		if (dma_mapping_error(priv->dev, addrs[i]))
        			return -ENOMEM;
        	}
        	foo_fill_descs(priv, skb, addrs, si->nr_frags);
        	return 0;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'coherent allocation leaked when the device times out',
      code: c`
        static int foo_load_firmware(struct foo_priv *priv, const struct firmware *fw)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t fw_dma;
        	void *fw_buf;

        	fw_buf = dma_alloc_coherent(dev, fw->size, &fw_dma, GFP_KERNEL);
        	if (!fw_buf)
        		return -ENOMEM;
        	memcpy(fw_buf, fw->data, fw->size);
        	writel(lower_32_bits(fw_dma), priv->regs + FOO_FW_ADDR);
        	writel(FOO_FW_LOAD, priv->regs + FOO_FW_CTRL);
        	if (foo_wait_fw_ready(priv)) {
        		dev_err(dev, "firmware load timed out\n");
        		return -ETIMEDOUT;
        	}
        	dma_free_coherent(dev, fw->size, fw_buf, fw_dma);
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'sg mapping leaked when descriptor preparation fails: unmapped with the nents given to the map',
      code: c`
        static int foo_dma_write(struct foo_priv *priv, struct scatterlist *sgl,
        			 unsigned int nents)
        {
        	struct dma_async_tx_descriptor *txd;
        	int count;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	txd = dmaengine_prep_slave_sg(priv->chan, sgl, count, DMA_MEM_TO_DEV,
        				      DMA_PREP_INTERRUPT);
        	if (!txd) {
        		dev_err(priv->dev, "prep_slave_sg failed\n");
        		return -EINVAL;
        	}
        	dmaengine_submit(txd);
        	dma_async_issue_pending(priv->chan);
        	return 0;
        }
      `,
      errors: [{ line: 7, message: /before that return \(quick fix available\)/ }],
      output: c`
        static int foo_dma_write(struct foo_priv *priv, struct scatterlist *sgl,
        			 unsigned int nents)
        {
        	struct dma_async_tx_descriptor *txd;
        	int count;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	txd = dmaengine_prep_slave_sg(priv->chan, sgl, count, DMA_MEM_TO_DEV,
        				      DMA_PREP_INTERRUPT);
        	if (!txd) {
        		dev_err(priv->dev, "prep_slave_sg failed\n");
        		dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        		return -EINVAL;
        	}
        	dmaengine_submit(txd);
        	dma_async_issue_pending(priv->chan);
        	return 0;
        }
      `,
    },
    {
      name: 'map under if leaks on the later error return',
      code: c`
        static int foo_queue_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	if (cmd->len > FOO_INLINE_MAX) {
        		h = dma_map_single(priv->dev, cmd->payload, cmd->len, DMA_TO_DEVICE);
        		if (dma_mapping_error(priv->dev, h))
        			return -ENOMEM;
        		writel(lower_32_bits(h), priv->regs + FOO_CMD_PAYLOAD);
        	}
        	if (!foo_ring_has_space(priv))
        		return -EBUSY;
        	foo_ring_doorbell(priv);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'error return through a variable holding an errno',
      code: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_RD_ADDR);
        	ret = foo_wait_done(priv);
        	if (ret)
        		return ret;
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
      output: c`
        static int foo_read_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_RD_ADDR);
        	ret = foo_wait_done(priv);
        	if (ret) {
        		dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        		return ret;
        	}
        	dma_unmap_single(priv->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'leaking return as the body of an else: the fix adds braces',
      code: c`
        static int foo_load_fw(struct foo_priv *priv, void *fw, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, fw, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_FW_ADDR);
        	if (foo_wait_done(priv) == 0) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return 0;
        	} else
        		return -ETIMEDOUT;
        }
      `,
      errors: [{ line: 5 }],
      output: c`
        static int foo_load_fw(struct foo_priv *priv, void *fw, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, fw, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_FW_ADDR);
        	if (foo_wait_done(priv) == 0) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return 0;
        	} else {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return -ETIMEDOUT;
        	}
        }
      `,
    },
    {
      name: 'a comment after the leaking return: no fix (it would end up after the new brace)',
      code: c`
        static int foo_post(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv))
        		return -EBUSY; /* caller retries */
        	foo_post_desc(priv, h, len);
        	return 0;
        }
      `,
      errors: [{ line: 5, message: /jumping to \(or adding\) the unwind label/ }],
    },
    {
      name: 'the leaking return is shared with the success path: no fix (an unmap there would also run on success)',
      code: c`
        static int foo_write_block(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_WR_ADDR);
        	ret = foo_kick(priv);
        	if (!ret)
        		foo_track(priv, h);
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /jumping to \(or adding\) the unwind label/ }],
    },
    {
      name: 'a goto shared with an earlier failure: a new unwind label unmaps, only the leaking goto moves',
      code: c`
        static int foo_setup_ring(struct foo_priv *priv, void *cmd)
        {
        	struct device *dev = priv->dev;
        	dma_addr_t cmd_dma;
        	void *ring;
        	int ret;

        	cmd_dma = dma_map_single(dev, cmd, FOO_CMD_LEN, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, cmd_dma)) {
        		ret = -ENOMEM;
        		goto err_free_cmd;
        	}

        	ring = dma_alloc_coherent(dev, FOO_RING_BYTES, &priv->ring_dma, GFP_KERNEL);
        	if (!ring) {
        		ret = -ENOMEM;
        		goto err_free_cmd;
        	}
        	priv->ring = ring;
        	priv->cmd_dma = cmd_dma;
        	return 0;

        err_free_cmd:
        	kfree(cmd);
        	return ret;
        }
      `,
      errors: [{ line: 8, message: /in a new unwind label above 'err_free_cmd' \(quick fix available\)/ }],
      output: c`
        static int foo_setup_ring(struct foo_priv *priv, void *cmd)
        {
        	struct device *dev = priv->dev;
        	dma_addr_t cmd_dma;
        	void *ring;
        	int ret;

        	cmd_dma = dma_map_single(dev, cmd, FOO_CMD_LEN, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, cmd_dma)) {
        		ret = -ENOMEM;
        		goto err_free_cmd;
        	}

        	ring = dma_alloc_coherent(dev, FOO_RING_BYTES, &priv->ring_dma, GFP_KERNEL);
        	if (!ring) {
        		ret = -ENOMEM;
        		goto err_unmap_cmd_dma;
        	}
        	priv->ring = ring;
        	priv->cmd_dma = cmd_dma;
        	return 0;

        err_unmap_cmd_dma:
        	dma_unmap_single(dev, cmd_dma, FOO_CMD_LEN, DMA_TO_DEVICE);
        err_free_cmd:
        	kfree(cmd);
        	return ret;
        }
      `,
    },
    {
      name: 'a ladder: the new label goes below the step that undoes the later mapping (reverse order)',
      code: c`
        static int foo_xfer(struct foo_priv *priv, void *out, void *in, size_t len)
        {
        	dma_addr_t out_dma, in_dma;
        	int ret;

        	out_dma = dma_map_single(priv->dev, out, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, out_dma))
        		return -ENOMEM;
        	in_dma = dma_map_single(priv->dev, in, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, in_dma)) {
        		ret = -ENOMEM;
        		goto err_out;
        	}
        	writel(lower_32_bits(out_dma), priv->regs + FOO_SRC);
        	writel(lower_32_bits(in_dma), priv->regs + FOO_DST);
        	ret = foo_run(priv);
        	if (ret)
        		goto err_unmap_in;
        	dma_unmap_single(priv->dev, in_dma, len, DMA_FROM_DEVICE);
        	dma_unmap_single(priv->dev, out_dma, len, DMA_TO_DEVICE);
        	return 0;

        err_unmap_in:
        	dma_unmap_single(priv->dev, in_dma, len, DMA_FROM_DEVICE);
        err_out:
        	dev_err(priv->dev, "transfer failed: %d\n", ret);
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /in a new unwind label above 'err_out'/ }],
      output: c`
        static int foo_xfer(struct foo_priv *priv, void *out, void *in, size_t len)
        {
        	dma_addr_t out_dma, in_dma;
        	int ret;

        	out_dma = dma_map_single(priv->dev, out, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, out_dma))
        		return -ENOMEM;
        	in_dma = dma_map_single(priv->dev, in, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, in_dma)) {
        		ret = -ENOMEM;
        		goto err_unmap_out_dma;
        	}
        	writel(lower_32_bits(out_dma), priv->regs + FOO_SRC);
        	writel(lower_32_bits(in_dma), priv->regs + FOO_DST);
        	ret = foo_run(priv);
        	if (ret)
        		goto err_unmap_in;
        	dma_unmap_single(priv->dev, in_dma, len, DMA_FROM_DEVICE);
        	dma_unmap_single(priv->dev, out_dma, len, DMA_TO_DEVICE);
        	return 0;

        err_unmap_in:
        	dma_unmap_single(priv->dev, in_dma, len, DMA_FROM_DEVICE);
        err_unmap_out_dma:
        	dma_unmap_single(priv->dev, out_dma, len, DMA_TO_DEVICE);
        err_out:
        	dev_err(priv->dev, "transfer failed: %d\n", ret);
        	return ret;
        }
      `,
    },
    {
      name: 'a goto taken both with and without the mapping (it is mapped on one branch only): no label fix',
      code: c`
        static int foo_maybe_map(struct foo_priv *priv, void *buf, size_t len, bool dma)
        {
        	dma_addr_t h = 0;
        	int ret;

        	if (dma) {
        		h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        		if (dma_mapping_error(priv->dev, h))
        			return -ENOMEM;
        	}
        	ret = foo_prepare(priv);
        	if (ret)
        		goto err;
        	foo_go(priv, h);
        	return 0;
        err:
        	return ret;
        }
      `,
      errors: [{ line: 7, message: /jumping to \(or adding\) the unwind label/ }],
    },
    {
      name: 'the handle is used below the label: no label fix (an unmap there could collide); the one leaking return gets it',
      code: c`
        static int foo_post(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_queue(priv);
        	if (ret)
        		goto err;
        	foo_track(priv, h);
        	return 0;
        err:
        	dev_dbg(priv->dev, "post failed, handle %pad\n", &h);
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /before that return \(quick fix available\)/ }],
      output: c`
        static int foo_post(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_queue(priv);
        	if (ret)
        		goto err;
        	foo_track(priv, h);
        	return 0;
        err:
        	dev_dbg(priv->dev, "post failed, handle %pad\n", &h);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
    },
    {
      name: 'the label is also reached on success: no label fix (the unmap would run on success)',
      code: c`
        static int foo_probe_buf(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_check(priv);
        	if (ret)
        		goto out;
        	writel(lower_32_bits(h), priv->regs + FOO_ADDR);
        	ret = 0;
        out:
        	foo_unlock(priv);
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /jumping to \(or adding\) the unwind label/ }],
    },
    {
      name: 'paths falling into the label from the step above and a goto both hold the mapping: a label for the goto, the fall-through runs the unmap',
      code: c`
        static int foo_pair(struct foo_priv *priv, void *a, void *b, size_t len)
        {
        	dma_addr_t a_dma, b_dma;
        	int ret = -ENOMEM;

        	a_dma = dma_map_single(priv->dev, a, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, a_dma))
        		goto err_log;
        	b_dma = dma_map_single(priv->dev, b, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, b_dma))
        		goto err_log;
        	writel(lower_32_bits(a_dma), priv->regs + FOO_A);
        	writel(lower_32_bits(b_dma), priv->regs + FOO_B);
        	ret = foo_run(priv);
        	if (ret)
        		goto err_unmap_b;
        	return 0;

        err_unmap_b:
        	dma_unmap_single(priv->dev, b_dma, len, DMA_TO_DEVICE);
        err_log:
        	dev_err(priv->dev, "pair failed\n");
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /in a new unwind label above 'err_log'/ }],
      output: c`
        static int foo_pair(struct foo_priv *priv, void *a, void *b, size_t len)
        {
        	dma_addr_t a_dma, b_dma;
        	int ret = -ENOMEM;

        	a_dma = dma_map_single(priv->dev, a, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, a_dma))
        		goto err_log;
        	b_dma = dma_map_single(priv->dev, b, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, b_dma))
        		goto err_unmap_a_dma;
        	writel(lower_32_bits(a_dma), priv->regs + FOO_A);
        	writel(lower_32_bits(b_dma), priv->regs + FOO_B);
        	ret = foo_run(priv);
        	if (ret)
        		goto err_unmap_b;
        	return 0;

        err_unmap_b:
        	dma_unmap_single(priv->dev, b_dma, len, DMA_TO_DEVICE);
        err_unmap_a_dma:
        	dma_unmap_single(priv->dev, a_dma, len, DMA_TO_DEVICE);
        err_log:
        	dev_err(priv->dev, "pair failed\n");
        	return ret;
        }
      `,
    },
    {
      name: 'only paths falling into the label hold the mapping: a plain unmap above it (a label nobody jumps to would warn)',
      code: c`
        static int foo_pair(struct foo_priv *priv, void *a, void *b, size_t len)
        {
        	dma_addr_t a_dma, b_dma;
        	int ret = -ENOMEM;

        	a_dma = dma_map_single(priv->dev, a, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, a_dma))
        		goto err_log;
        	b_dma = dma_map_single(priv->dev, b, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, b_dma)) {
        		dma_unmap_single(priv->dev, a_dma, len, DMA_TO_DEVICE);
        		goto err_log;
        	}
        	writel(lower_32_bits(a_dma), priv->regs + FOO_A);
        	writel(lower_32_bits(b_dma), priv->regs + FOO_B);
        	ret = foo_run(priv);
        	if (ret)
        		goto err_unmap_b;
        	return 0;

        err_unmap_b:
        	dma_unmap_single(priv->dev, b_dma, len, DMA_TO_DEVICE);
        err_log:
        	dev_err(priv->dev, "pair failed\n");
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /above the unwind label 'err_log'/ }],
      output: c`
        static int foo_pair(struct foo_priv *priv, void *a, void *b, size_t len)
        {
        	dma_addr_t a_dma, b_dma;
        	int ret = -ENOMEM;

        	a_dma = dma_map_single(priv->dev, a, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, a_dma))
        		goto err_log;
        	b_dma = dma_map_single(priv->dev, b, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, b_dma)) {
        		dma_unmap_single(priv->dev, a_dma, len, DMA_TO_DEVICE);
        		goto err_log;
        	}
        	writel(lower_32_bits(a_dma), priv->regs + FOO_A);
        	writel(lower_32_bits(b_dma), priv->regs + FOO_B);
        	ret = foo_run(priv);
        	if (ret)
        		goto err_unmap_b;
        	return 0;

        err_unmap_b:
        	dma_unmap_single(priv->dev, b_dma, len, DMA_TO_DEVICE);
        	dma_unmap_single(priv->dev, a_dma, len, DMA_TO_DEVICE);
        err_log:
        	dev_err(priv->dev, "pair failed\n");
        	return ret;
        }
      `,
    },
    {
      name: 'an sg list leaked through a shared label: the new label unmaps the list with the original nents',
      code: c`
        static int foo_dma_xfer(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	struct dma_async_tx_descriptor *desc;
        	int count, ret;

        	ret = foo_lock_channel(priv);
        	if (ret)
        		goto err_out;
        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count) {
        		ret = -ENOMEM;
        		goto err_unlock;
        	}
        	desc = foo_prep(priv, count);
        	if (!desc) {
        		ret = -EBUSY;
        		goto err_unlock;
        	}
        	foo_submit(priv, desc);
        	return 0;

        err_unlock:
        	foo_unlock_channel(priv);
        err_out:
        	return ret;
        }
      `,
      errors: [{ line: 9, message: /in a new unwind label above 'err_unlock'/ }],
      output: c`
        static int foo_dma_xfer(struct foo_priv *priv, struct scatterlist *sgl, int nents)
        {
        	struct dma_async_tx_descriptor *desc;
        	int count, ret;

        	ret = foo_lock_channel(priv);
        	if (ret)
        		goto err_out;
        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count) {
        		ret = -ENOMEM;
        		goto err_unlock;
        	}
        	desc = foo_prep(priv, count);
        	if (!desc) {
        		ret = -EBUSY;
        		goto err_unmap_sgl;
        	}
        	foo_submit(priv, desc);
        	return 0;

        err_unmap_sgl:
        	dma_unmap_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        err_unlock:
        	foo_unlock_channel(priv);
        err_out:
        	return ret;
        }
      `,
    },
    {
      name: 'some paths below the label release the mapping through an alias: no label fix (it would unmap twice there)',
      code: c`
        static int foo_retry_post(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h, first;
        	int ret;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	first = h;
        	ret = foo_queue(priv);
        	if (ret)
        		goto err;
        	writel(lower_32_bits(h), priv->regs + FOO_ADDR);
        	return 0;
        err:
        	if (foo_ring_dead(priv))
        		dma_unmap_single(priv->dev, first, len, DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 6, message: /jumping to \(or adding\) the unwind label/ }],
    },
    {
      name: 'Kconfig: a leak is wrong everywhere, also in a pSeries-only driver with only the ARM platforms chosen',
      code: c`
        static int foo_start_xfer(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv))
        		return -EBUSY;
        	foo_post(priv, h, len);
        	return 0;
        }
      `,
      kernelTree: kernelTree('PPC_PSERIES'),
      settings: { platforms: ['armv7', 'arm64'] },
      errors: [{ line: 5 }],
      output: c`
        static int foo_start_xfer(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (foo_ring_full(priv)) {
        		dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        		return -EBUSY;
        	}
        	foo_post(priv, h, len);
        	return 0;
        }
      `,
    },
  ],
};

export default cases;
