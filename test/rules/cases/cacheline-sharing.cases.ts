import { c, type RuleCases } from '../rule-tester';

const cases: RuleCases = {
  rule: 'dma/cacheline-sharing',
  valid: [
    {
      name: 'last member aligned to IIO_DMA_MINALIGN',
      code: c`
        struct foo_state {
        	struct spi_device *spi;
        	struct mutex lock;
        	int last_value;
        	u8 rx_buf[4] __aligned(IIO_DMA_MINALIGN);
        };

        static int foo_read(struct foo_state *st)
        {
        	dma_addr_t h;

        	h = dma_map_single(&st->spi->dev, st->rx_buf, sizeof(st->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(&st->spi->dev, h))
        		return -ENOMEM;
        	foo_start(st, h);
        	return 0;
        }
      `,
    },
    {
      name: 'member aligned to ARCH_DMA_MINALIGN on both sides',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	u32 flags;
        	__le32 status __aligned(ARCH_DMA_MINALIGN);
        	spinlock_t lock __aligned(ARCH_DMA_MINALIGN);
        	unsigned long count;
        };

        static int foo_poll(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, &priv->status, sizeof(priv->status), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
    },
    {
      name: 'a whole kmalloc buffer behind a pointer member',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	u8 *rx_buf;
        	int count;
        };

        static int foo_rx(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	priv->rx_buf = kmalloc(FOO_LEN, GFP_KERNEL);
        	if (!priv->rx_buf)
        		return -ENOMEM;
        	h = dma_map_single(priv->dev, priv->rx_buf, FOO_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
    },
    {
      name: 'unaligned member mapped TO_DEVICE only',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	u8 cmd[8];
        	int count;
        };

        static int foo_cmd(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->cmd, sizeof(priv->cmd), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
    },
    {
      name: 'tx and rx buffers after one aligned start (IIO idiom)',
      code: c`
        struct foo_state {
        	struct spi_device *spi;
        	struct spi_transfer xfer[2];
        	u8 tx_buf[4] __aligned(IIO_DMA_MINALIGN);
        	u8 rx_buf[4];
        };

        static int foo_xfer(struct foo_state *st)
        {
        	dma_addr_t h;

        	h = dma_map_single(&st->spi->dev, st->rx_buf, sizeof(st->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(&st->spi->dev, h))
        		return -ENOMEM;
        	foo_start(st, h);
        	return 0;
        }
      `,
    },
    {
      name: 'cache-line aligned member on armv7 only (L1_CACHE_BYTES is ARCH_DMA_MINALIGN there)',
      settings: { platforms: ['armv7', 'coherent', 'swiotlb'] },
      code: c`
        struct foo_priv {
        	struct device *dev;
        	int count;
        	u8 rx_buf[32] ____cacheline_aligned;
        };

        static int foo_rx(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
    },
    {
      name: 'aligned buffer of ARCH_DMA_MINALIGN bytes followed by a counter',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	u8 rx_buf[ARCH_DMA_MINALIGN] __aligned(ARCH_DMA_MINALIGN);
        	int count;
        };

        static int foo_rx(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
    },
    {
      name: 'page-sized buffers in a row, then descriptors',
      code: c`
        #define FOO_BUF_SZ PAGE_SIZE

        struct foo_block {
        	u8 in_buf[FOO_BUF_SZ];
        	u8 out_buf[FOO_BUF_SZ];
        	struct foo_desc desc[4];
        };

        static int foo_crypt(struct foo *f, struct foo_block *blk)
        {
        	dma_addr_t h;

        	h = dma_map_single(f->dev, blk->out_buf, FOO_BUF_SZ, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, h))
        		return -ENOMEM;
        	foo_start(f, h);
        	return 0;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'unaligned u8 array member followed by a counter',
      code: c`
        struct foo_state {
        	struct spi_device *spi;
        	struct mutex lock;
        	u8 rx_buf[4];
        	int last_value;
        };

        static int foo_read(struct foo_state *st)
        {
        	dma_addr_t h;

        	h = dma_map_single(&st->spi->dev, st->rx_buf, sizeof(st->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(&st->spi->dev, h))
        		return -ENOMEM;
        	foo_start(st, h);
        	return 0;
        }
      `,
      errors: [{ line: 12, message: /'rx_buf' of struct foo_state .*'lock' \(before it\).*'last_value' \(after it\).*on armv7, arm64, arm64-pre-5\.19/, severity: 'warning' }],
    },
    {
      name: '____cacheline_aligned member: short on arm64 only',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	int count;
        	u8 rx_buf[32] ____cacheline_aligned;
        };

        static int foo_rx(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /on arm64, arm64-pre-5\.19 .*|64 bytes on arm64/ }],
    },
    {
      name: 'status word mapped by address between CPU fields',
      code: c`
        struct foo_dev {
        	struct device *dev;
        	u32 irq_count;
        	__le32 status;
        	u32 flags;
        };

        static int foo_poll(struct foo_dev *fd)
        {
        	dma_addr_t h;

        	h = dma_map_single(fd->dev, &fd->status, sizeof(fd->status), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(fd->dev, h))
        		return -ENOMEM;
        	foo_start(fd, h);
        	return 0;
        }
      `,
      errors: [{ line: 12, message: /DMA_BIDIRECTIONAL/ }],
    },
    {
      name: 'aligned start but a CPU field right after it',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	u8 rx_buf[16] __aligned(ARCH_DMA_MINALIGN);
        	unsigned long rx_count;
        };

        static int foo_rx(struct foo_priv *priv)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, &priv->rx_buf[0], 16, DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_start(priv, h);
        	return 0;
        }
      `,
      errors: [{ line: 11, message: /'rx_count' \(after it\)/ }],
    },
    {
      name: 'member through a local pointer set from iio_priv',
      code: c`
        struct foo_state {
        	struct spi_device *spi;
        	struct spi_message msg;
        	__be16 rx[2];
        };

        static int foo_read_raw(struct iio_dev *indio_dev)
        {
        	struct foo_state *st = iio_priv(indio_dev);
        	dma_addr_t h;

        	h = dma_map_single(&st->spi->dev, st->rx, sizeof(st->rx), DMA_FROM_DEVICE);
        	if (dma_mapping_error(&st->spi->dev, h))
        		return -ENOMEM;
        	foo_start(st, h);
        	return 0;
        }
      `,
      errors: [{ line: 12, message: /'msg' \(before it\)/ }],
    },
  ],
};

export default cases;
