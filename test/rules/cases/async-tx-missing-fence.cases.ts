import { c, type RuleCases } from '../rule-tester';
import { RAID5_BATCH } from './async-tx-shapes';

/** The producer's flags come from the variable `flags`, set by `setup`; finding line: 9. */
const FLAGS_VAR = (setup: string, flagsExpr = 'flags') => c`
  static void foo_var(struct page *d, struct page *i, struct page *s, size_t len, bool slow)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx;
  	enum async_tx_flags flags;

  	${setup}
  	init_async_submit(&submit, ${flagsExpr}, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(i, s, 0, 0, len, &submit);
  	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
  	async_memcpy(d, i, 0, 0, len, &submit);
  }
`;

/** Finding line: the producing op's async_* call; the fix adds ASYNC_TX_FENCE to its flags. */
const cases: RuleCases = {
  rule: 'async-tx/missing-fence',
  valid: [
    {
      name: 'producer fenced',
      code: c`
        static void foo_copy2(struct page *d, struct page *i, struct page *s, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, foo_done, NULL, NULL);
        	tx = async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'consumer does not use the producer result',
      code: c`
        static void foo_two(struct page *a, struct page *b, struct page *x, struct page *y, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(a, b, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	tx = async_memcpy(x, y, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'no dependency between the ops',
      code: c`
        static void foo_indep(struct page *i, struct page *s, struct page *d, size_t len)
        {
        	struct async_submit_ctl submit;

        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	async_memcpy(i, s, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'flags from the caller are unknown',
      code: c`
        static void foo_flags(struct page *i, struct page *s, struct page *d, size_t len, enum async_tx_flags flags)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, flags, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'fenced xor feeding a copy',
      code: c`
        static void foo_xor_copy(struct page *p, struct page *d0, struct page *d1, struct page *out, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;
        	struct page *srcs[2];

        	srcs[0] = d0;
        	srcs[1] = d1;
        	init_async_submit(&submit, ASYNC_TX_FENCE | ASYNC_TX_XOR_ZERO_DST, NULL, NULL, NULL, NULL);
        	tx = async_xor(p, srcs, 0, 2, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	async_memcpy(out, p, 0, 0, len, &submit);
        }
      `,
    },
    { name: 'flags variable set with the fence', code: FLAGS_VAR('flags = ASYNC_TX_FENCE | ASYNC_TX_ACK;') },
    { name: 'flags variable given the fence with |=', code: FLAGS_VAR('flags = 0;\n\tflags |= ASYNC_TX_FENCE;') },
    { name: 'flags variable fenced on both branches', code: FLAGS_VAR('if (slow)\n\t\tflags = ASYNC_TX_FENCE;\n\telse\n\t\tflags = ASYNC_TX_FENCE | ASYNC_TX_ACK;') },
    { name: 'flags variable assigned from an unknown value', code: FLAGS_VAR('flags = foo_flags(slow);') },
    { name: 'fence cleared and set again', code: FLAGS_VAR('flags = ASYNC_TX_FENCE;\n\tflags &= ~ASYNC_TX_FENCE;\n\tflags |= ASYNC_TX_FENCE;') },
    {
      name: 'each pass of a batch loop maps a new page array (raid5 ops_run_reconstruct6 shape)',
      code: RAID5_BATCH,
    },
  ],
  invalid: [
    {
      name: 'flags variable without the fence',
      code: FLAGS_VAR('flags = ASYNC_TX_ACK & ~ASYNC_TX_ACK;'),
      errors: [{ line: 9, message: /without ASYNC_TX_FENCE/ }],
      output: FLAGS_VAR('flags = ASYNC_TX_ACK & ~ASYNC_TX_ACK;', 'flags | ASYNC_TX_FENCE'),
    },
    {
      name: 'flags variable fenced on one branch only',
      code: FLAGS_VAR('flags = 0;\n\tif (slow)\n\t\tflags |= ASYNC_TX_FENCE;'),
      errors: [{ line: 11 }],
      output: FLAGS_VAR('flags = 0;\n\tif (slow)\n\t\tflags |= ASYNC_TX_FENCE;', 'flags | ASYNC_TX_FENCE'),
    },
    {
      name: 'copy then copy of the intermediate, literal 0 flags',
      code: c`
        static void foo_copy2(struct page *d, struct page *i, struct page *s, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, foo_done, NULL, NULL);
        	tx = async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
      errors: [{ line: 7, message: /without ASYNC_TX_FENCE/ }],
      output: c`
        static void foo_copy2(struct page *d, struct page *i, struct page *s, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, foo_done, NULL, NULL);
        	tx = async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'xor result consumed by a second xor',
      code: c`
        static void foo_xor2(struct page *p, struct page *d0, struct page *d1, struct page *q, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;
        	struct page *srcs[2];

        	srcs[0] = d0;
        	srcs[1] = d1;
        	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST, NULL, NULL, NULL, NULL);
        	tx = async_xor(p, srcs, 0, 2, len, &submit);
        	srcs[0] = p;
        	srcs[1] = q;
        	init_async_submit(&submit, ASYNC_TX_ACK | ASYNC_TX_XOR_ZERO_DST, tx, NULL, NULL, NULL);
        	tx = async_xor(d0, srcs, 0, 2, len, &submit);
        }
      `,
      errors: [{ line: 10 }],
      output: c`
        static void foo_xor2(struct page *p, struct page *d0, struct page *d1, struct page *q, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;
        	struct page *srcs[2];

        	srcs[0] = d0;
        	srcs[1] = d1;
        	init_async_submit(&submit, ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_xor(p, srcs, 0, 2, len, &submit);
        	srcs[0] = p;
        	srcs[1] = q;
        	init_async_submit(&submit, ASYNC_TX_ACK | ASYNC_TX_XOR_ZERO_DST, tx, NULL, NULL, NULL);
        	tx = async_xor(d0, srcs, 0, 2, len, &submit);
        }
      `,
    },
    {
      name: 'consumer overwrites the producer destination (WAW)',
      code: c`
        static void foo_waw(struct page *d, struct page *a, struct page *b, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_ACK & 0, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(d, a, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	async_memcpy(d, b, 0, 0, len, &submit);
        }
      `,
      errors: [{ line: 7 }],
      output: c`
        static void foo_waw(struct page *d, struct page *a, struct page *b, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_ACK & 0 | ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(d, a, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	async_memcpy(d, b, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'submit control passed by pointer, page through an alias',
      code: c`
        static struct dma_async_tx_descriptor *
        foo_chain(struct foo_stripe *sh, struct async_submit_ctl *submit, size_t len)
        {
        	struct dma_async_tx_descriptor *tx;
        	struct page *tmp = sh->spare;

        	init_async_submit(submit, 0, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(tmp, sh->src, 0, 0, len, submit);
        	init_async_submit(submit, 0, tx, NULL, NULL, NULL);
        	return async_memcpy(sh->dst, sh->spare, 0, 0, len, submit);
        }
      `,
      errors: [{ line: 8 }],
      output: c`
        static struct dma_async_tx_descriptor *
        foo_chain(struct foo_stripe *sh, struct async_submit_ctl *submit, size_t len)
        {
        	struct dma_async_tx_descriptor *tx;
        	struct page *tmp = sh->spare;

        	init_async_submit(submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(tmp, sh->src, 0, 0, len, submit);
        	init_async_submit(submit, 0, tx, NULL, NULL, NULL);
        	return async_memcpy(sh->dst, sh->spare, 0, 0, len, submit);
        }
      `,
    },
  ],
};

export default cases;
