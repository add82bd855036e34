import { c, type RuleCases } from '../rule-tester';
import { kernelTree } from './kernel-tree';

/** A driver-private header with the mapped struct; `ALIGN` is the rx buffer's annotation. */
function privHeader(align: string): string {
  return c`
    #ifndef FOO_PRIV_H
    #define FOO_PRIV_H
    #include "foo_regs.h"

    #define FOO_RX_LEN 8

    struct foo_priv {
    	struct device *dev;
    	u32 status;
    	u8 rx_buf[FOO_RX_LEN]${align};
    	int rx_count${align};
    };

    #endif
  `;
}

/** Maps `&priv->rx_buf` from a struct defined in foo_priv.h. */
const MAP_FROM_HEADER = c`
  #include "foo_priv.h"

  static int foo_rx(struct foo_priv *priv)
  {
  	dma_addr_t h;

  	h = dma_map_single(priv->dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
  	if (dma_mapping_error(priv->dev, h))
  		return -ENOMEM;
  	foo_start(priv, h);
  	return 0;
  }
`;

/** The struct of `neighbourWrite`: 'status' right before 'rx_buf', 'rx_count' right after. */
const PLAIN_MEMBERS = ['u32 status;', 'u8 rx_buf[64];', 'int rx_count;'];

/** Statements placed before the map, between map and unmap, and after the unmap of `priv->rx_buf`. */
function neighbourWrite(before: string, between: string, after: string, members: readonly string[] = PLAIN_MEMBERS): string {
  return c`
    struct foo_priv {
    	struct device *dev;
    	${members.join('\n    \t')}
    };

    static int foo_rx(struct foo_priv *priv, u32 v)
    {
    	dma_addr_t h;

    	${before}
    	h = dma_map_single(priv->dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
    	if (dma_mapping_error(priv->dev, h))
    		return -ENOMEM;
    	foo_start(priv, h);
    	${between}
    	foo_wait(priv);
    	dma_unmap_single(priv->dev, h, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
    	${after}
    	return 0;
    }
  `;
}

/** A struct `foo_priv` with `members`, whose `rx_buf` is mapped FROM_DEVICE with its own size; `between` runs while it is mapped. */
function mapRxBuf(members: readonly string[], between = '', prelude = ''): string {
  return c`
    ${prelude}struct foo_priv {
    	${members.join('\n    \t')}
    };

    static int foo_rx(struct device *dev, struct foo_priv *priv)
    {
    	dma_addr_t h;

    	h = dma_map_single(dev, priv->rx_buf, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
    	if (dma_mapping_error(dev, h))
    		return -ENOMEM;
    	foo_start(dev, h);
    	${between}
    	foo_wait(dev);
    	dma_unmap_single(dev, h, sizeof(priv->rx_buf), DMA_FROM_DEVICE);
    	return 0;
    }
  `;
}

/** ccree's ahash_req_ctx in small: every member `____cacheline_aligned`, the mapped one at an offset of 64 (mod 128). */
const CC_HASH_SHAPE = c`
  struct foo_gen_ctx {
  	dma_addr_t iv_dma_addr;
  	u8 *iv;
  	enum foo_direction op_type;
  };

  struct foo_req_ctx {
  	u8 buffers[2][SHA512_BLOCK_SIZE] ____cacheline_aligned;
  	u8 digest_result_buff[SHA512_DIGEST_SIZE] ____cacheline_aligned;
  	u8 digest_buff[SHA512_DIGEST_SIZE] ____cacheline_aligned;
  	u8 opad_digest_buff[SHA512_DIGEST_SIZE] ____cacheline_aligned;
  	u8 digest_bytes_len[HASH_LEN_SIZE] ____cacheline_aligned;
  	struct foo_gen_ctx gen_ctx ____cacheline_aligned;
  	u32 buf_cnt[2];
  };

  #define HASH_LEN_SIZE 16

  static int foo_map_req(struct device *dev, struct foo_req_ctx *state)
  {
  	dma_addr_t h;

  	h = dma_map_single(dev, state->digest_bytes_len, HASH_LEN_SIZE, DMA_BIDIRECTIONAL);
  	if (dma_mapping_error(dev, h))
  		return -ENOMEM;
  	state->gen_ctx.op_type = 1;
  	foo_start(dev, h);
  	foo_wait(dev);
  	dma_unmap_single(dev, h, HASH_LEN_SIZE, DMA_BIDIRECTIONAL);
  	return 0;
  }
`;

