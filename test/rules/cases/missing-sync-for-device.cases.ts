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
  ],
};

export default cases;
