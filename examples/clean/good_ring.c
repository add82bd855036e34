// SPDX-License-Identifier: MIT
/*
 * good_ring: example ring driver that uses the DMA API correctly; DMA Lint must report
 * nothing here. The netdev_ops, NAPI and platform_driver glue are left out for brevity.
 */

#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/of_net.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#define GR_RING_SIZE		128
#define GR_RING_BYTES		(GR_RING_SIZE * sizeof(struct gr_desc))
#define GR_BUF_LEN		1536
#define GR_REG_TX_TAIL		0x10
#define GR_DESC_OWN		BIT(31)
#define GR_DESC_LEN_MASK	GENMASK(15, 0)

struct gr_desc {
	__le64 addr;
	__le32 ctrl;
	__le32 rsvd;
};

struct gr_priv {
	struct device *dev;
	struct net_device *ndev;
	void __iomem *regs;
	struct gr_desc *rx_ring, *tx_ring;	/* one coherent block, Rx ring first */
	dma_addr_t ring_dma;
	void *rx_buf[GR_RING_SIZE];
	dma_addr_t rx_dma[GR_RING_SIZE];
	struct sk_buff *tx_skb[GR_RING_SIZE];
	dma_addr_t tx_dma[GR_RING_SIZE];
	unsigned int rx_head, tx_head, tx_tail;
};

static int gr_rx_fill(struct gr_priv *priv)
{
	int i;

	for (i = 0; i < GR_RING_SIZE; i++) {
		void *buf = kmalloc(GR_BUF_LEN, GFP_KERNEL);
		dma_addr_t dma;

		if (!buf)
			goto err_unwind;
		dma = dma_map_single(priv->dev, buf, GR_BUF_LEN, DMA_FROM_DEVICE);
		if (dma_mapping_error(priv->dev, dma)) {
			kfree(buf);
			goto err_unwind;
		}
		priv->rx_buf[i] = buf;
		priv->rx_dma[i] = dma;
		priv->rx_ring[i].addr = cpu_to_le64(dma);
		priv->rx_ring[i].ctrl = cpu_to_le32(GR_DESC_OWN | GR_BUF_LEN);
	}
	return 0;

err_unwind:
	while (i--) {
		dma_unmap_single(priv->dev, priv->rx_dma[i], GR_BUF_LEN, DMA_FROM_DEVICE);
		kfree(priv->rx_buf[i]);
		priv->rx_buf[i] = NULL;
	}
	return -ENOMEM;
}

static void gr_rx_free(struct gr_priv *priv)
{
	int i;

	for (i = 0; i < GR_RING_SIZE; i++) {
		if (!priv->rx_buf[i])
			continue;
		dma_unmap_single(priv->dev, priv->rx_dma[i], GR_BUF_LEN, DMA_FROM_DEVICE);
		kfree(priv->rx_buf[i]);
		priv->rx_buf[i] = NULL;
	}
}

/* Copy every frame out and hand the same buffer straight back to the device. */
static int gr_rx_poll(struct gr_priv *priv, int budget)
{
	int done = 0;

	while (done < budget) {
		unsigned int i = priv->rx_head;
		u32 ctrl = le32_to_cpu(READ_ONCE(priv->rx_ring[i].ctrl));
		unsigned int len = min_t(u32, ctrl & GR_DESC_LEN_MASK, GR_BUF_LEN);
		struct sk_buff *skb;

		if (ctrl & GR_DESC_OWN)
			break;
		dma_rmb();

		skb = netdev_alloc_skb(priv->ndev, len);
		dma_sync_single_for_cpu(priv->dev, priv->rx_dma[i], len, DMA_FROM_DEVICE);
		if (skb)
			skb_put_data(skb, priv->rx_buf[i], len);
		dma_sync_single_for_device(priv->dev, priv->rx_dma[i], len, DMA_FROM_DEVICE);

		priv->rx_ring[i].ctrl = cpu_to_le32(GR_DESC_OWN | GR_BUF_LEN);
		priv->rx_head = (i + 1) % GR_RING_SIZE;
		done++;

		if (!skb) {
			priv->ndev->stats.rx_dropped++;
			continue;
		}
		skb->protocol = eth_type_trans(skb, priv->ndev);
		netif_receive_skb(skb);
	}
	return done;
}

static netdev_tx_t gr_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct gr_priv *priv = netdev_priv(ndev);
	unsigned int i = priv->tx_head;
	dma_addr_t dma;

	dma = dma_map_single(priv->dev, skb->data, skb_headlen(skb), DMA_TO_DEVICE);
	if (dma_mapping_error(priv->dev, dma)) {
		dev_kfree_skb_any(skb);
		ndev->stats.tx_dropped++;
		return NETDEV_TX_OK;
	}

	priv->tx_skb[i] = skb;
	priv->tx_dma[i] = dma;
	priv->tx_ring[i].addr = cpu_to_le64(dma);
	dma_wmb();
	priv->tx_ring[i].ctrl = cpu_to_le32(GR_DESC_OWN | skb_headlen(skb));
	priv->tx_head = (i + 1) % GR_RING_SIZE;
	writel(priv->tx_head, priv->regs + GR_REG_TX_TAIL);
	return NETDEV_TX_OK;
}

static void gr_tx_clean(struct gr_priv *priv)
{
	while (priv->tx_tail != priv->tx_head) {
		unsigned int i = priv->tx_tail;
		struct sk_buff *skb = priv->tx_skb[i];

		if (le32_to_cpu(READ_ONCE(priv->tx_ring[i].ctrl)) & GR_DESC_OWN)
			break;
		dma_unmap_single(priv->dev, priv->tx_dma[i], skb_headlen(skb), DMA_TO_DEVICE);
		dev_consume_skb_any(skb);
		priv->tx_skb[i] = NULL;
		priv->tx_tail = (i + 1) % GR_RING_SIZE;
	}
}

static int gr_probe(struct platform_device *pdev)
{
	struct net_device *ndev;
	struct gr_priv *priv;
	int err;

	ndev = devm_alloc_etherdev(&pdev->dev, sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, &pdev->dev);
	priv = netdev_priv(ndev);
	priv->dev = &pdev->dev;
	priv->ndev = ndev;
	priv->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->regs))
		return PTR_ERR(priv->regs);

	err = of_get_ethdev_address(pdev->dev.of_node, ndev);
	if (err)
		eth_hw_addr_random(ndev);

	priv->rx_ring = dma_alloc_coherent(priv->dev, 2 * GR_RING_BYTES, &priv->ring_dma,
					   GFP_KERNEL);
	if (!priv->rx_ring)
		return -ENOMEM;
	priv->tx_ring = priv->rx_ring + GR_RING_SIZE;

	err = gr_rx_fill(priv);
	if (err)
		goto err_free_rings;
	err = register_netdev(ndev);
	if (err)
		goto err_free_rx_bufs;
	platform_set_drvdata(pdev, priv);
	return 0;

err_free_rx_bufs:
	gr_rx_free(priv);
err_free_rings:
	dma_free_coherent(priv->dev, 2 * GR_RING_BYTES, priv->rx_ring, priv->ring_dma);
	return err;
}