/** caam's hash state in small: `caam_ctx` (72 bytes, on a line boundary) mapped for a 64-byte digest. */
const CAAM_SHAPE = c`
  struct foo_hash_state {
  	dma_addr_t buf_dma;
  	dma_addr_t ctx_dma;
  	int ctx_dma_len;
  	u8 buf[SHA512_BLOCK_SIZE] ____cacheline_aligned;
  	int buflen;
  	int next_buflen;
  	u8 caam_ctx[8 + SHA512_DIGEST_SIZE] ____cacheline_aligned;
  	int (*update)(struct ahash_request *req);
  };

  static int foo_final(struct device *dev, struct foo_hash_state *state)
  {
  	state->ctx_dma = dma_map_single(dev, state->caam_ctx, SHA512_DIGEST_SIZE, DMA_FROM_DEVICE);
  	if (dma_mapping_error(dev, state->ctx_dma))
  		return -ENOMEM;
  	foo_start(dev, state->ctx_dma);
  	return 0;
  }
`;

/** A partial line on armv7, arm64 and arm64-pre-5.19: 'lock' before, 'last_value' after. */
const SHARED_RX_BUF = c`
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
`;

/** A 64-byte buffer aligned to 64 bytes after a small field: its own line on armv7, shares 'flags' on arm64. */
const ASPEED_DIGEST = c`
  struct foo_reqctx {
  	u32 flags;
  	u8 digest[SHA512_DIGEST_SIZE] __aligned(64);
  	dma_addr_t digest_dma_addr;
  };

  static int foo_prepare(struct device *dev, struct foo_reqctx *rctx)
  {
  	dma_addr_t h = dma_map_single(dev, rctx->digest, SHA512_DIGEST_SIZE, DMA_BIDIRECTIONAL);

  	if (dma_mapping_error(dev, h))
  		return -ENOMEM;
  	rctx->digest_dma_addr = h;
  	foo_start(dev, h);
  	return 0;
  }
`;

