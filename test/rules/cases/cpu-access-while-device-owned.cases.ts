import { c, type RuleCases } from '../rule-tester';
import { kernelTree } from './kernel-tree';

const ALL_BUT_COHERENT = /corrupts on armv7, arm64, arm64-pre-5\.19, swiotlb/;

const RX_READ_BEFORE_UNMAP = c`
  static int foo_rx(struct foo *f, u8 *buf, size_t len)
  {
  	dma_addr_t h;
  	int status;

  	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
  	if (dma_mapping_error(f->dev, h))
  		return -ENOMEM;
  	foo_start_rx(f, h, len);
  	foo_wait(f);
  	status = buf[0];
  	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
  	return status;
  }
`;

const cases: RuleCases = {
  rule: 'dma/cpu-access-while-device-owned',
  valid: [
    {
      name: 'sync_for_cpu / sync_for_device ping-pong around the CPU read',
      code: c`
        static int foo_poll(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int status;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	foo_wait(f);
        	dma_sync_single_for_cpu(f->dev, h, len, DMA_FROM_DEVICE);
        	status = buf[0];
        	dma_sync_single_for_device(f->dev, h, len, DMA_FROM_DEVICE);
        	foo_start_rx(f, h, len);
        	foo_wait(f);
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return status;
        }
      `,
    },
    {
      name: 'read after unmap',
      code: c`
        static int foo_read_status(struct foo *f, struct foo_status *st)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, st, sizeof(*st), DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_fetch_status(f, h);
        	dma_unmap_single(f->dev, h, sizeof(*st), DMA_FROM_DEVICE);
        	return le32_to_cpu(st->code);
        }
      `,
    },
    {
      name: 'the CPU fills a Tx buffer before mapping it',
      code: c`
        static int foo_send(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	buf[0] = FOO_CMD_RESET;
        	memcpy(buf + 1, f->cfg, len - 1);
        	h = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_tx(f, h, len);
        	dma_unmap_single(f->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'reading a TO_DEVICE buffer while the device reads it is harmless',
      code: c`
        static int foo_send_logged(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_tx(f, h, len);
        	dev_dbg(f->dev, "sent opcode %02x\n", buf[0]);
        	dma_unmap_single(f->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'only the coherent platform chosen: nothing corrupts there',
      settings: { platforms: ['coherent'] },
      code: c`
        static int foo_rx(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int status;

        	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	foo_wait(f);
        	status = buf[0];
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return status;
        }
      `,
    },
    {
      name: 'sg list: sync_sg_for_cpu / sync_sg_for_device ping-pong around the sg_virt() read',
      code: c`
        static int foo_sg_poll(struct foo *f, struct scatterlist *sgl, int nents)
        {
        	struct scatterlist *sg;
        	int i, n, sum = 0;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	foo_wait(f);
        	dma_sync_sg_for_cpu(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	for_each_sg(sgl, sg, nents, i)
        		sum += *(u8 *)sg_virt(sg);
        	dma_sync_sg_for_device(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	foo_start_sg(f, sgl, n);
        	foo_wait(f);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return sum;
        }
      `,
    },
    {
      name: 'sg list copied out after dma_unmap_sg',
      code: c`
        static int foo_sg_read(struct foo *f, struct scatterlist *sgl, int nents, u8 *out, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	foo_wait(f);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	sg_copy_to_buffer(sgl, nents, out, len);
        	return 0;
        }
      `,
    },
    {
      name: 'an entry of a different, unmapped sg list',
      code: c`
        static int foo_sg_two(struct foo *f, struct scatterlist *rx, struct scatterlist *log, int nents)
        {
        	struct scatterlist *sg;
        	int i, n, sum = 0;

        	n = dma_map_sg(f->dev, rx, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, rx, n);
        	for_each_sg(log, sg, nents, i)
        		sum += *(u8 *)sg_virt(sg);
        	foo_wait(f);
        	dma_unmap_sg(f->dev, rx, nents, DMA_FROM_DEVICE);
        	return sum;
        }
      `,
    },
    {
      name: 'skb->data read after dma_unmap_single',
      code: c`
        static int foo_rx_skb(struct foo *f, struct sk_buff *skb, unsigned int len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, skb->data, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	foo_wait(f);
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return skb->data[0] == FOO_MAGIC;
        }
      `,
    },
    {
      name: 'page read through kmap_local_page() after dma_unmap_page',
      code: c`
        static int foo_page_rx(struct foo *f, struct page *page)
        {
        	dma_addr_t h;
        	u8 *va;
        	int v;

        	h = dma_map_page(f->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, PAGE_SIZE);
        	foo_wait(f);
        	dma_unmap_page(f->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
        	va = kmap_local_page(page);
        	v = va[0];
        	kunmap_local(va);
        	return v;
        }
      `,
    },
    {
      name: 'list mapped as sgt->sgl, synced for the CPU as its table',
      code: c`
        static int foo_sgt_peek(struct foo *f, struct sg_table *sgt, u8 *out, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgt->sgl, sgt->orig_nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgt->sgl, n);
        	foo_wait(f);
        	dma_sync_sgtable_for_cpu(f->dev, sgt, DMA_FROM_DEVICE);
        	sg_copy_to_buffer(sgt->sgl, sgt->orig_nents, out, len);
        	dma_unmap_sg(f->dev, sgt->sgl, sgt->orig_nents, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'sg list read before sync: only the coherent platform chosen',
      settings: { platforms: ['coherent'] },
      code: c`
        static int foo_sg_rx(struct foo *f, struct scatterlist *sgl, int nents, u8 *out, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	foo_wait(f);
        	sg_copy_to_buffer(sgl, nents, out, len);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'Kconfig: a pSeries-only driver with only the ARM platforms chosen',
      code: RX_READ_BEFORE_UNMAP,
      kernelTree: kernelTree('PPC_PSERIES'),
      settings: { platforms: ['armv7', 'arm64'] },
    },
  ],
  invalid: [
    {
      name: 'Rx buffer read before sync_for_cpu or unmap',
      code: RX_READ_BEFORE_UNMAP,
      errors: [{ line: 11, message: ALL_BUT_COHERENT }],
    },
    {
      name: 'Tx buffer patched after mapping',
      code: c`
        static int foo_tx(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	buf[0] = FOO_CMD_GO;
        	foo_start_tx(f, h, len);
        	dma_unmap_single(f->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 8, message: ALL_BUT_COHERENT }],
    },
    {
      name: 'memcpy out of a BIDIRECTIONAL buffer through an alias while the device owns it',
      code: c`
        static int foo_xchg(struct foo *f, u8 *buf, u8 *out, size_t len)
        {
        	dma_addr_t h;
        	u8 *payload = buf + FOO_HDR_LEN;

        	h = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_run(f, h, len);
        	memcpy(out, payload, len - FOO_HDR_LEN);
        	dma_unmap_single(f->dev, h, len, DMA_BIDIRECTIONAL);
        	return 0;
        }
      `,
      errors: [{ line: 10 }],
    },
    {
      name: 'only swiotlb chosen: the read is still stale there, and the finding says so',
      settings: { platforms: ['swiotlb'] },
      code: c`
        static int foo_rx(struct foo *f, struct foo_msg *msg)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, msg, sizeof(*msg), DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, sizeof(*msg));
        	if (msg->len > FOO_MAX)
        		return -EIO;
        	dma_unmap_single(f->dev, h, sizeof(*msg), DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 9, message: /corrupts on swiotlb \(swiotlb: the CPU reads the original buffer/ }],
    },
    {
      name: 'sg_virt() read of an entry after dma_map_sg(FROM_DEVICE), no sync_sg_for_cpu',
      code: c`
        static int foo_sg_rx(struct foo *f, struct scatterlist *sgl, int nents)
        {
        	struct scatterlist *sg;
        	int i, n, sum = 0;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	foo_wait(f);
        	for_each_sg(sgl, sg, nents, i)
        		sum += *(u8 *)sg_virt(sg);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return sum;
        }
      `,
      errors: [{ line: 12, message: /the CPU reads the sg list 'sgl' while the device owns it.*corrupts on armv7, arm64, arm64-pre-5\.19, swiotlb.*dma_sync_sg_for_cpu\(\)/ }],
    },
    {
      name: 'sg_copy_to_buffer() before dma_unmap_sg',
      code: c`
        static int foo_sg_read(struct foo *f, struct scatterlist *sgl, int nents, u8 *out, size_t len)
        {
        	int n;

        	n = dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	if (!n)
        		return -ENOMEM;
        	foo_start_sg(f, sgl, n);
        	foo_wait(f);
        	sg_copy_to_buffer(sgl, nents, out, len);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 10, message: ALL_BUT_COHERENT }],
    },
    {
      name: 'page written through page_address() while mapped TO_DEVICE, then the doorbell',
      code: c`
        static int foo_page_tx(struct foo *f, struct page *page, size_t len)
        {
        	dma_addr_t h;
        	u8 *va = page_address(page);

        	h = dma_map_page(f->dev, page, 0, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	va[0] = FOO_CMD_GO;
        	writel(1, f->regs + FOO_DOORBELL);
        	foo_wait(f);
        	dma_unmap_page(f->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 9, message: /the CPU writes the page 'page' while the device owns it/ }],
    },
    {
      name: 'skb->data read while the Rx mapping of skb->data is live',
      code: c`
        static int foo_rx_skb(struct foo *f, struct sk_buff *skb, unsigned int len)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, skb->data, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	foo_wait(f);
        	if (skb->data[0] != FOO_MAGIC)
        		return -EIO;
        	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 10, message: ALL_BUT_COHERENT }],
    },
    {
      name: 'memcpy out of sg_virt() of an sg_table entry mapped with dma_map_sgtable',
      code: c`
        static int foo_sgt_rx(struct foo *f, struct sg_table *sgt, u8 *out)
        {
        	struct scatterlist *sg;
        	int i, ret;

        	ret = dma_map_sgtable(f->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	if (ret)
        		return ret;
        	foo_run_sgt(f, sgt);
        	for_each_sgtable_sg(sgt, sg, i)
        		memcpy(out, sg_virt(sg), sg->length);
        	dma_unmap_sgtable(f->dev, sgt, DMA_BIDIRECTIONAL, 0);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /the sg table 'sgt'.*dma_sync_sgtable_for_cpu\(\)/ }],
    },
    {
      name: 'page of an sg entry read through page_address(sg_page(sg)): only swiotlb chosen',
      settings: { platforms: ['swiotlb'] },
      code: c`
        static u32 foo_sg_status(struct foo *f, struct scatterlist *sgl, int nents)
        {
        	struct scatterlist *sg;
        	u32 v;

        	if (!dma_map_sg(f->dev, sgl, nents, DMA_FROM_DEVICE))
        		return 0;
        	foo_start_sg(f, sgl, nents);
        	foo_wait(f);
        	sg = sg_next(sgl);
        	v = *(u32 *)(page_address(sg_page(sg)) + sg->offset);
        	dma_unmap_sg(f->dev, sgl, nents, DMA_FROM_DEVICE);
        	return v;
        }
      `,
      errors: [{ line: 11, message: /corrupts on swiotlb \(swiotlb: the CPU reads the original buffer/ }],
    },
    {
      name: 'dma_map_page() of virt_to_page(buf): buf read before the unmap',
      code: c`
        static int foo_rx_virt(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t h;
        	int v;

        	h = dma_map_page(f->dev, virt_to_page(buf), offset_in_page(buf), len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start_rx(f, h, len);
        	foo_wait(f);
        	v = buf[0];
        	dma_unmap_page(f->dev, h, len, DMA_FROM_DEVICE);
        	return v;
        }
      `,
      errors: [{ line: 11, message: ALL_BUT_COHERENT }],
    },
    {
      name: 'Kconfig: a pSeries-only driver still corrupts with swiotlb',
      code: RX_READ_BEFORE_UNMAP,
      kernelTree: kernelTree('PPC_PSERIES'),
      errors: [{ line: 11, message: /corrupts on swiotlb \(swiotlb: / }],
    },
    {
      name: 'Kconfig: COMPILE_TEST is not a platform, an unknown symbol rules nothing out',
      code: RX_READ_BEFORE_UNMAP,
      kernelTree: kernelTree('(ARCH_FOO || COMPILE_TEST) && HAS_IOMEM'),
      errors: [{ line: 11, message: /corrupts on armv7, swiotlb \(/ }],
    },
    {
      name: 'Kconfig: a composite object whose symbol is not in the tree narrows nothing',
      code: RX_READ_BEFORE_UNMAP,
      kernelTree: { ...kernelTree('PPC_PSERIES'), 'drivers/dmalint/Makefile': 'obj-$(CONFIG_DMALINT_BAR) += bar.o\nbar-y := foo_main.o\n' },
      errors: [{ line: 11, message: ALL_BUT_COHERENT }],
    },
  ],
};

export default cases;
