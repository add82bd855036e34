/**
 * Rule cases as data, in the style of ESLint's RuleTester.
 *
 * A case file (`test/rules/cases/<rule>.cases.ts`) default-exports a `RuleCases`: code that
 * must produce no finding of the rule (`valid`) and code that must produce exactly the
 * listed findings (`invalid`). `runRuleCases` turns one such object into a vitest
 * `describe` block with one `it` per case.
 *
 * Line numbers in `errors` are 1-based within the case's `code`, where `code` is normally
 * written with the `c` template tag (see `dedent`): line 1 is the first line after the
 * opening backtick's own line.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DmaLintSettings } from '../../shared/src/config';
import type { Finding, Severity } from '../../shared/src/findings';
import { defaultSettings } from '../../server/src/config/defaults';
import { memoryTree } from '../../server/src/kbuild/reader';
import { DocumentAnalyzer } from '../../server/src/engine/analyze';

export interface ValidCase {
  /** Unique within the rule; becomes the `it` title. */
  name: string;
  /** Complete C source of a small translation unit (one or a few functions). */
  code: string;
  /** Merged over `defaultSettings()`; `rules`, `wrappers` and `macros` are merged one level deep. */
  settings?: Partial<DmaLintSettings>;
  /**
   * Other files of the workspace, by path relative to the case's own file (`foo.h`,
   * `include/foo.h`), read through the engine's include resolver as headers are on disk.
   */
  headers?: Record<string, string>;
  /**
   * Makes the case the file `drivers/dmalint/foo_main.c` of a kernel tree (one tree per
   * case), with these files around it by path from the tree root (`Kconfig`,
   * `arch/arm/Kconfig`, `drivers/dmalint/Makefile`, ...), read as they are on disk.
   */
  kernelTree?: Record<string, string>;
}

export interface ExpectedError {
  /** 1-based line within `code` where the finding's range starts. */
  line: number;
  message?: RegExp;
  severity?: Severity;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /**
   * The code after applying every fix the rule's findings offer, as ESLint's RuleTester
   * checks it. Absent: no finding of this rule may offer a fix. The fixed code is analysed
   * again and must have no finding of the rule left.
   */
  output?: string;
}

export interface RuleCases {
  rule: string;
  valid: ValidCase[];
  invalid: InvalidCase[];
}

// ---------------------------------------------------------------------------------------
// dedent

/**
 * Removes the indentation a template literal picks up from the TypeScript around it.
 *
 * Exactly these steps, in order:
 * 1. If the text starts with a line break (optionally preceded by spaces/tabs), that first
 *    line is dropped: `c\`\n  foo\`` starts with `foo`, which is line 1.
 * 2. If the last line consists only of spaces/tabs, it is dropped (the closing backtick's
 *    indentation); the result then ends with exactly one `\n`.
 * 3. The longest whitespace prefix common (as a string, so tabs and spaces are not
 *    mixed up) to all lines that are not blank is removed from every line; blank lines
 *    become empty.
 *
 * Nothing else changes: interior blank lines are kept, so line numbers are stable.
 * `\r\n` is normalised to `\n`.
 */
export function dedent(text: string): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && /^[ \t]*$/.test(lines[0])) lines = lines.slice(1);
  if (lines.length > 1 && /^[ \t]*$/.test(lines[lines.length - 1])) lines = lines.slice(0, -1);
  let prefix: string | undefined;
  for (const line of lines) {
    if (/^[ \t]*$/.test(line)) continue;
    const ws = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (prefix === undefined) {
      prefix = ws;
      continue;
    }
    let n = 0;
    while (n < prefix.length && n < ws.length && prefix[n] === ws[n]) n++;
    prefix = prefix.slice(0, n);
  }
  const cut = prefix ?? '';
  const out = lines.map((line) => (/^[ \t]*$/.test(line) ? '' : line.slice(cut.length)));
  return out.join('\n') + '\n';
}

/**
 * Template tag for C snippets: `c\`...\``. Uses the *raw* template text, so C escapes such
 * as `"\n"` reach the analyser as a backslash and an `n`, exactly as written; then applies
 * `dedent`. Interpolated values are inserted verbatim (before dedenting).
 */
export function c(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings.raw[0];
  for (let i = 0; i < values.length; i++) text += String(values[i]) + strings.raw[i + 1];
  return dedent(text);
}

// ---------------------------------------------------------------------------------------
// running

export function mergeSettings(over: Partial<DmaLintSettings> | undefined): DmaLintSettings {
  const base = defaultSettings();
  if (!over) return base;
  return {
    ...base,
    ...over,
    rules: { ...base.rules, ...(over.rules ?? {}) },
    wrappers: { ...base.wrappers, ...(over.wrappers ?? {}) },
    macros: { ...base.macros, ...(over.macros ?? {}) },
  };
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');

function caseUri(rule: string, testCase: ValidCase): string {
  const name = slug(testCase.name) || 'case';
  if (testCase.kernelTree) return `file:///rule-cases-tree/${slug(rule)}/${name}/${CASE_TREE_FILE}`;
  return `file:///rule-cases/${slug(rule)}/${name}.c`;
}

/** A kernelTree case's own file, by path from its tree's root. */
export const CASE_TREE_FILE = 'drivers/dmalint/foo_main.c';

/** Analyses `code` once with a fresh analyser; returns every finding (all rules). */
/** Applies the fixes' edits (0-based line/character ranges) to `code`, last edit first. */
export function applyFixes(code: string, findings: readonly Finding[]): string {
  const lines = code.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = findings.flatMap((f) => f.fix?.edits ?? []).map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText }));
  edits.sort((a, b) => b.start - a.start);
  let out = code;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export function analyzeCase(rule: string, testCase: ValidCase): Finding[] {
  const uri = caseUri(rule, testCase);
  const dir = dirname(fileURLToPath(uri));
  const files = new Map(Object.entries(testCase.headers ?? {}).map(([rel, text]) => [join(dir, rel), text]));
  const root = join(dir, '..', '..');
  for (const [rel, text] of Object.entries(testCase.kernelTree ?? {})) files.set(join(root, rel), text);
  const analyzer = new DocumentAnalyzer(uri);
  try {
    const tree = memoryTree(files);
    return analyzer.update(testCase.code, mergeSettings(testCase.settings), tree, tree).findings;
  } finally {
    analyzer.dispose();
  }
}

