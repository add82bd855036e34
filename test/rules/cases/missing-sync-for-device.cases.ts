import { c, type RuleCases } from '../rule-tester';

const cases: RuleCases = {
  rule: 'dma/missing-sync-for-device',
  valid: [
    {
      name: 'CPU writes after sync_for_cpu, then sync_for_device, then the doorbell',
      code: c`
        static int foo_ping(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_BIDIRECTIONAL);
        	buf[1] = buf[0] + 1;
        	dma_sync_single_for_device(f->dev, h, len, DMA_BIDIRECTIONAL);
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'CPU only reads after sync_for_cpu before restarting the device',
      code: c`
        static int foo_peek(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int v;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	v = buf[0];
        	dma_sync_single_for_device(f->dev, h, len, DMA_FROM_DEVICE);
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return v;
        }
      `,
    },
    {
      name: 'the doorbell rings after the buffer is unmapped',
      code: c`
        static int foo_once(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_BIDIRECTIONAL);
        	buf[0] = 0;
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	writel(0, f->regs + FOO_CTRL);
        	return 0;
        }
      `,
    },
    {
      name: 'a doorbell while the device still owns the buffer',
      code: c`
        static int foo_kick(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	writel(lower_32_bits(h), f->regs + FOO_ADDR);
        	writel(1, f->regs + FOO_DOORBELL);
        	foo_wait(f);
        	dma_unmap_single(f->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'only the coherent platform chosen',
      settings: { platforms: ['coherent'] },
      code: c`
        static int foo_ping(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_BIDIRECTIONAL);
        	buf[1] = 7;
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'sg list: CPU fills it after sync_sg_for_cpu, sync_sg_for_device before the doorbell',
      code: c`
        static int foo_sg_ping(struct foo *f, struct scatterlist *sgl, int nents, const u8 *msg, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	dma_sync_sg_for_cpu(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	sg_copy_from_buffer(sgl, nents, msg, len);
        	dma_sync_sg_for_device(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'sg table written after dma_unmap_sgtable, then a register write',
      code: c`
        static int foo_sgt_done(struct foo *f, struct sg_table *sgt, const u8 *msg, size_t len)
        {
        	int ret;

        	ret = dma_map_sgtable(f->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	if (ret)
        		return ret;
        	foo_run_sgt(f, sgt);
        	dma_unmap_sgtable(f->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	sg_copy_from_buffer(sgt->sgl, sgt->orig_nents, msg, len);
        	writel(0, f->regs + FOO_CTRL);
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'BIDIRECTIONAL buffer written after sync_for_cpu, doorbell without sync_for_device',
      code: c`
        static int foo_ping(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_BIDIRECTIONAL);
        	buf[1] = buf[0] + 1;
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /corrupts on armv7, arm64, arm64-pre-5\.19, swiotlb/ }],
    },
    {
      name: 'TO_DEVICE command block rewritten with memset between two runs',
      code: c`
        static int foo_twice(struct foo *f, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_run(f, h);
        	dma_sync_single_for_cpu(f->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	memset(cmd, 0, sizeof(*cmd));
        	iowrite32(FOO_GO, f->regs + FOO_CTRL);
        	foo_wait(f);
        	dma_unmap_single(f->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11 }],
    },
    {
      name: 'field written through the mapped struct pointer, then the device restarted',
      code: c`
        static int foo_update(struct foo *f, struct foo_desc *d)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, d, sizeof(*d), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_run(f, h);
        	dma_sync_single_for_cpu(f->dev, h, sizeof(*d), DMA_BIDIRECTIONAL);
        	d->flags |= FOO_DESC_OWN;
        	writel(1, f->regs + FOO_DOORBELL);
        	foo_wait(f);
        	dma_unmap_single(f->dev, h, sizeof(*d), DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
      errors: [{ line: 11 }],
    },
    {
      name: 'only swiotlb chosen',
      settings: { platforms: ['swiotlb'] },
      code: c`
        static int foo_ping(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_BIDIRECTIONAL);
        	buf[1] = 7;
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /corrupts on swiotlb \(swiotlb: the device reads the bounce copy/ }],
    },
    {
      name: 'sg list written with sg_copy_from_buffer after sync_sg_for_cpu, doorbell without sync_sg_for_device',
      code: c`
        static int foo_sg_ping(struct foo *f, struct scatterlist *sgl, int nents, const u8 *msg, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	dma_sync_sg_for_cpu(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	sg_copy_from_buffer(sgl, nents, msg, len);
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /the sg list 'sgl' still belongs to the CPU.*dma_sync_sg_for_device\(\); corrupts on armv7, arm64, arm64-pre-5\.19, swiotlb/ }],
    },
    {
      name: 'TO_DEVICE page rewritten through kmap_local_page() after sync_for_cpu, then the doorbell',
      code: c`
        static int foo_page_twice(struct foo *f, struct page *page, size_t len)
        {
        	dma_addr_t h;
        	u32 *p;

        	h = dma_map_page(f->dev, page, 0, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_run(f, h);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_TO_DEVICE);
        	p = kmap_local_page(page);
        	p[0] = cpu_to_le32(FOO_SEQ);
        	kunmap_local(p);
        	writel(1, f->regs + FOO_DOORBELL);
        	foo_wait(f);
        	dma_unmap_page(f->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 14, message: /the page 'page' still belongs to the CPU/ }],
    },
    {
      name: 'sg table entry written after sync_sgtable_for_cpu: only swiotlb chosen',
      settings: { platforms: ['swiotlb'] },
      code: c`
        static int foo_sgt_ping(struct foo *f, struct sg_table *sgt)
        {
        	struct scatterlist *sg;
        	int i, ret;

        	ret = dma_map_sgtable(f->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	if (ret)
        		return ret;
        	foo_run_sgt(f, sgt);
        	dma_sync_sgtable_for_cpu(f->dev, sgt, DMA_BIDIRECTIONAL);
        	for_each_sgtable_sg(sgt, sg, i)
        		memset(sg_virt(sg), 0, sg->length);
        	writel(1, f->regs + FOO_DOORBELL);
        	dma_unmap_sgtable(f->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	return 0;
        }
      `,
      errors: [{ line: 13, message: /corrupts on swiotlb \(swiotlb: the device reads the bounce copy/ }],
    },
  ],
};

export default cases;
