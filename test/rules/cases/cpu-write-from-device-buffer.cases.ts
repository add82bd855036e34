import { c, type RuleCases } from '../rule-tester';

const cases: RuleCases = {
  rule: 'dma/cpu-write-from-device-buffer',
  valid: [
    {
      name: 'Rx buffer only read after sync_for_cpu',
      code: c`
        static int foo_rx(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int v;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	v = buf[0];
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return v;
        }
      `,
    },
    {
      name: 'BIDIRECTIONAL buffer written after sync_for_cpu and handed back with sync_for_device',
      code: c`
        static int foo_fix(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_BIDIRECTIONAL);
        	buf[0] = 0;
        	dma_sync_single_for_device(f->dev, h, len, DMA_BIDIRECTIONAL);
        	foo_start(f, h, len);
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'written after the unmap: the CPU owns it again',
      code: c`
        static int foo_rx_clear(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	buf[0] = 0;
        	return 0;
        }
      `,
    },
    {
      name: 'TO_DEVICE buffer rewritten after sync_for_cpu and synced for the device',
      code: c`
        static int foo_resend(struct foo *f, struct foo_cmd *cmd)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_run(f, h);
        	dma_sync_single_for_cpu(f->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	cmd->seq++;
        	dma_sync_single_for_device(f->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	foo_run(f, h);
        	dma_unmap_single(f->dev, h, sizeof(*cmd), DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'only the coherent platform chosen',
      settings: { platforms: ['coherent'] },
      code: c`
        static int foo_rxw(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	buf[0] = 0;
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'Rx buffer marked consumed by the CPU, then unmapped',
      code: c`
        static int foo_rxw(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	buf[0] = 0;
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /armv7, arm64, arm64-pre-5\.19, swiotlb/ }],
    },
    {
      name: 'Rx status cleared by the CPU, then handed back with sync_for_device',
      code: c`
        static int foo_recycle(struct foo *f, struct foo_rx_desc *d)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, d, sizeof(*d), DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, sizeof(*d));
        	dma_sync_single_for_cpu(f->dev, h, sizeof(*d), DMA_FROM_DEVICE);
        	d->status = 0;
        	dma_sync_single_for_device(f->dev, h, sizeof(*d), DMA_FROM_DEVICE);
        	foo_start_rx(f, h, sizeof(*d));
        	dma_unmap_single(f->dev, h, sizeof(*d), DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /armv7, arm64-pre-5\.19/ }],
    },
    {
      name: 'memset of a FROM_DEVICE buffer before unmap',
      code: c`
        static int foo_scrub(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	memset(buf, 0, FOO_HDR_LEN);
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11 }],
    },
    {
      name: 'only swiotlb chosen: the copy back overwrites it',
      settings: { platforms: ['swiotlb'] },
      code: c`
        static int foo_rxw(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	buf[0] = 0;
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /loses that write on swiotlb \(swiotlb: the copy back/ }],
    },
  ],
};

export default cases;
