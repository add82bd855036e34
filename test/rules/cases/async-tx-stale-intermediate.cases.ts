import { c, type RuleCases } from '../rule-tester';
import { RAID5_BATCH } from './async-tx-shapes';

/** Finding line: the consuming op's async_* call (swiotlb only). */
const COPY2 = (between: string) => c`
  static void foo_copy2(struct page *d, struct page *i, struct page *s, size_t len)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx;

  	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(i, s, 0, 0, len, &submit);
  	${between}
  	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
  	tx = async_memcpy(d, i, 0, 0, len, &submit);
  }
`;

/** A loop whose second copy writes what the next pass's first copy reads; finding line: 9. */
const RING = (endOfPass: string) => c`
  static void foo_ring(struct page **pages, struct page *tmp, int n, size_t len)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx = NULL;
  	int k;

  	for (k = 0; k < n; k++) {
  		init_async_submit(&submit, ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
  		tx = async_memcpy(pages[k], tmp, 0, 0, len, &submit);
  		init_async_submit(&submit, ASYNC_TX_FENCE, tx, NULL, NULL, NULL);
  		tx = async_memcpy(tmp, pages[k + 1], 0, 0, len, &submit);
  		${endOfPass}
  	}
  }
`;

/** The producer waited for on `waitIf` and/or `waitElse`; finding line (if any): 14. */
const BRANCHES = (waitIf: string, waitElse: string) => c`
  static void foo_branches(struct page *d, struct page *i, struct page *s, size_t len, bool slow)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx;

  	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(i, s, 0, 0, len, &submit);
  	if (slow) {
  		${waitIf}
  	} else {
  		${waitElse}
  	}
  	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
  	async_memcpy(d, i, 0, 0, len, &submit);
  }
`;

const cases: RuleCases = {
  rule: 'async-tx/stale-intermediate',
  valid: [
    { name: 'producer quiesced before the consumer', code: COPY2('async_tx_quiesce(&tx);') },
    { name: 'producer waited for with dma_wait_for_async_tx', code: COPY2('dma_wait_for_async_tx(tx);') },
    { name: 'callback completion waited for', code: COPY2('wait_for_completion(&foo_done);') },
    { name: 'not reported when swiotlb is not among the platforms', code: COPY2(''), settings: { platforms: ['coherent', 'armv7', 'arm64'] } },
    {
      name: 'independent pages',
      code: c`
        static void foo_two(struct page *a, struct page *b, struct page *x, struct page *y, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(a, b, 0, 0, len, &submit);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	async_memcpy(x, y, 0, 0, len, &submit);
        }
      `,
    },
    {
      name: 'ops in exclusive branches',
      code: c`
        static void foo_branch(struct page *d, struct page *i, struct page *s, size_t len, bool fast)
        {
        	struct async_submit_ctl submit;

        	init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        	if (fast)
        		async_memcpy(i, s, 0, 0, len, &submit);
        	else
        		async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
    },
    { name: 'producer waited for on both branches', code: BRANCHES('async_tx_quiesce(&tx);', 'dma_wait_for_async_tx(tx);') },
    { name: 'not reported on a coherent platform alone', code: COPY2(''), settings: { platforms: ['coherent'] } },
    {
      name: 'consumer only on the synchronous path (NULL descriptor: the copy already ran)',
      code: c`
        static void foo_sync(struct page *d, struct page *i, struct page *s, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	if (!tx) {
        		init_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);
        		async_memcpy(d, i, 0, 0, len, &submit);
        	}
        }
      `,
    },
    {
      name: 'producer of an earlier loop iteration waited for at the end of each iteration',
      code: RING('async_tx_quiesce(&tx);'),
    },
    {
      name: 'copy direction fixed by a parameter, a new bio page each segment (raid5 async_copy_data shape)',
      code: c`
        static struct dma_async_tx_descriptor *
        foo_copy_data(bool frombio, struct foo_bio *bio, struct page **page, struct dma_async_tx_descriptor *tx, bool skip)
        {
        	struct async_submit_ctl submit;
        	enum async_tx_flags flags = 0;
        	struct page *bio_page;
        	int i;

        	if (frombio)
        		flags |= ASYNC_TX_FENCE;
        	init_async_submit(&submit, flags, tx, NULL, NULL, NULL);

        	for (i = 0; i < bio->nr; i++) {
        		bio_page = bio->pages[i];
        		if (frombio) {
        			if (skip && i == 0)
        				*page = bio_page;
        			else
        				tx = async_memcpy(*page, bio_page, i * 512, 0, 512, &submit);
        		} else {
        			tx = async_memcpy(bio_page, *page, 0, i * 512, 512, &submit);
        		}
        		submit.depend_tx = tx;
        	}
        	return tx;
        }
      `,
    },
    {
      name: 'each pass of a batch loop maps a new page array (raid5 ops_run_reconstruct6 shape)',
      code: RAID5_BATCH,
    },
  ],
  invalid: [
    { name: 'producer waited for on one branch only', code: BRANCHES('async_tx_quiesce(&tx);', 'async_tx_issue_pending_all();'), errors: [{ line: 14, message: /swiotlb/ }] },
    {
      name: 'the previous loop iteration\'s result is read by the next iteration',
      code: RING(''),
      errors: [{ line: 9 }],
    },
    {
      name: 'consumer on the asynchronous path (non-NULL descriptor)',
      code: c`
        static void foo_async(struct page *d, struct page *i, struct page *s, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;

        	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	if (tx) {
        		init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        		async_memcpy(d, i, 0, 0, len, &submit);
        	}
        }
      `,
      errors: [{ line: 10 }],
    },
    { name: 'the DMA-SEMANTICS 4.5 chain', code: COPY2(''), errors: [{ line: 10, message: /async_tx_quiesce\(\)/ }] },
    {
      name: 'reported for swiotlb alone',
      code: COPY2('async_tx_issue_pending_all();'),
      settings: { platforms: ['swiotlb'] },
      errors: [{ line: 10 }],
    },
    {
      name: 'xor destination reused as a source of the next xor (datap_recov shape)',
      code: c`
        static void foo_recov(struct page *dq, struct page *q, struct page *p, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx;
        	struct page *srcs[2];

        	srcs[0] = dq;
        	srcs[1] = q;
        	init_async_submit(&submit, ASYNC_TX_FENCE | ASYNC_TX_XOR_DROP_DST, NULL, NULL, NULL, NULL);
        	tx = async_xor(dq, srcs, 0, 2, len, &submit);
        	srcs[0] = p;
        	srcs[1] = dq;
        	init_async_submit(&submit, ASYNC_TX_XOR_DROP_DST, tx, NULL, NULL, NULL);
        	tx = async_xor(p, srcs, 0, 2, len, &submit);
        }
      `,
      errors: [{ line: 14 }],
    },
    {
      name: 'quiesce of an unrelated descriptor does not help',
      code: c`
        static void foo_other(struct page *d, struct page *i, struct page *s, struct page *x, size_t len)
        {
        	struct async_submit_ctl submit;
        	struct dma_async_tx_descriptor *tx, *other;

        	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, NULL, NULL, NULL);
        	tx = async_memcpy(i, s, 0, 0, len, &submit);
        	init_async_submit(&submit, 0, NULL, NULL, NULL, NULL);
        	other = async_memcpy(x, s, 0, 0, len, &submit);
        	async_tx_quiesce(&other);
        	init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
        	tx = async_memcpy(d, i, 0, 0, len, &submit);
        }
      `,
      errors: [{ line: 12 }],
    },
  ],
};

export default cases;
