// SPDX-License-Identifier: MIT
/*
 * ring_net: example PCI Ethernet driver with deliberate DMA-API bugs (see README.md).
 * The netdev_ops, NAPI and pci_driver registration are left out for brevity.
 */

#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/iopoll.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#define RN_RING_SIZE		256
#define RN_RING_BYTES		(RN_RING_SIZE * sizeof(struct rn_desc))
#define RN_RX_BUF_LEN		2048
#define RN_CMD_LEN		256
#define RN_REG_CMD_LO		0x00
#define RN_REG_CMD_HI		0x04
#define RN_REG_STATUS		0x08
#define RN_REG_TX_TAIL		0x10
#define RN_STATUS_READY		BIT(0)
#define RN_DESC_OWN		BIT(31)
#define RN_DESC_DONE		BIT(30)
#define RN_DESC_LEN_MASK	GENMASK(15, 0)

struct rn_desc {
	__le64 addr;
	__le32 len;
	__le32 status;
};

struct rn_priv {
	struct pci_dev *pdev;
	struct net_device *ndev;
	struct napi_struct napi;
	void __iomem *regs;
	struct rn_desc *rx_ring;	/* both rings share one coherent block */
	struct rn_desc *tx_ring;
	dma_addr_t ring_dma;
	struct sk_buff *rx_skb[RN_RING_SIZE];
	dma_addr_t rx_dma[RN_RING_SIZE];
	struct sk_buff *tx_skb[RN_RING_SIZE];
	dma_addr_t tx_dma[RN_RING_SIZE];
	unsigned int rx_head;
	unsigned int tx_head;
};

static int rn_rx_refill(struct rn_priv *priv, unsigned int i)
{
	struct device *dev = &priv->pdev->dev;
	struct sk_buff *skb;

	skb = netdev_alloc_skb_ip_align(priv->ndev, RN_RX_BUF_LEN);
	if (!skb)
		return -ENOMEM;

	priv->rx_dma[i] = dma_map_single(dev, skb->data, RN_RX_BUF_LEN, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, priv->rx_dma[i])) {
		dev_kfree_skb_any(skb);
		return -ENOMEM;
	}

	priv->rx_skb[i] = skb;
	priv->rx_ring[i].addr = cpu_to_le64(priv->rx_dma[i]);
	priv->rx_ring[i].len = cpu_to_le32(RN_RX_BUF_LEN);
	dma_wmb();
	priv->rx_ring[i].status = cpu_to_le32(RN_DESC_OWN);
	return 0;
}

static int rn_rx_clean(struct rn_priv *priv, int budget)
{
	struct device *dev = &priv->pdev->dev;
	int done = 0;

	while (done < budget) {
		unsigned int i = priv->rx_head;
		u32 status = le32_to_cpu(READ_ONCE(priv->rx_ring[i].status));
		struct sk_buff *skb;

		if (!(status & RN_DESC_DONE))
			break;
		dma_rmb();

		dma_unmap_single(dev, priv->rx_dma[i], RN_RX_BUF_LEN, DMA_FROM_DEVICE);
		priv->rx_ring[i].status = 0;
		skb = priv->rx_skb[i];
		priv->rx_skb[i] = NULL;
		skb_put(skb, min_t(u32, status & RN_DESC_LEN_MASK, RN_RX_BUF_LEN));
		skb->protocol = eth_type_trans(skb, priv->ndev);
		napi_gro_receive(&priv->napi, skb);

		priv->rx_head = (i + 1) % RN_RING_SIZE;
		done++;
		if (rn_rx_refill(priv, i))
			break;
	}
	return done;
}

static void rn_free_rx_bufs(struct rn_priv *priv)
{
	struct device *dev = &priv->pdev->dev;
	unsigned int i;

	for (i = 0; i < RN_RING_SIZE; i++) {
		if (!priv->rx_skb[i])
			continue;
		dma_unmap_single(dev, priv->rx_dma[i], RN_RX_BUF_LEN, DMA_TO_DEVICE);
		dev_kfree_skb_any(priv->rx_skb[i]);
		priv->rx_skb[i] = NULL;
	}
}

static netdev_tx_t rn_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct rn_priv *priv = netdev_priv(ndev);
	struct device *dev = &priv->pdev->dev;
	unsigned int len = skb_headlen(skb);
	unsigned int i = priv->tx_head;
	dma_addr_t dma;

	dma = dma_map_single(dev, skb->data, len, DMA_TO_DEVICE);

	priv->tx_skb[i] = skb;
	priv->tx_dma[i] = dma;
	priv->tx_ring[i].addr = cpu_to_le64(dma);
	priv->tx_ring[i].len = cpu_to_le32(len);
	dma_wmb();
	priv->tx_ring[i].status = cpu_to_le32(RN_DESC_OWN);
	priv->tx_head = (i + 1) % RN_RING_SIZE;
	writel(priv->tx_head, priv->regs + RN_REG_TX_TAIL);
	return NETDEV_TX_OK;
}

static int rn_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct net_device *ndev;
	struct rn_priv *priv;
	dma_addr_t cmd_dma;
	void *cmd;
	u32 val;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	pci_set_master(pdev);
	ndev = devm_alloc_etherdev(dev, sizeof(*priv));
	if (!ndev)
		return -ENOMEM;
	SET_NETDEV_DEV(ndev, dev);
	priv = netdev_priv(ndev);
	priv->pdev = pdev;
	priv->ndev = ndev;
	priv->regs = pcim_iomap(pdev, 0, 0);
	if (!priv->regs)
		return -ENOMEM;

	cmd = kzalloc(RN_CMD_LEN, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;

	cmd_dma = dma_map_single(dev, cmd, RN_CMD_LEN, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, cmd_dma)) {
		err = -ENOMEM;
		goto err_free_cmd;
	}

	priv->rx_ring = dma_alloc_coherent(dev, 2 * RN_RING_BYTES, &priv->ring_dma, GFP_KERNEL);
	if (!priv->rx_ring) {
		err = -ENOMEM;
		goto err_free_cmd;
	}
	priv->tx_ring = priv->rx_ring + RN_RING_SIZE;

	writel(lower_32_bits(cmd_dma), priv->regs + RN_REG_CMD_LO);
	writel(upper_32_bits(cmd_dma), priv->regs + RN_REG_CMD_HI);
	err = readl_poll_timeout(priv->regs + RN_REG_STATUS, val,
				 val & RN_STATUS_READY, 100, 100000);
	if (err)
		goto err_free_rings;
	err = register_netdev(ndev);
	if (err)
		goto err_free_rings;

	dma_unmap_single(dev, cmd_dma, RN_CMD_LEN, DMA_TO_DEVICE);
	kfree(cmd);
	pci_set_drvdata(pdev, priv);
	return 0;

err_free_rings:
	dma_free_coherent(dev, 2 * RN_RING_BYTES, priv->rx_ring, priv->ring_dma);
	dma_unmap_single(dev, cmd_dma, RN_CMD_LEN, DMA_TO_DEVICE);
err_free_cmd:
	kfree(cmd);
	return err;
}
