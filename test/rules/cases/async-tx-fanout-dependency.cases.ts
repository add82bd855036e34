import { c, type RuleCases } from '../rule-tester';

/** Finding line: the second op's depend_tx argument. */
const SHAPE = (second: string) => c`
  static void foo_fan(struct page *a, struct page *b, struct page *x, struct page *y, size_t len)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx, *t2;

  	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(a, b, 0, 0, len, &submit);
  	init_async_submit(&submit, ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
  	t2 = async_memcpy(x, a, 0, 0, len, &submit);
  	${second}
  }
`;

const cases: RuleCases = {
  rule: 'async-tx/fanout-dependency',
  valid: [
    { name: 'linear chain', code: SHAPE('init_async_submit(&submit, ASYNC_TX_ACK, t2, NULL, NULL, NULL);\n\tasync_memcpy(y, a, 0, 0, len, &submit);') },
    { name: 'second op independent', code: SHAPE('init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);\n\tasync_memcpy(y, b, 0, 0, len, &submit);') },
    { name: 'descriptor variable reassigned by the first dependent', code: SHAPE('tx = t2;\n\tinit_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);\n\tasync_memcpy(y, a, 0, 0, len, &submit);') },
    { name: 'single dependent', code: SHAPE('async_tx_issue_pending_all();') },
    {
      name: 'dependents in exclusive branches',
      code: c`
        static void foo_br(struct page *a, struct page *b, struct dma_async_tx_descriptor *tx, size_t len, bool up)
        {
        	struct async_submit_ctl submit;

        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	if (up)
        		async_memcpy(a, b, 0, 0, len, &submit);
        	else
        		async_memcpy(b, a, 0, 0, len, &submit);
        }
      `,
    },
  ],
  invalid: [
    { name: 'two ops depend on the same descriptor', code: SHAPE('init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);\n\tasync_memcpy(y, a, 0, 0, len, &submit);'), errors: [{ line: 10, message: /only one child/ }] },
    { name: 'second dependent is a callback trigger', code: SHAPE('init_async_submit(&submit, ASYNC_TX_ACK, tx, foo_cb, NULL, NULL);\n\tasync_trigger_callback(&submit);'), errors: [{ line: 10 }] },
    {
      name: 'a caller descriptor used twice',
      code: c`
        static void foo_par(struct page *a, struct page *b, struct dma_async_tx_descriptor *tx, size_t len)
        {
        	struct async_submit_ctl submit;

        	init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
        	async_memcpy(a, b, 0, 0, len, &submit);
        	init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
        	async_memcpy(b, a, 0, 0, len, &submit);
        }
      `,
      errors: [{ line: 7 }],
    },
    {
      name: 'three dependents',
      code: c`
        static void foo_three(struct page *a, struct page *b, struct page *c2, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(a, b, 0, 0, len, &submit);
        	init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
        	async_memcpy(b, a, 0, 0, len, &submit);
        	init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
        	async_memcpy(c2, a, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	async_memcpy(c2, b, 0, 0, len, &submit);
        }
      `,
      errors: [{ line: 10 }, { line: 12 }],
    },
  ],
};

export default cases;
