import { type CodeAction, CodeActionKind, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Position, Range } from '../../../shared/src/findings';
import { findingToDiagnostic } from './diagnostics';

/** The kind of the action that applies every fix in the file (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dma-lint`;

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: Range, b: Range): boolean {
  // two insertions at one point conflict too: their order would be arbitrary
  if (!before(a.start, b.start) && !before(b.start, a.start)) return true;
  return before(a.start, b.end) && before(b.start, a.end);
}

/**
 * The findings whose fixes can be applied together: in document order, a fix is taken when
 * none of its edits overlaps an edit of a fix already taken (the rest wait for the next
 * round, computed again from the fixed text).
 */
export function compatibleFixes(findings: readonly Finding[]): Finding[] {
  const taken: Finding[] = [];
  const ranges: Range[] = [];
  const fixable = findings.filter((f) => f.fix && f.fix.edits.length > 0);
  const first = (f: Finding): Position => f.fix!.edits.reduce((p, e) => (before(e.range.start, p) ? e.range.start : p), f.fix!.edits[0].range.start);
  const ordered = [...fixable].sort((a, b) => (before(first(a), first(b)) ? -1 : before(first(b), first(a)) ? 1 : 0));
  for (const f of ordered) {
    const edits = f.fix!.edits;
    if (edits.some((e, i) => ranges.some((r) => overlaps(e.range, r)) || edits.some((o, j) => j < i && overlaps(e.range, o.range)))) continue;
    taken.push(f);
    ranges.push(...edits.map((e) => e.range));
  }
  return taken;
}

function editsOf(findings: readonly Finding[]): TextEdit[] {
  return findings.flatMap((f) => f.fix!.edits.map((e) => ({ range: e.range, newText: e.newText })));
}

/** Whether an action of `kind` was asked for by `only` (absent: every kind). */
export function kindRequested(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/**
 * "Fix all <rule> problems in the file": one quick fix per rule with a fixable finding on
 * the requested lines and at least two fixable findings in the document.
 */
export function fixAllOfRuleActions(doc: TextDocument, findings: readonly Finding[], hits: readonly Finding[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const rules = [...new Set(hits.filter((f) => f.fix).map((f) => f.rule))];
  for (const rule of rules) {
    const all = findings.filter((f) => f.rule === rule && f.fix);
    if (all.length < 2) continue;
    const fixes = compatibleFixes(all);
    actions.push({
      title: `Fix all ${rule} problems in the file (${fixes.length})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: fixes.map((f) => findingToDiagnostic(doc.uri, f)),
      edit: { changes: { [doc.uri]: editsOf(fixes) } },
    });
  }
  return actions;
}

/** `source.fixAll.dma-lint`: every fix in the document whose edits do not overlap another's. */
export function fixAllAction(doc: TextDocument, findings: readonly Finding[]): CodeAction | undefined {
  const fixes = compatibleFixes(findings);
  if (fixes.length === 0) return undefined;
  const diagnostics: Diagnostic[] = fixes.map((f) => findingToDiagnostic(doc.uri, f));
  return {
    title: `Fix all dma-lint problems in the file (${fixes.length})`,
    kind: FIX_ALL_KIND,
    diagnostics,
    edit: { changes: { [doc.uri]: editsOf(fixes) } },
  };
}
