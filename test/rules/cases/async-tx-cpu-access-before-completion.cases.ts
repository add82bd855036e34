import { c, type RuleCases } from '../rule-tester';

/** Finding line: the CPU access (memcpy/memset argument naming the page). */
const SHAPE = (between: string, access: string) => c`
  static void foo_fill(struct page *d, struct page *s, void *buf, size_t len)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx;

  	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(d, s, 0, 0, len, &submit);
  	${between}
  	${access}
  }
`;

/** The op waited for on `waitIf` and/or `waitElse`; finding line (if any): 13. */
const BRANCHES = (waitIf: string, waitElse: string) => c`
  static void foo_branches(struct page *d, struct page *s, void *buf, size_t len, bool slow)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx;

  	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(d, s, 0, 0, len, &submit);
  	if (slow) {
  		${waitIf}
  	} else {
  		${waitElse}
  	}
  	memcpy(buf, page_address(d), len);
  }
`;

const cases: RuleCases = {
  rule: 'async-tx/cpu-access-before-completion',
  valid: [
    { name: 'destination read after quiesce', code: SHAPE('async_tx_quiesce(&tx);', 'memcpy(buf, page_address(d), len);') },
    { name: 'destination read after dma_wait_for_async_tx', code: SHAPE('dma_wait_for_async_tx(tx);', 'memcpy(buf, page_address(d), len);') },
    { name: 'source read while the op runs', code: SHAPE('', 'memcpy(buf, page_address(s), len);') },
    { name: 'unrelated page', code: SHAPE('', 'memset(page_address(buf), 0, len);') },
    {
      name: 'source written before the call',
      code: c`
        static void foo_prep(struct page *d, struct page *s, void *buf, size_t len)
        {
        	struct async_submit_ctl submit;

        	memcpy(page_address(s), buf, len);
        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	async_memcpy(d, s, 0, 0, len, &submit);
        }
      `,
    },
    { name: 'op waited for on both branches', code: BRANCHES('async_tx_quiesce(&tx);', 'wait_for_completion(&foo_done);') },
    { name: 'source written after the call: the coherent model sees no stale data', code: SHAPE('', 'memset(page_address(s), 0, len);'), settings: { platforms: ['coherent'] } },
    {
      name: 'destination read on the synchronous path (NULL descriptor)',
      code: c`
        static void foo_sync(struct page *d, struct page *s, void *buf, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(d, s, 0, 0, len, &submit);
        	if (tx == NULL)
        		memcpy(buf, page_address(d), len);
        }
      `,
    },
  ],
  invalid: [
    { name: 'op waited for on one branch only', code: BRANCHES('async_tx_quiesce(&tx);', 'async_tx_issue_pending_all();'), errors: [{ line: 13, message: /reads a destination/ }] },
    {
      name: 'destination of the previous loop iteration read at the top of the next',
      code: c`
        static void foo_loop(struct page **pages, struct page *d, u8 *out, int n, size_t len)
        {
        	struct async_submit_ctl submit;
        	int k;

        	for (k = 0; k < n; k++) {
        		memcpy(out, page_address(d), len);
        		init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        		async_memcpy(d, pages[k], 0, 0, len, &submit);
        	}
        }
      `,
      errors: [{ line: 7, message: /reads a destination/ }],
    },
    { name: 'destination read before completion', code: SHAPE('async_tx_issue_pending_all();', 'memcpy(buf, page_address(d), len);'), errors: [{ line: 9, message: /reads a destination/ }] },
    { name: 'source written after the call', code: SHAPE('', 'memset(page_address(s), 0, len);'), errors: [{ line: 9, message: /writes a source/ }] },
    { name: 'destination written through a kernel address', code: SHAPE('void *p = page_address(d);', 'memset(p, 0, len);'), errors: [{ line: 9, message: /writes a destination/ }] },
    {
      name: 'xor destination read before completion',
      code: c`
        static void foo_par(struct page *p, struct page *d0, struct page *d1, void *out, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct page *srcs[2];

        	srcs[0] = d0;
        	srcs[1] = d1;
        	init_async_submit(&submit, ASYNC_TX_ACK | ASYNC_TX_XOR_ZERO_DST, NULL, NULL, NULL, NULL);
        	async_xor(p, srcs, 0, 2, len, &submit);
        	memcpy(out, page_address(p), len);
        }
      `,
      errors: [{ line: 10 }],
    },
  ],
};

export default cases;