const cases: RuleCases = {
  rule: 'dma/cacheline-sharing',
  valid: [
    {
      name: 'a struct of the .c file sized by a macro of its header: a whole number of lines',
      code: c`
        #include "foo_hash.h"

        struct foo_hash_ctx {
        	u8 digest_buff[FOO_MAX_DIGEST] __aligned(ARCH_DMA_MINALIGN);
        	u32 status;
        };

        static int foo_hash_map(struct device *dev, struct foo_hash_ctx *ctx)
        {
        	dma_addr_t h = dma_map_single(dev, ctx->digest_buff, sizeof(ctx->digest_buff), DMA_FROM_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_start(dev, h);
        	return 0;
        }
      `,
      headers: { 'foo_hash.h': '#define FOO_MAX_DIGEST (2 * SHA512_DIGEST_SIZE)\n' },
    },
    {
      name: 'corpus: first member sized by a kernel constant expression to a whole number of lines (isert login buffer)',
      code: c`
        #define FOO_RX_SIZE (ISCSI_DEF_MAX_RECV_SEG_LEN + 1024)

        struct foo_rx_desc {
        	char buf[FOO_RX_SIZE];
        	u64 dma_addr;
        	bool in_use;
        };

        static int foo_alloc_login(struct foo_conn *conn)
        {
        	struct foo_rx_desc *d = kzalloc(sizeof(*d), GFP_KERNEL);

        	if (!d)
        		return -ENOMEM;
        	d->dma_addr = dma_map_single(conn->dev, d->buf, FOO_RX_SIZE, DMA_FROM_DEVICE);
        	if (dma_mapping_error(conn->dev, d->dma_addr)) {
        		kfree(d);
        		return -ENOMEM;
        	}
        	conn->login = d;
        	return 0;
        }
      `,
    },
    {
      name: 'an array whose length the file cannot evaluate: its end is not judged',
      code: c`
        struct foo_rx_desc {
        	char buf[FOO_LEN_FROM_ELSEWHERE];
        	u64 dma_addr;
        };

        static int foo_map_rx(struct device *dev, struct foo_rx_desc *d)
        {
        	dma_addr_t h = dma_map_single(dev, d->buf, sizeof(d->buf), DMA_FROM_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_post(dev, h);
        	return 0;
        }
      `,
    },
    {
      name: 'corpus: the member after the buffer is a whole line of fellow buffer away (mv_xor dummy_src / dummy_dst)',
      code: c`
        struct foo_chan {
        	char dummy_src[SZ_128];
        	char dummy_dst[SZ_128];
        	dma_addr_t dummy_src_addr, dummy_dst_addr;
        };

        static int foo_chan_add(struct device *dev, struct foo_chan *chan)
        {
        	chan->dummy_src_addr = dma_map_single(dev, chan->dummy_src, sizeof(chan->dummy_src), DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, chan->dummy_src_addr))
        		return -ENOMEM;
        	return 0;
        }
      `,
    },
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
    {
      name: 'header struct: buffer aligned to ARCH_DMA_MINALIGN',
      code: MAP_FROM_HEADER,
      headers: { 'foo_priv.h': privHeader(' __aligned(ARCH_DMA_MINALIGN)'), 'foo_regs.h': '#define FOO_CTRL 0x10\n' },
    },
    {
      name: 'header struct: ____cacheline_aligned is enough on armv7',
      code: MAP_FROM_HEADER,
      headers: { 'foo_priv.h': privHeader(' ____cacheline_aligned') },
      settings: { platforms: ['armv7', 'coherent', 'swiotlb'] },
    },
    {
      name: 'struct defined nowhere the workspace can see',
      code: MAP_FROM_HEADER,
      headers: { 'other.h': privHeader('') },
    },
    {
      name: 'header struct behind an angle include not in the search path',
      code: MAP_FROM_HEADER.replace('"foo_priv.h"', '<foo/foo_priv.h>'),
      headers: { 'include/foo/foo_priv.h': privHeader('') },
    },
    {
      name: 'cyclic and binary headers are skipped',
      code: MAP_FROM_HEADER.replace('#include "foo_priv.h"', '#include "a.h"\n#include "blob.h"'),
      headers: { 'a.h': '#include "b.h"\n', 'b.h': '#include "a.h"\n', 'blob.h': 'struct foo_priv {\u0000 u32 status; u8 rx_buf[8]; };\n' },
    },
    {
      name: 'neighbour written while mapped, but the buffer is aligned on both sides',
      code: neighbourWrite('', 'priv->status = v;\n    \tpriv->rx_count = 0;', '', [
        'u32 status;',
        'u8 rx_buf[64] __aligned(ARCH_DMA_MINALIGN);',
        'int rx_count __aligned(ARCH_DMA_MINALIGN);',
      ]),
    },
    {
      name: 'neighbour written while mapped inside a __dma_from_device_group',
      code: neighbourWrite('', 'priv->status = v;', '', [
        'u32 status;',
        '__dma_from_device_group_begin();',
        'u8 rx_buf[64];',
        '__dma_from_device_group_end();',
        'int rx_count;',
      ]),
    },
    {
      // iwlegacy maps `&out_cmd->hdr` with the size of the whole command: what follows hdr is mapped too
      name: 'first member mapped with a size that runs over the members after it',
      code: c`
        struct foo_cmd {
        	struct foo_cmd_hdr hdr;
        	union {
        		u32 flags;
        		u8 payload[320];
        	} __packed cmd;
        } __packed;

        static int foo_send(struct foo_priv *priv, struct foo_cmd *out, u16 len)
        {
        	dma_addr_t h;

        	h = dma_map_single(priv->dev, &out->hdr, len, DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(priv->dev, h))
        		return -ENOMEM;
        	foo_post(priv, h, len);
        	return 0;
        }
      `,
    },
    {
      // drivers/crypto/ccree/cc_hash.h: digest_bytes_len at 448-464, gen_ctx at 512
      name: 'corpus: small buffer 64 bytes into a line, the next member ____cacheline_aligned on the next 128-byte line (ccree ahash_req_ctx), written while mapped',
      code: CC_HASH_SHAPE,
    },
    {
      name: 'a small ____cacheline_aligned buffer at offset 64, then a member of a type defined nowhere, ____cacheline_aligned (the minimal ccree shape)',
      code: mapRxBuf(['u8 a[64] ____cacheline_aligned;', 'u8 rx_buf[16] ____cacheline_aligned;', 'struct foo_gen gen ____cacheline_aligned;'], 'priv->gen.op = 1;'),
    },
    {
      name: 'a ____cacheline_aligned 64-byte buffer followed by a CPU field: its own line on armv7',
      code: mapRxBuf(['u8 rx_buf[64] ____cacheline_aligned;', 'u32 status;'], 'priv->status = 0;'),
      settings: { platforms: ['armv7', 'coherent', 'swiotlb'] },
    },
    {
      // caamalg_qi2.c / caamhash.c: caam_ctx is MAX_CTX_LEN (72) bytes; the digest mapped fits its first 64-byte line
      name: 'caam hash state: a known constant size smaller than the member ends on a line boundary on armv7',
      code: CAAM_SHAPE,
      settings: { platforms: ['armv7', 'coherent', 'swiotlb'] },
    },
    {
      name: 'an embedded struct of known layout (120 bytes) ends before the ____cacheline_aligned buffer, which fills its 128-byte line',
      code: mapRxBuf(['struct foo_hw hw;', 'u8 rx_buf[128] ____cacheline_aligned;', 'u32 status;'], '', 'struct foo_hw {\n\tu32 regs[30];\n};\n\n'),
    },
    {
      // offsets: cmd 0-96, resp 96-160, count at 160: past cmd's last line on armv7 (64-128) and arm64 (0-128)
      name: 'offsets: a fellow buffer pushes the CPU field past the buffer\'s last line on every platform',
      code: c`
        struct foo_priv {
        	u8 cmd[96] __aligned(ARCH_DMA_MINALIGN);
        	u8 resp[64];
        	int count;
        };

        static int foo_cmd(struct device *dev, struct foo_priv *priv)
        {
        	dma_addr_t h = dma_map_single(dev, priv->cmd, sizeof(priv->cmd), DMA_FROM_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_start(dev, h);
        	return 0;
        }
      `,
    },
    {
      name: 'Kconfig: a pSeries-only driver cannot run on the platforms whose partial lines clobber',
      code: SHARED_RX_BUF,
      kernelTree: kernelTree('PPC_PSERIES'),
    },
    {
      name: 'Kconfig: a 64-byte-aligned buffer of an ARM-only SoC driver (aspeed digest: short on arm64 only)',
      code: ASPEED_DIGEST,
      kernelTree: kernelTree('ARCH_FOO || COMPILE_TEST'),
    },
  ],
  invalid: [
    {
      name: 'a struct of the .c file sized by a macro of its header: the last line is shared (ccree cc_hash_ctx)',
      code: c`
        #include "foo_hash.h"

        struct foo_hash_ctx {
        	u8 digest_buff[FOO_MAX_DIGEST] __aligned(ARCH_DMA_MINALIGN);
        	u32 status;
        };

        static int foo_hash_map(struct device *dev, struct foo_hash_ctx *ctx)
        {
        	dma_addr_t h = dma_map_single(dev, ctx->digest_buff, sizeof(ctx->digest_buff), DMA_FROM_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_start(dev, h);
        	return 0;
        }
      `,
      headers: { 'foo_hash.h': '#define FOO_MAX_DIGEST 100\n' },
      errors: [{ line: 10, severity: 'warning', message: /'status' \(after it\)/ }],
    },
    {
      // offsets: digest at 128 on arm64, digest_dma_addr at 192 in the same 128-byte line
      name: 'a 64-byte buffer aligned to 64 bytes: its own line on armv7, not on arm64 (aspeed digest)',
      code: c`
        struct foo_reqctx {
        	unsigned long flags;
        	u8 buffer[120];
        	u8 digest[SHA512_DIGEST_SIZE] __aligned(64);
        	dma_addr_t digest_dma_addr;
        };

        static int foo_prepare(struct device *dev, struct foo_reqctx *rctx)
        {
        	dma_addr_t h = dma_map_single(dev, rctx->digest, SHA512_DIGEST_SIZE, DMA_BIDIRECTIONAL);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	rctx->digest_dma_addr = h;
        	foo_start(dev, h);
        	return 0;
        }
      `,
      errors: [
        { line: 10, severity: 'warning', message: /'digest_dma_addr' \(after it\).*: on arm64, arm64-pre-5\.19 the/ },
        { line: 14, severity: 'error', message: /CPU writes 'digest_dma_addr'.*: on arm64, arm64-pre-5\.19 the store/ },
      ],
    },
    {
      // offsets: cmd 0-16, resp 16-64, count at 64
      name: 'fellow buffer between the buffer and a CPU field: apart on armv7, one 128-byte line on arm64',
      code: c`
        struct foo_priv {
        	u8 cmd[16] __aligned(ARCH_DMA_MINALIGN);
        	u8 resp[48];
        	int count;
        };

        static int foo_cmd(struct device *dev, struct foo_priv *priv)
        {
        	dma_addr_t h = dma_map_single(dev, priv->cmd, sizeof(priv->cmd), DMA_FROM_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_start(dev, h);
        	return 0;
        }
      `,
      errors: [{ line: 9, severity: 'warning', message: /'count' \(after it\).*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      name: 'header struct: unaligned FROM_DEVICE member',
      code: MAP_FROM_HEADER,
      headers: { 'foo_priv.h': privHeader(''), 'foo_regs.h': '#define FOO_CTRL 0x10\n' },
      errors: [{ line: 7, message: /'rx_buf' of struct foo_priv \(in .*foo_priv\.h\).*'status' \(before it\).*'rx_count' \(after it\)/, severity: 'warning' }],
    },
    {
      name: 'header struct: ____cacheline_aligned is short on arm64',
      code: MAP_FROM_HEADER,
      headers: { 'foo_priv.h': privHeader(' ____cacheline_aligned') },
      errors: [{ line: 7, message: /64 bytes on arm64.*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      name: 'header struct found through a header it includes',
      code: MAP_FROM_HEADER.replace('"foo_priv.h"', '"foo.h"'),
      headers: { 'foo.h': '#include "sub/foo_priv.h"\n', 'sub/foo_priv.h': privHeader('') },
      errors: [{ line: 7, message: /'rx_buf' of struct foo_priv/ }],
    },
    {
      name: 'header struct behind an angle include in a configured include path',
      code: MAP_FROM_HEADER.replace('"foo_priv.h"', '<foo/foo_priv.h>'),
      headers: { 'include/foo/foo_priv.h': privHeader('') },
      settings: { includePaths: ['/rule-cases/dma-cacheline-sharing/include'] },
      errors: [{ line: 7, message: /'rx_buf' of struct foo_priv/ }],
    },
    {
      name: 'neighbour written on the map-failure path: the layout warning only',
      code: c`
        struct foo_fence {
        	u32 size;
        	u8 va[64];
        	dma_addr_t dma_addr;
        };

        static int foo_fence_init(struct device *dev, struct foo_fence *fence)
        {
        	dma_addr_t h;

        	h = dma_map_single(dev, fence->va, sizeof(fence->va), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(dev, h)) {
        		fence->dma_addr = 0;
        		return -EIO;
        	}
        	foo_start(dev, h);
        	return 0;
        }
      `,
      errors: [{ line: 11, severity: 'warning' }],
    },
    {
      // ccree: opad_tmp_keys_dma_addr is 128 bytes of keys away from digest_buff
      name: 'member written beyond a fellow buffer array while mapped: the layout warning only',
      code: c`
        struct foo_hash_ctx {
        	struct foo_drvdata *drvdata;
        	u8 digest_buff[64] ____cacheline_aligned;
        	u8 opad_keys_buff[128] ____cacheline_aligned;
        	dma_addr_t opad_keys_dma_addr ____cacheline_aligned;
        };

        static int foo_init(struct device *dev, struct foo_hash_ctx *ctx)
        {
        	dma_addr_t h;

        	h = dma_map_single(dev, ctx->digest_buff, sizeof(ctx->digest_buff), DMA_BIDIRECTIONAL);
        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	ctx->opad_keys_dma_addr = 0;
        	foo_start(dev, h);
        	return 0;
        }
      `,
      errors: [{ line: 12, severity: 'warning' }],
    },
    {
      // talitos: hw_context is filled up to hw_context_size, which sits right after it
      name: 'array member mapped with a variable size: the member after it is still judged',
      code: c`
        struct foo_req_ctx {
        	u32 hw_context[24];
        	unsigned int hw_context_size;
        };

        static void foo_import(struct device *dev, struct foo_req_ctx *req_ctx)
        {
        	dma_addr_t dma;

        	dma = dma_map_single(dev, req_ctx->hw_context, req_ctx->hw_context_size, DMA_FROM_DEVICE);
        	dma_unmap_single(dev, dma, req_ctx->hw_context_size, DMA_FROM_DEVICE);
        }
      `,
      errors: [{ line: 10, message: /'hw_context_size' \(after it\)/, severity: 'warning' }],
    },
    {
      // the refinement must not fire: only the layout warning at the map remains
      name: 'neighbour written before the map: the layout warning only',
      code: neighbourWrite('priv->status = v;', '', ''),
      errors: [{ line: 13, severity: 'warning' }],
    },
    {
      name: 'neighbour written after the unmap: the layout warning only',
      code: neighbourWrite('', '', 'priv->status = v;'),
      errors: [{ line: 13, severity: 'warning' }],
    },
    {
      name: 'neighbour written between map and unmap',
      code: neighbourWrite('', 'priv->status = v;', ''),
      errors: [
        { line: 13, severity: 'warning' },
        { line: 17, severity: 'error', message: /CPU writes 'status'.*'rx_buf' of struct foo_priv.*device: on armv7, arm64, arm64-pre-5\.19 / },
      ],
    },
    {
      name: 'array neighbour after the buffer written while mapped BIDIRECTIONAL',
      code: neighbourWrite('', 'priv->rx_count = 0;', '').replace(/DMA_FROM_DEVICE/g, 'DMA_BIDIRECTIONAL'),
      errors: [
        { line: 13, severity: 'warning' },
        { line: 17, severity: 'error', message: /CPU writes 'rx_count'.*DMA_BIDIRECTIONAL/ },
      ],
    },
    {
      name: 'a byte before buf + 2 written while the device owns it',
      code: c`
        static int foo_rx(struct device *dev, u8 *buf)
        {
        	dma_addr_t h;

        	h = dma_map_single(dev, buf + 2, 1500, DMA_FROM_DEVICE);
        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_start(dev, h);
        	buf[0] = 0;
        	foo_wait(dev);
        	dma_unmap_single(dev, h, 1500, DMA_FROM_DEVICE);
        	return 0;
        }
      `,
      errors: [{ line: 9, severity: 'error', message: /CPU writes byte 0 of buf.*the buffer/ }],
    },
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
    {
      name: 'a ____cacheline_aligned 64-byte buffer followed by a CPU field: one 128-byte line on arm64',
      code: mapRxBuf(['u8 rx_buf[64] ____cacheline_aligned;', 'u32 status;'], 'priv->status = 0;'),
      errors: [
        { line: 10, severity: 'warning', message: /'status' \(after it\).*on arm64, arm64-pre-5\.19 the/ },
        { line: 14, severity: 'error', message: /CPU writes 'status'.*: on arm64, arm64-pre-5\.19 the store/ },
      ],
    },
    {
      name: 'offsets: a ____cacheline_aligned 64-byte buffer at offset 64 shares its arm64 line with the pointer before it only',
      code: mapRxBuf(['struct device *dev;', 'u8 rx_buf[64] ____cacheline_aligned;', 'u32 status;']),
      errors: [{ line: 11, severity: 'warning', message: /^(?!.*'status').*'dev' \(before it\).*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      // aspeed-hace.h: digest at 384 on arm64, bufcnt in the line before
      name: 'offsets: a buffer __aligned(64) that lands on a 128-byte boundary shares only its last line (aspeed sham_reqctx)',
      code: mapRxBuf(['unsigned long flags;', 'u8 buffer[320];', 'size_t bufcnt;', 'u8 rx_buf[SHA512_DIGEST_SIZE] __aligned(64);', 'dma_addr_t rx_dma_addr;', 'u64 digcnt[2];']),
      errors: [{ line: 14, severity: 'warning', message: /^(?!.*'bufcnt').*'rx_dma_addr' \(after it\).*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      name: 'caam hash state: the member after caam_ctx is in the 128-byte line of the digest on arm64',
      code: CAAM_SHAPE,
      errors: [{ line: 14, severity: 'warning', message: /'update' \(after it\).*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      name: 'offsets: a CPU field past a fellow array still in the buffer\'s last line, written while mapped',
      code: mapRxBuf(['u8 rx_buf[16] __aligned(ARCH_DMA_MINALIGN);', 'u8 tag[8];', 'u32 count;'], 'priv->count = 0;'),
      errors: [
        { line: 11, severity: 'warning', message: /'count' \(after it\).*: on armv7, arm64, arm64-pre-5\.19 the/ },
        { line: 15, severity: 'error', message: /CPU writes 'count'.*: on armv7, arm64, arm64-pre-5\.19 the store/ },
      ],
    },
    {
      name: 'offsets unknown: an embedded struct defined nowhere before the buffer, judged as without offsets',
      code: mapRxBuf(['struct foo_hw hw;', 'u8 rx_buf[128] ____cacheline_aligned;', 'u32 status;']),
      errors: [{ line: 11, severity: 'warning', message: /'hw' \(before it\).*64 bytes on arm64.*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      // qla_bsg.h qla_dport_diag_v2: buf at 64 of a __packed struct
      name: 'offsets in a __packed struct: the buffer starts a 64-byte line (armv7), not a 128-byte one (arm64)',
      code: c`
        struct foo_diag {
        	u16 options;
        	u16 mbx1;
        	u16 mbx2;
        	u8 unused[58];
        	u8 buf[1024];
        } __packed;

        static int foo_diag_run(struct device *dev, struct foo_diag *dd)
        {
        	dma_addr_t h = dma_map_single(dev, dd->buf, sizeof(dd->buf), DMA_FROM_DEVICE);

        	if (dma_mapping_error(dev, h))
        		return -ENOMEM;
        	foo_start(dev, h);
        	return 0;
        }
      `,
      errors: [{ line: 11, severity: 'warning', message: /'mbx2' \(before it\).*: on arm64, arm64-pre-5\.19 the/ }],
    },
    {
      name: 'Kconfig: an ARM-only SoC driver names armv7 only',
      code: SHARED_RX_BUF,
      kernelTree: kernelTree('ARCH_FOO || COMPILE_TEST'),
      errors: [{ line: 12, message: /'rx_buf' of struct foo_state .*: on armv7 the clean\+invalidate/, severity: 'warning' }],
    },
    {
      name: 'Kconfig: a 64BIT driver names the arm64 platforms only',
      code: SHARED_RX_BUF,
      kernelTree: kernelTree('64BIT && PCI'),
      errors: [{ line: 12, message: /'rx_buf' of struct foo_state .*: on arm64, arm64-pre-5\.19 the clean\+invalidate/, severity: 'warning' }],
    },
    {
      name: 'Kconfig: kconfigPlatforms off keeps every platform for a pSeries-only driver',
      code: SHARED_RX_BUF,
      kernelTree: kernelTree('PPC_PSERIES'),
      settings: { kconfigPlatforms: false },
      errors: [{ line: 12, message: /on armv7, arm64, arm64-pre-5\.19 the clean\+invalidate/, severity: 'warning' }],
    },
  ],
};

export default cases;
