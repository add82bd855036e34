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
    {
      name: 'BIDIRECTIONAL sg list written after sync_sg_for_cpu and handed back with sync_sg_for_device',
      code: c`
        static int foo_sg_fix(struct foo *f, struct scatterlist *sgl, int nents, const u8 *msg, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	dma_sync_sg_for_cpu(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	sg_copy_from_buffer(sgl, nents, msg, len);
        	dma_sync_sg_for_device(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	foo_start_sg(f, sgl, n);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
    },
    {
      name: 'Rx page cleared through page_address() after dma_unmap_page',
      code: c`
        static int foo_page_clear(struct foo *f, struct page *page)
        {
        	dma_addr_t h;

        	h = dma_map_page(f->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, PAGE_SIZE);
        	dma_unmap_page(f->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
        	memset(page_address(page), 0, PAGE_SIZE);
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
    {
      name: 'FROM_DEVICE sg list written with sg_copy_from_buffer after sync_sg_for_cpu, then unmapped',
      code: c`
        static int foo_sg_rxw(struct foo *f, struct scatterlist *sgl, int nents, const u8 *msg, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	dma_sync_sg_for_cpu(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	sg_copy_from_buffer(sgl, nents, msg, len);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /the CPU wrote the sg list 'sgl'.*loses that write on armv7, arm64, arm64-pre-5\.19, swiotlb/ }],
    },
    {
      name: 'FROM_DEVICE sg entry cleared through sg_virt(), handed back with sync_sg_for_device',
      code: c`
        static int foo_sg_recycle(struct foo *f, struct scatterlist *sgl, int nents)
        {
        	struct scatterlist *sg;
        	int i, n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	dma_sync_sg_for_cpu(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	for_each_sg(sgl, sg, nents, i)
        		*(u32 *)sg_virt(sg) = 0;
        	dma_sync_sg_for_device(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	foo_start_sg(f, sgl, n);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 13, message: /loses that write on armv7, arm64-pre-5\.19 / }],
    },
    {
      name: 'Rx page written through page_address() after sync_for_cpu, then unmapped',
      code: c`
        static int foo_page_rxw(struct foo *f, struct page *page)
        {
        	dma_addr_t h;
        	u8 *va;

        	h = dma_map_page(f->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, PAGE_SIZE);
        	dma_sync_single_for_cpu(f->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
        	va = page_address(page);
        	va[0] = 0;
        	dma_unmap_page(f->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 13, message: /the CPU wrote the page 'page'/ }],
    },
  ],
};

export default cases;
