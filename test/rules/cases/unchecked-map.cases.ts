import { c, type RuleCases } from '../rule-tester';

/** Finding line: the map call whose result reaches a use with no error test. */
const cases: RuleCases = {
  rule: 'dma/unchecked-map',
  valid: [
    {
      name: 'checked with dma_mapping_error then goto',
      code: c`
        static int foo_send_cmd(struct foo_priv *priv, void *cmd, size_t len)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(dev, cmd, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(dev, h)) {
        		ret = -ENOMEM;
        		goto err_out;
        	}
        	writel(lower_32_bits(h), priv->regs + FOO_CMD_ADDR_LO);
        	writel(upper_32_bits(h), priv->regs + FOO_CMD_ADDR_HI);
        	ret = foo_wait_cmd_done(priv);
        	dma_unmap_single(dev, h, len, DMA_TO_DEVICE);
        	return ret;

        err_out:
        	dev_err(dev, "command mapping failed\n");
        	return ret;
        }
      `,
    },
    {
      name: 'checked via unlikely() then return',
      code: c`
        static netdev_tx_t foo_start_xmit(struct sk_buff *skb, struct net_device *ndev)
        {
        	struct foo_priv *priv = netdev_priv(ndev);
        	struct foo_desc *desc = &priv->tx_ring[priv->tx_head];
        	dma_addr_t mapping;

        	mapping = dma_map_single(priv->dev, skb->data, skb_headlen(skb), DMA_TO_DEVICE);
        	if (unlikely(dma_mapping_error(priv->dev, mapping))) {
        		dev_kfree_skb_any(skb);
        		ndev->stats.tx_dropped++;
        		return NETDEV_TX_OK;
        	}
        	desc->addr = cpu_to_le64(mapping);
        	desc->ctrl = cpu_to_le32(skb_headlen(skb) | FOO_DESC_OWN);
        	priv->tx_skb[priv->tx_head] = skb;
        	priv->tx_head = (priv->tx_head + 1) % FOO_TX_RING_SIZE;
        	writel(priv->tx_head, priv->regs + FOO_TX_TAIL);
        	return NETDEV_TX_OK;
        }
      `,
    },
    {
      name: 'checked in an || with another condition',
      code: c`
        static int foo_rx_refill_one(struct foo_priv *priv, unsigned int i)
        {
        	struct device *dev = priv->dev;
        	struct sk_buff *skb;
        	dma_addr_t h;

        	skb = netdev_alloc_skb_ip_align(priv->ndev, FOO_RX_BUF_LEN);
        	if (!skb)
        		return -ENOMEM;
        	h = dma_map_single(dev, skb->data, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	if (priv->stopping || dma_mapping_error(dev, h)) {
        		dev_kfree_skb(skb);
        		return -ENOMEM;
        	}
        	priv->rx_skb[i] = skb;
        	priv->rx_ring[i].addr = cpu_to_le64(h);
        	return 0;
        }
      `,
    },
    {
      name: 'checked through a local wrapper that returns dma_mapping_error',
      code: c`
        static int foo_check(struct device *d, dma_addr_t a)
        {
        	return dma_mapping_error(d, a);
        }

        static int foo_post_buf(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (foo_check(priv->dev, h))
        		return -ENOMEM;
        	priv->cmd_dma = h;
        	priv->cmd_len = len;
        	writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
        	return 0;
        }
      `,
    },
    {
      name: 'checked in a loop body with goto unwind',
      code: c`
        static int foo_map_rx_ring(struct foo_priv *priv)
        {
        	struct device *dev = priv->dev;
        	dma_addr_t h;
        	int i;

        	for (i = 0; i < FOO_RX_RING_SIZE; i++) {
        		h = dma_map_single(dev, priv->rx_buf[i], FOO_RX_BUF_LEN,
        				   DMA_FROM_DEVICE);
        		if (dma_mapping_error(dev, h))
        			goto err_unwind;
        		priv->rx_dma[i] = h;
        		priv->rx_ring[i].addr = cpu_to_le64(h);
        	}
        	return 0;

        err_unwind:
        	while (--i >= 0)
        		dma_unmap_single(dev, priv->rx_dma[i], FOO_RX_BUF_LEN,
        				 DMA_FROM_DEVICE);
        	return -ENOMEM;
        }
      `,
    },
    {
      name: 'dma_map_sg count tested for zero',
      code: c`
        static int foo_dma_submit_sg(struct foo_priv *priv, struct scatterlist *sgl,
        			     int nents)
        {
        	struct scatterlist *sg;
        	int count, i;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	if (!count)
        		return -EIO;
        	for_each_sg(sgl, sg, count, i) {
        		priv->sg_desc[i].addr = cpu_to_le64(sg_dma_address(sg));
        		priv->sg_desc[i].len = cpu_to_le32(sg_dma_len(sg));
        	}
        	priv->sg_nents = nents;
        	return 0;
        }
      `,
    },
    {
      name: 'dma_map_sgtable result tested and propagated',
      code: c`
        static int foo_map_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	int ret;

        	ret = dma_map_sgtable(priv->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	if (ret)
        		return ret;
        	writel(lower_32_bits(sg_dma_address(sgt->sgl)), priv->regs + FOO_SG_BASE);
        	return 0;
        }
      `,
    },
    {
      name: 'check through an alias of the handle',
      code: c`
        static int foo_map_frame(struct foo_priv *priv, struct foo_frame *f)
        {
        	dma_addr_t h = dma_map_single(priv->dev, f->data, f->len, DMA_TO_DEVICE);
        	dma_addr_t mapping = h;

        	if (dma_mapping_error(priv->dev, mapping))
        		return -ENOMEM;
        	f->dma = mapping;
        	return 0;
        }
      `,
    },
    {
      name: 'dma_unmap_addr_set after the check',
      code: c`
        static int foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		      struct sk_buff *skb)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, skb->len);
        	return 0;
        }
      `,
    },
    {
      name: 'result of dma_mapping_error kept in a variable and tested',
      code: c`
        static int foo_map_status(struct foo_priv *priv)
        {
        	int ret;

        	priv->status_dma = dma_map_single(priv->dev, priv->status,
        					  sizeof(*priv->status), DMA_FROM_DEVICE);
        	ret = dma_mapping_error(priv->dev, priv->status_dma);
        	if (ret) {
        		dev_err(priv->dev, "cannot map status block\n");
        		return ret;
        	}
        	writel(lower_32_bits(priv->status_dma), priv->regs + FOO_STATUS_ADDR);
        	return 0;
        }
      `,
    },
    {
      name: 'map under if, checked inside the same branch',
      code: c`
        static int foo_queue_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h = 0;

        	if (cmd->len > FOO_INLINE_MAX) {
        		h = dma_map_single(priv->dev, cmd->payload, cmd->len, DMA_TO_DEVICE);
        		if (dma_mapping_error(priv->dev, h))
        			return -ENOMEM;
        		cmd->payload_dma = h;
        	}
        	foo_ring_doorbell(priv);
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'handle written to a descriptor without a check',
      code: c`
        static netdev_tx_t foo_start_xmit(struct sk_buff *skb, struct net_device *ndev)
        {
        	struct foo_priv *priv = netdev_priv(ndev);
        	struct foo_desc *desc = &priv->tx_ring[priv->tx_head];
        	dma_addr_t mapping;

        	mapping = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	desc->addr = cpu_to_le64(mapping);
        	desc->ctrl = cpu_to_le32(skb->len | FOO_DESC_OWN);
        	priv->tx_skb[priv->tx_head] = skb;
        	priv->tx_head = (priv->tx_head + 1) % FOO_TX_RING_SIZE;
        	writel(priv->tx_head, priv->regs + FOO_TX_TAIL);
        	return NETDEV_TX_OK;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'handle written to a register without a check',
      code: c`
        static int foo_start_capture(struct foo_priv *priv)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;

        	h = dma_map_single(dev, priv->frame, priv->frame_size, DMA_FROM_DEVICE);
        	writel(lower_32_bits(h), priv->regs + FOO_CAP_ADDR_LO);
        	writel(upper_32_bits(h), priv->regs + FOO_CAP_ADDR_HI);
        	writel(FOO_CAP_START, priv->regs + FOO_CAP_CTRL);
        	priv->frame_dma = h;
        	return 0;
        }
      `,
      output: c`
        static int foo_start_capture(struct foo_priv *priv)
        {
        	struct device *dev = &priv->pdev->dev;
        	dma_addr_t h;

        	h = dma_map_single(dev, priv->frame, priv->frame_size, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), priv->regs + FOO_CAP_ADDR_LO);
        	writel(upper_32_bits(h), priv->regs + FOO_CAP_ADDR_HI);
        	writel(FOO_CAP_START, priv->regs + FOO_CAP_CTRL);
        	priv->frame_dma = h;
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'handle stored straight into a struct field and used',
      code: c`
        static int foo_init_status(struct foo_priv *priv)
        {
        	priv->status_dma = dma_map_single(priv->dev, priv->status,
        					  sizeof(*priv->status), DMA_FROM_DEVICE);
        	writel(lower_32_bits(priv->status_dma), priv->regs + FOO_STATUS_ADDR);
        	return 0;
        }
      `,
      output: c`
        static int foo_init_status(struct foo_priv *priv)
        {
        	priv->status_dma = dma_map_single(priv->dev, priv->status,
        					  sizeof(*priv->status), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->status_dma))
        		return -ENOMEM;
        	writel(lower_32_bits(priv->status_dma), priv->regs + FOO_STATUS_ADDR);
        	return 0;
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'dma_map_sg count never tested',
      code: c`
        static int foo_dma_submit_sg(struct foo_priv *priv, struct scatterlist *sgl,
        			     int nents)
        {
        	struct scatterlist *sg;
        	int count, i;

        	count = dma_map_sg(priv->dev, sgl, nents, DMA_TO_DEVICE);
        	for_each_sg(sgl, sg, count, i) {
        		priv->sg_desc[i].addr = cpu_to_le64(sg_dma_address(sg));
        		priv->sg_desc[i].len = cpu_to_le32(sg_dma_len(sg));
        	}
        	priv->sg_nents = nents;
        	return 0;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'dma_map_sgtable result ignored',
      code: c`
        static int foo_map_table(struct foo_priv *priv, struct sg_table *sgt)
        {
        	dma_map_sgtable(priv->dev, sgt, DMA_TO_DEVICE, 0);
        	writel(lower_32_bits(sg_dma_address(sgt->sgl)), priv->regs + FOO_SG_BASE);
        	writel(sgt->nents, priv->regs + FOO_SG_COUNT);
        	return 0;
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'map under if, used after the if with no check',
      code: c`
        static int foo_queue_cmd(struct foo_priv *priv, struct foo_cmd *cmd)
        {
        	dma_addr_t h = 0;

        	if (cmd->len > FOO_INLINE_MAX)
        		h = dma_map_single(priv->dev, cmd->payload, cmd->len, DMA_TO_DEVICE);
        	cmd->hw->payload = cpu_to_le64(h);
        	foo_ring_doorbell(priv);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'alias written to the descriptor, neither name checked',
      code: c`
        static void foo_rx_refill_one(struct foo_priv *priv, unsigned int i,
        			      struct page *page)
        {
        	dma_addr_t h = dma_map_page(priv->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	dma_addr_t mapping = h;

        	priv->rx_page[i] = page;
        	priv->rx_ring[i].addr = cpu_to_le64(mapping);
        }
      `,
      errors: [{ line: 4 }],
    },
    {
      name: 'dma_unmap_addr_set of an unchecked handle',
      code: c`
        static void foo_tx_map(struct foo_priv *priv, struct foo_tx_buf *tx_buf,
        		       struct sk_buff *skb)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	dma_unmap_addr_set(tx_buf, dma, h);
        	dma_unmap_len_set(tx_buf, len, skb->len);
        	tx_buf->skb = skb;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'checked on one branch only, used on both',
      code: c`
        static int foo_map_tx(struct foo_priv *priv, struct sk_buff *skb, bool fast)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	if (!fast) {
        		if (dma_mapping_error(priv->dev, h))
        			return -ENOMEM;
        	}
        	priv->tx_ring[priv->tx_head].addr = cpu_to_le64(h);
        	return 0;
        }
      `,
      output: c`
        static int foo_map_tx(struct foo_priv *priv, struct sk_buff *skb, bool fast)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, skb->data, skb->len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	if (!fast) {
        		if (dma_mapping_error(priv->dev, h))
        			return -ENOMEM;
        	}
        	priv->tx_ring[priv->tx_head].addr = cpu_to_le64(h);
        	return 0;
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'fix (a): the earlier goto sets ret and its label frees what it guards',
      code: c`
        static int foo_setup_ring(struct foo_priv *priv)
        {
        	int ret;

        	priv->ring = kzalloc(FOO_RING_BYTES, GFP_KERNEL);
        	if (!priv->ring) {
        		ret = -ENOMEM;
        		goto err_free;
        	}
        	priv->ring_dma = dma_map_single(priv->dev, priv->ring, FOO_RING_BYTES, DMA_TO_DEVICE);
        	writel(lower_32_bits(priv->ring_dma), priv->regs + FOO_RING_ADDR);
        	return 0;

        err_free:
        	kfree(priv->ring);
        	return ret;
        }
      `,
      output: c`
        static int foo_setup_ring(struct foo_priv *priv)
        {
        	int ret;

        	priv->ring = kzalloc(FOO_RING_BYTES, GFP_KERNEL);
        	if (!priv->ring) {
        		ret = -ENOMEM;
        		goto err_free;
        	}
        	priv->ring_dma = dma_map_single(priv->dev, priv->ring, FOO_RING_BYTES, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->ring_dma)) {
        		ret = -ENOMEM;
        		goto err_free;
        	}
        	writel(lower_32_bits(priv->ring_dma), priv->regs + FOO_RING_ADDR);
        	return 0;

        err_free:
        	kfree(priv->ring);
        	return ret;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'fix (a): plain goto to a label that returns an errno constant',
      code: c`
        static int foo_send(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	if (len > FOO_MAX_LEN)
        		goto err_inval;
        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
        	return 0;

        err_inval:
        	return -EINVAL;
        }
      `,
      output: c`
        static int foo_send(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	if (len > FOO_MAX_LEN)
        		goto err_inval;
        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		goto err_inval;
        	writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
        	return 0;

        err_inval:
        	return -EINVAL;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'fix (b): declaration with initialiser, first acquisition, CRLF-free spaces indentation',
      code: c`
        static int foo_post(struct foo_priv *priv, void *buf, size_t len)
        {
            dma_addr_t h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);

            writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
            return 0;
        }
      `,
      output: c`
        static int foo_post(struct foo_priv *priv, void *buf, size_t len)
        {
            dma_addr_t h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
            if (dma_mapping_error(priv->dev, h))
                return -ENOMEM;

            writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
            return 0;
        }
      `,
      errors: [{ line: 3 }],
    },
    {
      name: 'no fix: the earlier goto guards a kmalloc its label does not free',
      code: c`
        static int foo_send_copy(struct foo_priv *priv, const void *data, size_t len)
        {
        	void *buf;
        	dma_addr_t h;

        	buf = kmalloc(len, GFP_KERNEL);
        	if (!buf)
        		goto err;
        	memcpy(buf, data, len);
        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
        	priv->tx_buf = buf;
        	return 0;

        err:
        	return -ENOMEM;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'no fix: something is acquired before the map and there is no unwind label',
      code: c`
        static int foo_send_locked(struct foo_priv *priv, void *buf, size_t len)
        {
        	dma_addr_t h;

        	spin_lock(&priv->lock);
        	h = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);
        	writel(lower_32_bits(h), priv->regs + FOO_BUF_ADDR);
        	spin_unlock(&priv->lock);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
  ],
};

export default cases;
