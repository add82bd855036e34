import { c, type RuleCases } from '../rule-tester';

/** Finding line: the async_xor call. */
const SHAPE = (first: string, flags: string) => c`
  static void foo_xor(struct page *p, struct page *d0, struct page *d1, size_t len)
  {
  	struct async_submit_ctl submit;
  	struct page *srcs[3];
  	int count = 0;

  	srcs[count++] = ${first};
  	srcs[count++] = d0;
  	srcs[count++] = d1;
  	init_async_submit(&submit, ${flags}, NULL, NULL, NULL, NULL);
  	async_xor(p, srcs, 0, count, len, &submit);
  }
`;

const cases: RuleCases = {
  rule: 'async-tx/xor-dst-flags',
  valid: [
    { name: 'dest is srcs[0] with DROP_DST', code: SHAPE('p', 'ASYNC_TX_ACK | ASYNC_TX_XOR_DROP_DST') },
    { name: 'dest not a source with ZERO_DST', code: SHAPE('d1', 'ASYNC_TX_XOR_ZERO_DST') },
    { name: 'unknown flags', code: SHAPE('p', 'flags') },
    { name: 'flags variable with DROP_DST', code: SHAPE('p', 'flags').replace('\tinit_async_submit', '\tflags = ASYNC_TX_ACK | ASYNC_TX_XOR_DROP_DST;\n\tinit_async_submit') },
    {
      name: 'sources filled in a loop are unknown',
      code: c`
        static void foo_loop(struct page *p, struct page **pages, int n, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct page *srcs[8];
        	int i, count = 0;

        	for (i = 0; i < n; i++)
        		srcs[count++] = pages[i];
        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	async_xor(p, srcs, 0, count, len, &submit);
        }
      `,
    },
    {
      name: 'dest aliased to srcs[0] with DROP_DST (raid5 prexor shape)',
      code: c`
        static void foo_prexor(struct foo_sh *sh, struct page **xor_srcs, size_t len)
        {
        	struct async_submit_ctl submit;
        	int count = 0;
        	struct page *xor_dest = xor_srcs[count++] = sh->parity;

        	xor_srcs[count++] = sh->old;
        	init_async_submit(&submit, ASYNC_TX_FENCE | ASYNC_TX_XOR_DROP_DST, NULL, NULL, NULL, NULL);
        	async_xor(xor_dest, xor_srcs, 0, count, len, &submit);
        }
      `,
    },
  ],
  invalid: [
    { name: 'dest is srcs[0] without DROP_DST', code: SHAPE('p', 'ASYNC_TX_ACK'), errors: [{ line: 11, message: /XOR_DROP_DST/ }] },
    { name: 'flags variable without DROP_DST', code: SHAPE('p', 'flags').replace('\tinit_async_submit', '\tflags = ASYNC_TX_ACK;\n\tinit_async_submit'), errors: [{ line: 12, message: /XOR_DROP_DST/ }] },
    { name: 'dest is srcs[0] with ZERO_DST only', code: SHAPE('p', 'ASYNC_TX_XOR_ZERO_DST'), errors: [{ line: 11 }] },
    { name: 'dest not a source without ZERO_DST', code: SHAPE('d1', '0'), errors: [{ line: 11, message: /XOR_ZERO_DST/ }] },
    { name: 'dest not a source with DROP_DST', code: SHAPE('d1', 'ASYNC_TX_XOR_ZERO_DST | ASYNC_TX_XOR_DROP_DST'), errors: [{ line: 11, message: /drops the first real source/ }] },
  ],
};

export default cases;
