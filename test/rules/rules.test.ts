import { describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/src/findings';
import { ruleMeta } from '../../server/src/rules/meta';
import { c, compareFindings, dedent, mergeSettings, runRuleCases, validateCases, type RuleCases } from './rule-tester';
import uncheckedMap from './cases/unchecked-map.cases';
import wrongErrorTest from './cases/wrong-error-test.cases';
import leakOnErrorPath from './cases/leak-on-error-path.cases';
import doubleUnmap from './cases/double-unmap.cases';
import useAfterUnmap from './cases/use-after-unmap.cases';
import unmapErrorHandle from './cases/unmap-error-handle.cases';
import unmapDirectionMismatch from './cases/unmap-direction-mismatch.cases';
import unmapSizeMismatch from './cases/unmap-size-mismatch.cases';
import unmapTypeMismatch from './cases/unmap-type-mismatch.cases';
import syncDirectionMismatch from './cases/sync-direction-mismatch.cases';
import sgNentsMismatch from './cases/sg-nents-mismatch.cases';
import directionNone from './cases/direction-none.cases';
import stackBuffer from './cases/stack-buffer.cases';
import vmallocBuffer from './cases/vmalloc-buffer.cases';
import staticBuffer from './cases/static-buffer.cases';
import syncNonDmaHandle from './cases/sync-non-dma-handle.cases';
import syncCoherentMemory from './cases/sync-coherent-memory.cases';
import syncOutOfRange from './cases/sync-out-of-range.cases';
import coherentFreeMismatch from './cases/coherent-free-mismatch.cases';
import skipCpuSyncWithoutManualSync from './cases/skip-cpu-sync-without-manual-sync.cases';
import { CORPUS_REGRESSIONS } from './cases/corpus-regressions';

const BY_RULE: RuleCases[] = [
  uncheckedMap,
  wrongErrorTest,
  leakOnErrorPath,
  doubleUnmap,
  useAfterUnmap,
  unmapErrorHandle,
  unmapDirectionMismatch,
  unmapSizeMismatch,
  unmapTypeMismatch,
  syncDirectionMismatch,
  sgNentsMismatch,
  directionNone,
  stackBuffer,
  vmallocBuffer,
  staticBuffer,
  syncNonDmaHandle,
  syncCoherentMemory,
  syncOutOfRange,
  coherentFreeMismatch,
  skipCpuSyncWithoutManualSync,
];

/** Each rule's cases plus the must-not cases found on the real kernel. */
const ALL: RuleCases[] = BY_RULE.map((r) => ({ ...r, valid: [...r.valid, ...(CORPUS_REGRESSIONS[r.rule] ?? [])] }));


describe('rule tester helpers', () => {
  it('dedent: line 1 is the first line after the opening backtick line', () => {
    const code = c`
      static int foo(void)
      {
      	return 0;
      }
    `;
    expect(code.split('\n')[0]).toBe('static int foo(void)');
    expect(code).toBe('static int foo(void)\n{\n\treturn 0;\n}\n');
  });

  it('dedent: keeps interior blank lines and relative indentation', () => {
    expect(dedent('\n    a\n\n      b\n    c\n  ')).toBe('a\n\n  b\nc\n');
    expect(dedent('\n    a\n  \n    b\n')).toBe('a\n\nb\n');
  });

  it('dedent: text on the first line is line 1 (nothing dropped)', () => {
    expect(dedent('int x;\n  int y;\n')).toBe('int x;\n  int y;\n');
  });

  it('dedent: common prefix is a string, tabs are not spaces', () => {
    expect(dedent('\n  \tint a;\n  \t\tint b;\n  ')).toBe('int a;\n\tint b;\n');
    expect(dedent('\n\tint a;\n    int b;\n')).toBe('\tint a;\n    int b;\n');
  });

  it('dedent: normalises CRLF', () => {
    expect(dedent('\r\n  a\r\n  b\r\n')).toBe('a\nb\n');
  });

  it('c tag: keeps C escapes raw and interpolates', () => {
    const n = 64;
    const code = c`
      static u8 buf[${n}];
      void f(void) { pr_info("x\n"); }
    `;
    expect(code).toBe('static u8 buf[64];\nvoid f(void) { pr_info("x\\n"); }\n');
  });

  it('mergeSettings: merges rules one level deep over the defaults', () => {
    const s = mergeSettings({ rules: { 'dma/stack-buffer': 'off' }, maxStepsPerFunction: 5 });
    expect(s.rules['dma/stack-buffer']).toBe('off');
    expect(s.maxStepsPerFunction).toBe(5);
    expect(s.enable).toBe(true);
    expect(s.platforms.length).toBeGreaterThan(0);
  });

  const finding = (line: number, message = 'm', severity: Finding['severity'] = 'error'): Finding => ({
    rule: 'r',
    severity,
    message,
    range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 1 } },
    function: 'f',
    platforms: [],
    related: [],
  });

  it('compareFindings: exact multiset of lines, then message/severity', () => {
    expect(compareFindings([{ line: 3 }], [finding(3)])).toEqual([]);
    expect(compareFindings([{ line: 3 }], [])).toHaveLength(1);
    expect(compareFindings([{ line: 3 }], [finding(3), finding(3)])).toHaveLength(1);
    expect(compareFindings([{ line: 3 }, { line: 5 }], [finding(5), finding(3)])).toEqual([]);
    expect(compareFindings([{ line: 3, severity: 'warning' }], [finding(3)])).toHaveLength(1);
    expect(compareFindings([{ line: 3, message: /page/ }], [finding(3, 'mapped as page')])).toEqual([]);
    expect(
      compareFindings(
        [{ line: 3 }, { line: 3, severity: 'warning' }],
        [finding(3, 'a', 'warning'), finding(3, 'b', 'error')],
      ),
    ).toEqual([]);
  });

  it('case files: known rule ids, one file per rule, enough cases', () => {
    const ids = ALL.map((r) => r.rule);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL) {
      expect(ruleMeta(r.rule), r.rule).toBeDefined();
      expect(r.valid.length, `${r.rule} valid`).toBeGreaterThanOrEqual(5);
      expect(r.invalid.length, `${r.rule} invalid`).toBeGreaterThanOrEqual(4);
      expect(validateCases(r), r.rule).toEqual([]);
    }
  });

  it('validateCases: catches out-of-range lines and duplicate names', () => {
    const bad: RuleCases = {
      rule: 'r',
      valid: [{ name: 'a', code: 'int x;\n' }],
      invalid: [{ name: 'a', code: 'int x;\n', errors: [{ line: 2 }] }],
    };
    expect(validateCases(bad)).toHaveLength(2);
  });
});

for (const cases of ALL) runRuleCases(cases);
