import { c } from '../rule-tester';

/**
 * Code shapes several async-tx rules' cases share. RAID5_BATCH is drivers/md/raid5.c's
 * ops_run_reconstruct6() shape, rewritten: a `goto again` loop over a batch of stripes that
 * maps a new page array each pass, acks only on the last pass and chains each pass on the
 * previous one. It must not be reported by stale-intermediate, missing-fence or
 * ack-then-depend: each showed it as a false positive on the 6.1 tree while the replay was
 * being built (a reassigned array kept naming the old pages; exclusive branches of
 * different passes were joined once the executor forgot `last`).
 */
export const RAID5_BATCH = c`
  static void foo_reconstruct(struct foo_stripe *sh, struct foo_percpu *percpu, struct dma_async_tx_descriptor *tx)
  {
  	struct foo_stripe *head = sh;
  	struct async_submit_ctl submit;
  	struct page **blocks;
  	unsigned long txflags;
  	int count, j = 0;
  	int last;

  again:
  	blocks = foo_addr_page(percpu, j);
  	if (sh->state == FOO_PREXOR)
  		txflags = ASYNC_TX_ACK | ASYNC_TX_PQ_XOR_DST;
  	else
  		txflags = ASYNC_TX_ACK;
  	count = foo_sources(blocks, sh);
  	last = !head->batch || foo_first(sh) == head;
  	if (last)
  		init_async_submit(&submit, txflags, tx, foo_done, head, NULL);
  	else
  		init_async_submit(&submit, 0, tx, NULL, NULL, NULL);
  	tx = async_gen_syndrome(blocks, 0, count + 2, 4096, &submit);
  	if (!last) {
  		j++;
  		sh = foo_next(sh);
  		goto again;
  	}
  }
`;
