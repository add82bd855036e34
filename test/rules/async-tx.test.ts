import { describe, expect, it } from 'vitest';
import { analyzeCase, runRuleCases } from './rule-tester';
import missingFence from './cases/async-tx-missing-fence.cases';
import staleIntermediate from './cases/async-tx-stale-intermediate.cases';
import cpuAccess from './cases/async-tx-cpu-access-before-completion.cases';
import ackThenDepend from './cases/async-tx-ack-then-depend.cases';
import fanout from './cases/async-tx-fanout-dependency.cases';
import xorDstFlags from './cases/async-tx-xor-dst-flags.cases';
import submitInCallback from './cases/async-tx-submit-in-callback.cases';

const ALL = [missingFence, staleIntermediate, cpuAccess, ackThenDepend, fanout, xorDstFlags, submitInCallback];

/**
 * The async-tx rules ask the executor (it replays each function's async_tx chain on every
 * path), so their cases run through the engine like every other rule's. The engine's
 * lexical pre-filter (server/src/engine/analyze.ts, DMA_WORDS) must therefore admit
 * functions that name only the async_tx API: callbacks and helpers handed a submit.
 */
const probe = `static void f(struct page *a, struct page *b, struct async_submit_ctl *s)\n{\n\tinit_async_submit(s, 0, NULL, NULL, NULL, NULL);\n\tasync_xor(a, &a, 0, 1, 64, s);\n}\nstatic void g(struct page *a, struct async_submit_ctl *s)\n{\n\tinit_async_submit(s, 0, NULL, f, NULL, NULL);\n\tasync_trigger_callback(s);\n}\n`;

describe('async-tx rules run through the engine', () => {
  it('the pre-filter admits code that names only the async_tx API', () => {
    expect(analyzeCase('probe', { name: 'probe', code: probe }).map((f) => f.rule)).toContain('async-tx/submit-in-callback');
  });
});

for (const cases of ALL) runRuleCases(cases);
