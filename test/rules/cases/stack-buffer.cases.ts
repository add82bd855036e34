import { c, type RuleCases } from '../rule-tester';

/** Finding line: the map / transfer call that is given stack memory. */
const cases: RuleCases = {
  rule: 'dma/stack-buffer',
  valid: [
    {
      name: 'kmalloc buffer held in a local pointer',
      code: c`
        static int foo_read_id(struct foo_priv *priv)
        {
        	dma_addr_t h;
        	u8 *buf;
        	int ret;

        	buf = kmalloc(FOO_ID_LEN, GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, buf, FOO_ID_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h)) {
        		kfree(buf);
        		return -ENOMEM;
        	}
        	ret = foo_run(priv, h, FOO_ID_LEN);
        	dma_unmap_single(priv->dev, h, FOO_ID_LEN, DMA_FROM_DEVICE);
        	if (!ret)
        		priv->id = buf[0];
        	kfree(buf);
        	return ret;
        }
      `,
    },
    {
      name: 'member of a heap struct',
      code: c`
        static int foo_rx_start(struct foo_priv *priv)
        {
        	struct foo_cmd *cmd = &priv->cmd;

        	priv->rx_dma = dma_map_single(priv->dev, priv->rx_buf, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->rx_dma))
        		return -ENOMEM;
        	priv->cmd_dma = dma_map_single(priv->dev, cmd, sizeof(*cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, priv->cmd_dma)) {
        		dma_unmap_single(priv->dev, priv->rx_dma, FOO_RX_BUF_LEN, DMA_FROM_DEVICE);
        		return -ENOMEM;
        	}
        	return 0;
        }
      `,
    },
    {
      name: 'spi_write_then_read copies, stack buffers are fine',
      code: c`
        static int foo_spi_read_reg(struct spi_device *spi, u8 reg, u16 *val)
        {
        	u8 tx[2] = { FOO_SPI_READ | reg, 0 };
        	u8 rx[2];
        	int ret;

        	ret = spi_write_then_read(spi, tx, sizeof(tx), rx, sizeof(rx));
        	if (ret)
        		return ret;
        	*val = get_unaligned_be16(rx);
        	return 0;
        }
      `,
    },
    {
      name: 'spi_w8r8 and usb_control_msg_recv copy internally',
      code: c`
        static int foo_get_status(struct foo_priv *priv)
        {
        	__le16 status;
        	int ret;

        	ret = spi_w8r8(priv->spi, FOO_CMD_STATUS);
        	if (ret < 0)
        		return ret;
        	ret = usb_control_msg_recv(priv->udev, 0, FOO_REQ_STATUS, USB_DIR_IN | USB_TYPE_VENDOR, 0, 0, &status, sizeof(status), 1000, GFP_KERNEL);
        	if (ret)
        		return ret;
        	return le16_to_cpu(status);
        }
      `,
    },
    {
      name: 'usb_control_msg with a kmalloc buffer',
      code: c`
        static int foo_usb_read_reg(struct foo_usb *fu, u16 reg, u32 *val)
        {
        	__le32 *buf;
        	int ret;

        	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
        	if (!buf)
        		return -ENOMEM;
        	ret = usb_control_msg(fu->udev, usb_rcvctrlpipe(fu->udev, 0), FOO_REQ_READ, USB_DIR_IN | USB_TYPE_VENDOR, 0, reg, buf, sizeof(*buf), 1000);
        	if (ret == sizeof(*buf)) {
        		*val = le32_to_cpup(buf);
        		ret = 0;
        	} else if (ret >= 0) {
        		ret = -EIO;
        	}
        	kfree(buf);
        	return ret;
        }
      `,
    },
    {
      name: 'spi_read into a DMA-safe buffer in the private struct',
      code: c`
        static int foo_spi_read_frame(struct foo_priv *priv)
        {
        	int ret;

        	ret = spi_read(priv->spi, priv->rx_frame, sizeof(priv->rx_frame));
        	if (ret)
        		return ret;
        	return foo_parse_frame(priv, priv->rx_frame);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'local array mapped with dma_map_single',
      code: c`
        static int foo_send_hdr(struct foo_priv *priv)
        {
        	u8 hdr[16];
        	dma_addr_t h;
        	int ret;

        	foo_build_hdr(priv, hdr);
        	h = dma_map_single(priv->dev, hdr, sizeof(hdr), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, sizeof(hdr));
        	dma_unmap_single(priv->dev, h, sizeof(hdr), DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'address of a local struct mapped',
      code: c`
        static int foo_exec_reset(struct foo_priv *priv)
        {
        	struct foo_cmd cmd = { .opcode = FOO_OP_RESET };
        	dma_addr_t h;
        	int ret;

        	h = dma_map_single(priv->dev, &cmd, sizeof(cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	ret = foo_run(priv, h, sizeof(cmd));
        	dma_unmap_single(priv->dev, h, sizeof(cmd), DMA_TO_DEVICE);
        	return ret;
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'spi_read into a local array',
      code: c`
        static int foo_spi_read_temp(struct spi_device *spi, int *temp)
        {
        	u8 buf[4];
        	int ret;

        	ret = spi_read(spi, buf, sizeof(buf));
        	if (ret)
        		return ret;
        	*temp = get_unaligned_be32(buf);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'usb_control_msg with a local array as data',
      code: c`
        static int foo_usb_read_mac(struct foo_usb *fu, u8 *mac)
        {
        	u8 data[ETH_ALEN];
        	int ret;

        	ret = usb_control_msg(fu->udev, usb_rcvctrlpipe(fu->udev, 0), FOO_REQ_MAC, USB_DIR_IN | USB_TYPE_VENDOR, 0, 0, data, sizeof(data), 1000);
        	if (ret != sizeof(data))
        		return ret < 0 ? ret : -EIO;
        	ether_addr_copy(mac, data);
        	return 0;
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'pointer into a local array mapped',
      code: c`
        static int foo_send_payload(struct foo_priv *priv, const u8 *src, size_t len)
        {
        	u8 frame[64];
        	u8 *payload = frame + FOO_HDR_LEN;
        	dma_addr_t h;

        	memcpy(payload, src, len);
        	h = dma_map_single(priv->dev, payload, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_run(priv, h, len);
        	dma_unmap_single(priv->dev, h, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'spi_write of the address of a local scalar',
      code: c`
        static int foo_spi_write_cfg(struct spi_device *spi, u8 cfg)
        {
        	__be16 word = cpu_to_be16(FOO_REG_CFG << 8 | cfg);

        	return spi_write(spi, &word, sizeof(word));
        }
      `,
      errors: [{ line: 5 }],
    },
    {
      name: 'usb_bulk_msg with a local buffer',
      code: c`
        static int foo_usb_send_cmd(struct foo_usb *fu, u8 op)
        {
        	u8 cmd[8] = { op };
        	int actual;

        	return usb_bulk_msg(fu->udev, usb_sndbulkpipe(fu->udev, 1), cmd, sizeof(cmd), &actual, 1000);
        }
      `,
      errors: [{ line: 6 }],
    },
    {
      name: 'local array mapped only under if',
      code: c`
        static int foo_maybe_dma(struct foo_priv *priv, bool use_dma)
        {
        	u8 buf[32];
        	dma_addr_t h;

        	if (use_dma) {
        		h = dma_map_single(priv->dev, buf, sizeof(buf), DMA_FROM_DEVICE);
        		if (dma_mapping_error(priv->dev, h))
        			return -ENOMEM;
        		foo_run(priv, h, sizeof(buf));
        		dma_unmap_single(priv->dev, h, sizeof(buf), DMA_FROM_DEVICE);
        	} else {
        		foo_pio_read(priv, buf, sizeof(buf));
        	}
        	return foo_parse(priv, buf);
        }
      `,
      errors: [{ line: 7 }],
    },
  ],
};

export default cases;
