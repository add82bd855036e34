// SPDX-License-Identifier: MIT
/*
 * sg_block: example scatter-gather engine of a block-ish device for DMA Lint.
 * sb_xfer_sg() contains two deliberate bugs (see README.md); sb_xfer_sg_ok()
 * and sb_xfer_table() are the correct dma_map_sg() and dma_map_sgtable() users.
 * The request front end that calls them is not shown.
 */

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/scatterlist.h>

#define SB_MAX_SEGS		128
#define SB_REG_DESC_COUNT	0x00
#define SB_REG_DOORBELL		0x04
#define SB_DESC_WRITE		BIT(0)
#define SB_TIMEOUT		(5 * HZ)

struct sb_desc {
	__le64 addr;
	__le32 len;
	__le32 flags;
};

struct sb_dev {
	struct device *dev;
	void __iomem *regs;
	struct sb_desc *descs;		/* coherent, SB_MAX_SEGS entries */
	struct completion done;
	int status;
};

static void sb_write_desc(struct sb_dev *sd, int i, dma_addr_t addr, unsigned int len,
			  bool write)
{
	sd->descs[i].addr = cpu_to_le64(addr);
	sd->descs[i].len = cpu_to_le32(len);
	sd->descs[i].flags = cpu_to_le32(write ? SB_DESC_WRITE : 0);
}

static int sb_run(struct sb_dev *sd, int count)
{
	reinit_completion(&sd->done);
	writel(count, sd->regs + SB_REG_DESC_COUNT);
	writel(1, sd->regs + SB_REG_DOORBELL);
	if (!wait_for_completion_timeout(&sd->done, SB_TIMEOUT))
		return -ETIMEDOUT;
	return sd->status;
}

int sb_xfer_sg(struct sb_dev *sd, struct scatterlist *sgl, int nents, bool write)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct scatterlist *sg;
	int count, i, ret;

	if (nents > SB_MAX_SEGS)
		return -EINVAL;

	count = dma_map_sg(sd->dev, sgl, nents, dir);
	if (count < 0)
		return -EIO;

	for_each_sg(sgl, sg, count, i)
		sb_write_desc(sd, i, sg_dma_address(sg), sg_dma_len(sg), write);
	ret = sb_run(sd, count);

	dma_unmap_sg(sd->dev, sgl, count, dir);
	return ret;
}

int sb_xfer_sg_ok(struct sb_dev *sd, struct scatterlist *sgl, int nents, bool write)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct scatterlist *sg;
	int count, i, ret;

	if (nents > SB_MAX_SEGS)
		return -EINVAL;

	count = dma_map_sg(sd->dev, sgl, nents, dir);
	if (!count)
		return -EIO;

	for_each_sg(sgl, sg, count, i)
		sb_write_desc(sd, i, sg_dma_address(sg), sg_dma_len(sg), write);
	ret = sb_run(sd, count);

	dma_unmap_sg(sd->dev, sgl, nents, dir);
	return ret;
}

int sb_xfer_table(struct sb_dev *sd, struct sg_table *sgt, bool write)
{
	enum dma_data_direction dir = write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct scatterlist *sg;
	int i, ret;

	if (sgt->orig_nents > SB_MAX_SEGS)
		return -EINVAL;

	ret = dma_map_sgtable(sd->dev, sgt, dir, 0);
	if (ret)
		return ret;

	for_each_sgtable_dma_sg(sgt, sg, i)
		sb_write_desc(sd, i, sg_dma_address(sg), sg_dma_len(sg), write);
	ret = sb_run(sd, sgt->nents);

	dma_unmap_sgtable(sd->dev, sgt, dir, 0);
	return ret;
}
