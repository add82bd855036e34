import { c, type RuleCases } from '../rule-tester';

const ALL_BUT_COHERENT = /corrupts on armv7, arm64, arm64-pre-5\.19, swiotlb/;

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
  ],
  invalid: [
    {
      name: 'Rx buffer read before sync_for_cpu or unmap',
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
  ],
};

export default cases;