function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.rule.localeCompare(b.rule),
  );
}

/** Human-readable dump of all findings plus the numbered source, for failure messages. */
export function describeFindings(findings: Finding[], code: string): string {
  const list = sortFindings(findings);
  const body =
    list.length === 0
      ? '  (no findings of any rule)'
      : list
          .map((f) => {
            const at = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
            const fn = f.function ? ` in ${f.function}()` : '';
            const rel = f.related.map((r) => `\n        related ${r.range.start.line + 1}: ${r.message}`).join('');
            return `  ${at} ${f.severity} ${f.rule}${fn}: ${f.message}${rel}`;
          })
          .join('\n');
  const src = code
    .replace(/\n$/, '')
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(3)} | ${l}`)
    .join('\n');
  return `findings (all rules, 1-based line:col):\n${body}\nsource:\n${src}`;
}

/** Checks the case data itself (bad data is a test bug, not an engine bug). */
export function validateCases(cases: RuleCases): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const tc of [...cases.valid, ...cases.invalid]) {
    if (seen.has(tc.name)) problems.push(`duplicate case name "${tc.name}"`);
    seen.add(tc.name);
    if (tc.code.trim() === '') problems.push(`case "${tc.name}" has no code`);
  }
  for (const tc of cases.invalid) {
    const lineCount = tc.code.replace(/\n$/, '').split('\n').length;
    if (tc.errors.length === 0) problems.push(`invalid case "${tc.name}" lists no errors`);
    for (const e of tc.errors) {
      if (!Number.isInteger(e.line) || e.line < 1 || e.line > lineCount) {
        problems.push(`invalid case "${tc.name}": line ${e.line} is outside 1..${lineCount}`);
      }
    }
  }
  return problems;
}

/**
 * Pairs expected errors with findings of the rule. Lines must match as multisets; within a
 * line, an expectation is paired with a finding that satisfies its message/severity if one
 * exists (most constrained expectations first). Returns the mismatch descriptions.
 */
export function compareFindings(expected: ExpectedError[], actual: Finding[]): string[] {
  const problems: string[] = [];
  const wantLines = expected.map((e) => e.line).sort((a, b) => a - b);
  const gotLines = actual.map((f) => f.range.start.line + 1).sort((a, b) => a - b);
  if (wantLines.join(',') !== gotLines.join(',')) {
    problems.push(`expected findings on lines [${wantLines.join(', ')}], got [${gotLines.join(', ')}]`);
    return problems;
  }
  const used = new Set<number>();
  const weight = (e: ExpectedError): number => (e.message ? 1 : 0) + (e.severity ? 1 : 0);
  const order = [...expected].sort((a, b) => a.line - b.line || weight(b) - weight(a));
  for (const e of order) {
    const onLine = actual.map((f, i) => ({ f, i })).filter(({ f, i }) => !used.has(i) && f.range.start.line + 1 === e.line);
    const ok = onLine.find(
      ({ f }) => (!e.message || e.message.test(f.message)) && (!e.severity || e.severity === f.severity),
    );
    if (ok) {
      used.add(ok.i);
      continue;
    }
    const pick = onLine[0];
    if (pick) used.add(pick.i);
    const what = [e.message ? `message ${String(e.message)}` : '', e.severity ? `severity ${e.severity}` : '']
      .filter(Boolean)
      .join(' and ');
    const got = onLine.map(({ f }) => `${f.severity}: ${f.message}`).join(' | ');
    problems.push(`line ${e.line}: no finding with ${what}; got ${got}`);
  }
  return problems;
}

/** Registers `describe(cases.rule)` with one `it` per case. */
export function runRuleCases(cases: RuleCases): void {
  describe(cases.rule, () => {
    it('case data is well formed', () => {
      expect(validateCases(cases)).toEqual([]);
    });
    for (const tc of cases.valid) {
      it(`valid: ${tc.name}`, () => {
        const all = analyzeCase(cases.rule, tc);
        const mine = all.filter((f) => f.rule === cases.rule);
        if (mine.length > 0) {
          expect.fail(`expected no ${cases.rule} findings, got ${mine.length}\n${describeFindings(all, tc.code)}`);
        }
      });
    }
    for (const tc of cases.invalid) {
      it(`invalid: ${tc.name}`, () => {
        const all = analyzeCase(cases.rule, tc);
        const mine = all.filter((f) => f.rule === cases.rule);
        const problems = compareFindings(tc.errors, mine);
        if (problems.length > 0) {
          expect.fail(`${cases.rule}: ${problems.join('; ')}\n${describeFindings(all, tc.code)}`);
        }
        const fixable = mine.filter((f) => f.fix);
        if (tc.output === undefined) {
          expect(fixable.map((f) => f.fix?.title), 'a fix is offered but the case has no output').toEqual([]);
        } else {
          const fixed = applyFixes(tc.code, fixable);
          expect(fixed).toBe(tc.output);
          const after = analyzeCase(cases.rule, { ...tc, code: fixed }).filter((f) => f.rule === cases.rule);
          expect(after.map((f) => f.message), 'the fix did not remove the finding').toEqual([]);
        }
      });
    }
  });
}
