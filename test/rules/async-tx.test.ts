import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/src/findings';
import { CParser } from '../../server/src/c/parser';
import { indexFunctions } from '../../server/src/c/functions';
import { FileScope, FunctionScope } from '../../server/src/c/scope';
import { FindingCollector } from '../../server/src/engine/reporter';
import { ALL_RULES } from '../../server/src/rules';
import { analyzeCase, applyFixes, compareFindings, describeFindings, mergeSettings, runRuleCases, validateCases, type RuleCases, type ValidCase } from './rule-tester';
import missingFence from './cases/async-tx-missing-fence.cases';
import staleIntermediate from './cases/async-tx-stale-intermediate.cases';
import cpuAccess from './cases/async-tx-cpu-access-before-completion.cases';
import ackThenDepend from './cases/async-tx-ack-then-depend.cases';
import fanout from './cases/async-tx-fanout-dependency.cases';
import xorDstFlags from './cases/async-tx-xor-dst-flags.cases';
import submitInCallback from './cases/async-tx-submit-in-callback.cases';

const ALL = [missingFence, staleIntermediate, cpuAccess, ackThenDepend, fanout, xorDstFlags, submitInCallback];

/**
 * The engine's lexical pre-filter (server/src/engine/analyze.ts, DMA_WORDS) skips files and
 * functions that never name `dma_*` (a `struct dma_async_tx_descriptor` declaration is
 * enough to pass); callbacks and helpers handed a submit often name none. While that
 * filter does not admit async_tx code, the cases run the async-tx rules directly over every
 * function (same reporter, same platform filtering); once it does, they run through the
 * engine like every other rule's cases.
 */
const probe = `static void f(struct page *a, struct page *b, struct async_submit_ctl *s)\n{\n\tinit_async_submit(s, 0, NULL, NULL, NULL, NULL);\n\tasync_xor(a, &a, 0, 1, 64, s);\n}\nstatic void g(struct page *a, struct async_submit_ctl *s)\n{\n\tinit_async_submit(s, 0, NULL, f, NULL, NULL);\n\tasync_trigger_callback(s);\n}\n`;
const engineAdmitsAsyncTx = analyzeCase('probe', { name: 'probe', code: probe }).some((f) => f.rule.startsWith('async-tx/'));

function analyzeDirect(rule: string, tc: ValidCase): Finding[] {
  const settings = mergeSettings(tc.settings);
  const parser = new CParser();
  const doc = parser.parse(tc.code, settings.macros);
  try {
    const root = doc.tree.rootNode;
    const fileScope = new FileScope(root);
    const collector = new FindingCollector(settings.platforms, (r) => settings.rules[r] !== 'off');
    const rules = ALL_RULES.filter((r) => r.id.startsWith('async-tx/'));
    for (const fn of indexFunctions(root)) {
      const ctx = {
        fn,
        scope: new FunctionScope(fileScope, fn.node),
        reporter: collector.reporterFor(fn.name, () => true),
        vmallocAssigned: new Map(),
        events: { wrappers: new Map() },
        source: tc.code,
      };
      for (const r of rules) r.create(ctx);
    }
    return collector.findings();
  } finally {
    parser.dispose(doc);
  }
}

function runDirect(cases: RuleCases): void {
  describe(`${cases.rule} (rules run directly: the engine's DMA_WORDS filter skips async_tx-only code)`, () => {
    it('case data is well formed', () => expect(validateCases(cases)).toEqual([]));
    for (const tc of cases.valid) {
      it(`valid: ${tc.name}`, () => {
        const all = analyzeDirect(cases.rule, tc);
        const mine = all.filter((f) => f.rule === cases.rule);
        if (mine.length > 0) expect.fail(`expected no ${cases.rule} findings\n${describeFindings(all, tc.code)}`);
      });
    }
    for (const tc of cases.invalid) {
      it(`invalid: ${tc.name}`, () => {
        const all = analyzeDirect(cases.rule, tc);
        const mine = all.filter((f) => f.rule === cases.rule);
        const problems = compareFindings(tc.errors, mine);
        if (problems.length > 0) expect.fail(`${cases.rule}: ${problems.join('; ')}\n${describeFindings(all, tc.code)}`);
        const fixable = mine.filter((f) => f.fix);
        if (tc.output === undefined) {
          expect(fixable.map((f) => f.fix?.title)).toEqual([]);
        } else {
          const fixed = applyFixes(tc.code, fixable);
          expect(fixed).toBe(tc.output);
          expect(analyzeDirect(cases.rule, { ...tc, code: fixed }).filter((f) => f.rule === cases.rule).map((f) => f.message)).toEqual([]);
        }
      });
    }
  });
}

for (const cases of ALL) {
  if (engineAdmitsAsyncTx) runRuleCases(cases);
  else runDirect(cases);
}
