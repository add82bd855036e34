import { c, type RuleCases } from '../rule-tester';
import { RAID5_BATCH } from './async-tx-shapes';

/** Finding line: the depend_tx argument (or the async_tx_quiesce call). */
const SHAPE = (flags: string, then: string) => c`
  static void foo_ack(struct page *d, struct page *i, struct page *s, size_t len)
  {
  	struct async_submit_ctl submit;
  	struct dma_async_tx_descriptor *tx;

  	init_async_submit(&submit, ${flags}, NULL, NULL, NULL, NULL);
  	tx = async_memcpy(i, s, 0, 0, len, &submit);
  	${then}
  }
`;
const DEPEND = `init_async_submit(&submit, ASYNC_TX_ACK, tx, NULL, NULL, NULL);
	async_memcpy(d, i, 0, 0, len, &submit);`;

const cases: RuleCases = {
  rule: 'async-tx/ack-then-depend',
  valid: [
    { name: 'unacked producer used as dependency', code: SHAPE('ASYNC_TX_FENCE', DEPEND) },
    { name: 'unacked producer quiesced', code: SHAPE('0', 'async_tx_quiesce(&tx);') },
    { name: 'acked op with no later use', code: SHAPE('ASYNC_TX_ACK', 'async_tx_issue_pending_all();') },
    { name: 'descriptor reassigned before use', code: SHAPE('ASYNC_TX_ACK', 'tx = NULL;\n\tinit_async_submit(&submit, 0, tx, NULL, NULL, NULL);\n\tasync_memcpy(d, i, 0, 0, len, &submit);') },
    { name: 'flags from a variable', code: SHAPE('flags', DEPEND) },
    { name: 'flags variable without the ack', code: SHAPE('flags', DEPEND).replace('\tinit_async_submit(&submit, flags', '\tflags = ASYNC_TX_FENCE;\n\tinit_async_submit(&submit, flags') },
    { name: 'ack cleared from a flags variable', code: SHAPE('flags', DEPEND).replace('\tinit_async_submit(&submit, flags', '\tflags = ASYNC_TX_ACK | ASYNC_TX_FENCE;\n\tflags &= ~ASYNC_TX_ACK;\n\tinit_async_submit(&submit, flags') },
    {
      name: 'acked only on the last pass of a batch loop (raid5 ops_run_reconstruct6 shape)',
      code: RAID5_BATCH,
    },
  ],
  invalid: [
    { name: 'acked producer used as dependency', code: SHAPE('ASYNC_TX_ACK', DEPEND), errors: [{ line: 8, message: /ASYNC_TX_ACK/ }] },
    { name: 'acked and fenced producer used as dependency', code: SHAPE('ASYNC_TX_FENCE | ASYNC_TX_ACK', DEPEND), errors: [{ line: 8 }] },
    { name: 'acked producer quiesced', code: SHAPE('ASYNC_TX_ACK', 'async_tx_quiesce(&tx);'), errors: [{ line: 8, message: /async_tx_quiesce/ }] },
    { name: 'acked producer with unknown other flags', code: SHAPE('flags | ASYNC_TX_ACK', DEPEND), errors: [{ line: 8 }] },
    { name: 'ack added to a flags variable', code: SHAPE('flags', DEPEND).replace('\tinit_async_submit(&submit, flags', '\tflags = ASYNC_TX_FENCE;\n\tflags |= ASYNC_TX_ACK;\n\tinit_async_submit(&submit, flags'), errors: [{ line: 10 }] },
  ],
};

export default cases;
