import { c, type RuleCases } from '../rule-tester';
import { kernelTree } from './kernel-tree';

/** A FROM_DEVICE and a TO_DEVICE mapping of one buffer at once. */
const ECC_TWICE = c`
  static int foo_ecc(struct foo *f)
  {
  	dma_addr_t ecc, cpy;

  	ecc = dma_map_single(f->dev, f->ecc_buf, FOO_ECC_LEN, DMA_FROM_DEVICE);
  	if (dma_mapping_error(f->dev, ecc))
  		return -ENOMEM;
  	foo_run_ecc(f, ecc);
  	cpy = dma_map_single(f->dev, f->ecc_buf, FOO_ECC_LEN, DMA_TO_DEVICE);
  	if (dma_mapping_error(f->dev, cpy)) {
  		dma_unmap_single(f->dev, ecc, FOO_ECC_LEN, DMA_FROM_DEVICE);
  		return -ENOMEM;
  	}
  	foo_copy(f, cpy);
  	foo_wait(f);
  	dma_unmap_single(f->dev, cpy, FOO_ECC_LEN, DMA_TO_DEVICE);
  	dma_unmap_single(f->dev, ecc, FOO_ECC_LEN, DMA_FROM_DEVICE);
  	return 0;
  }
`;

const cases: RuleCases = {
  rule: 'dma/overlap-conflict',
  valid: [
    {
      name: 'two TO_DEVICE mappings of one buffer (two readers)',
      code: c`
        static int foo_xmit_twice(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t a, b;

        	a = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, a))
        		return -ENOMEM;
        	b = dma_map_single(f->peer, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->peer, b)) {
        		dma_unmap_single(f->dev, a, len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	foo_send(f, a, b, len);
        	dma_unmap_single(f->peer, b, len, DMA_TO_DEVICE);
        	dma_unmap_single(f->dev, a, len, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'the writer is unmapped before the buffer is mapped again',
      code: c`
        static int foo_ecc(struct foo *f)
        {
        	dma_addr_t ecc, cpy;

        	ecc = dma_map_single(f->dev, f->ecc_buf, FOO_ECC_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, ecc))
        		return -ENOMEM;
        	foo_run_ecc(f, ecc);
        	foo_wait(f);
        	dma_unmap_single(f->dev, ecc, FOO_ECC_LEN, DMA_FROM_DEVICE);
        	cpy = dma_map_single(f->dev, f->ecc_buf, FOO_ECC_LEN, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, cpy))
        		return -ENOMEM;
        	foo_copy(f, cpy);
        	dma_unmap_single(f->dev, cpy, FOO_ECC_LEN, DMA_TO_DEVICE);
        	return 0;
        }
      `,
    },
    {
      name: 'header and payload: two halves of one buffer',
      code: c`
        #define FOO_HDR_LEN 16

        static int foo_rx_split(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t hdr, data;

        	hdr = dma_map_single(f->dev, buf, FOO_HDR_LEN, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, hdr))
        		return -ENOMEM;
        	data = dma_map_single(f->dev, buf + FOO_HDR_LEN, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, data)) {
        		dma_unmap_single(f->dev, hdr, FOO_HDR_LEN, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, hdr, data);
        	return 0;
        }
      `,
    },
    {
      name: 'two different members of one struct',
      code: c`
        static int foo_xfer(struct foo *f)
        {
        	dma_addr_t tx, rx;

        	tx = dma_map_single(f->dev, f->tx_buf, FOO_LEN, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, tx))
        		return -ENOMEM;
        	rx = dma_map_single(f->dev, f->rx_buf, FOO_LEN, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, rx)) {
        		dma_unmap_single(f->dev, tx, FOO_LEN, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, tx, rx);
        	return 0;
        }
      `,
    },
    {
      name: 'one map per ring slot in a loop',
      code: c`
        static int foo_fill(struct foo *f)
        {
        	int i;

        	for (i = 0; i < FOO_RING; i++) {
        		f->rx_dma[i] = dma_map_single(f->dev, f->rx_buf + i * FOO_LEN, FOO_LEN, DMA_FROM_DEVICE);
        		if (dma_mapping_error(f->dev, f->rx_dma[i]))
        			return -ENOMEM;
        	}
        	return 0;
        }
      `,
    },
    {
      name: 'second device maps with DMA_ATTR_SKIP_CPU_SYNC and syncs by hand',
      code: c`
        static int foo_share(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t a, b;

        	a = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, a))
        		return -ENOMEM;
        	b = dma_map_single_attrs(f->peer, buf, len, DMA_TO_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
        	if (dma_mapping_error(f->peer, b)) {
        		dma_unmap_single(f->dev, a, len, DMA_FROM_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, a, b);
        	return 0;
        }
      `,
    },
    {
      name: 'one pointer variable reassigned between the two maps',
      code: c`
        static int foo_req(struct foo *f, struct foo_req *req)
        {
        	dma_addr_t in, out;
        	u8 *vaddr;

        	vaddr = req->src;
        	in = dma_map_single(f->dev, vaddr, req->len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, in))
        		return -ENOMEM;
        	vaddr = req->dst;
        	out = dma_map_single(f->dev, vaddr, req->len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, out)) {
        		dma_unmap_single(f->dev, in, req->len, DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, in, out);
        	return 0;
        }
      `,
    },
    {
      name: 'two loops with a block-local page pointer of the same name',
      code: c`
        static int foo_test(struct foo *f, void **src, void **dst, int n, size_t len)
        {
        	dma_addr_t addr[8];
        	int i;

        	for (i = 0; i < n; i++) {
        		struct page *pg = virt_to_page(src[i]);
        		unsigned long pg_off = offset_in_page(src[i]);

        		addr[i] = dma_map_page(f->dev, pg, pg_off, len, DMA_TO_DEVICE);
        		if (dma_mapping_error(f->dev, addr[i]))
        			return -ENOMEM;
        	}
        	for (i = 0; i < n; i++) {
        		struct page *pg = virt_to_page(dst[i]);
        		unsigned long pg_off = offset_in_page(dst[i]);

        		addr[n + i] = dma_map_page(f->dev, pg, pg_off, len, DMA_BIDIRECTIONAL);
        		if (dma_mapping_error(f->dev, addr[n + i]))
        			return -ENOMEM;
        	}
        	foo_start(f, addr);
        	return 0;
        }
      `,
    },
    {
      name: 'only coherent chosen: no platform where it corrupts',
      settings: { platforms: ['coherent'] },
      code: c`
        static int foo_loop(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t in, out;

        	in = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, in))
        		return -ENOMEM;
        	out = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, out)) {
        		dma_unmap_single(f->dev, in, len, DMA_FROM_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, in, out);
        	return 0;
        }
      `,
    },
    {
      name: 'Kconfig: a pSeries-only driver with only the ARM platforms chosen',
      code: ECC_TWICE,
      kernelTree: kernelTree('PPC_PSERIES'),
      settings: { platforms: ['armv7', 'arm64'] },
    },
  ],
  invalid: [
    {
      name: 'FROM_DEVICE and TO_DEVICE mappings of one buffer',
      code: ECC_TWICE,
      errors: [{ line: 9, message: /DMA_TO_DEVICE while .* still mapped DMA_FROM_DEVICE.*swiotlb: .*stale.*armv7, arm64, arm64-pre-5\.19: /, severity: 'error' }],
    },
    {
      name: 'two BIDIRECTIONAL mappings for two devices: lost update',
      code: c`
        static int foo_both(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t a, b;

        	a = dma_map_single(f->dev, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->dev, a))
        		return -ENOMEM;
        	b = dma_map_single(f->peer, buf, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(f->peer, b)) {
        		dma_unmap_single(f->dev, a, len, DMA_BIDIRECTIONAL);
        		return -ENOMEM;
        	}
        	foo_start(f, a, b);
        	return 0;
        }
      `,
      errors: [{ line: 8, message: /both DMA_BIDIRECTIONAL.*lost update/ }],
    },
    {
      name: 'array member mapped by name and by address',
      code: c`
        struct foo_priv {
        	struct device *dev;
        	u8 rx_buf[64];
        };

        static int foo_rx(struct foo_priv *priv)
        {
        	dma_addr_t a, b;

        	a = dma_map_single(priv->dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_TO_DEVICE);
        	if (dma_mapping_error(priv->dev, a))
        		return -ENOMEM;
        	b = dma_map_single(priv->dev, &priv->rx_buf[0], sizeof(priv->rx_buf), DMA_FROM_DEVICE);
        	if (dma_mapping_error(priv->dev, b)) {
        		dma_unmap_single(priv->dev, a, sizeof(priv->rx_buf), DMA_TO_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(priv, a, b);
        	return 0;
        }
      `,
      errors: [{ line: 13 }],
    },
    {
      name: 'a member inside a whole-struct mapping',
      code: c`
        static int foo_stats(struct foo *f)
        {
        	dma_addr_t all, one;

        	all = dma_map_single(f->dev, &f->stats, sizeof(f->stats), DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, all))
        		return -ENOMEM;
        	one = dma_map_single(f->dev, &f->stats.rx_packets, sizeof(u64), DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, one)) {
        		dma_unmap_single(f->dev, all, sizeof(f->stats), DMA_FROM_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, all, one);
        	return 0;
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'constant ranges that intersect',
      code: c`
        static int foo_hdr(struct foo *f, u8 *buf)
        {
        	dma_addr_t a, b;

        	a = dma_map_single(f->dev, buf, 64, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, a))
        		return -ENOMEM;
        	b = dma_map_single(f->dev, buf + 32, 64, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, b)) {
        		dma_unmap_single(f->dev, a, 64, DMA_FROM_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, a, b);
        	return 0;
        }
      `,
      errors: [{ line: 8 }],
    },
    {
      name: 'only swiotlb chosen: still reported, naming swiotlb',
      settings: { platforms: ['swiotlb'] },
      code: c`
        static int foo_loop(struct foo *f, u8 *buf, size_t len)
        {
        	dma_addr_t in, out;

        	in = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
        	if (dma_mapping_error(f->dev, in))
        		return -ENOMEM;
        	out = dma_map_single(f->dev, buf, len, DMA_TO_DEVICE);
        	if (dma_mapping_error(f->dev, out)) {
        		dma_unmap_single(f->dev, in, len, DMA_FROM_DEVICE);
        		return -ENOMEM;
        	}
        	foo_start(f, in, out);
        	return 0;
        }
      `,
      errors: [{ line: 8, message: /swiotlb/ }],
    },
    {
      name: 'Kconfig: a pSeries-only driver: the message names swiotlb only',
      code: ECC_TWICE,
      kernelTree: kernelTree('PPC_PSERIES'),
      errors: [{ line: 9, message: /still mapped DMA_FROM_DEVICE \(DMA_FROM_DEVICE and DMA_TO_DEVICE; at least one lets the device write\): swiotlb: [^;]*\. Unmap the first/, severity: 'error' }],
    },
  ],
};

export default cases;
