import { SHOW_DOCS_COMMAND } from '../../../shared/src/protocol';
import { type CodeAction, CodeActionKind, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../../shared/src/findings';
import { DISABLE_NEXT_LINE, parseDirective } from '../engine/suppress';
import { findingToDiagnostic } from './diagnostics';
import { FIX_ALL_KIND, fixAllAction, fixAllOfRuleActions, kindRequested } from './fixAll';

/**
 * Code actions for the findings of the CURRENT text that touch the requested lines. The
 * diagnostics the client sends back are never used: ALE omits `source`, and eglot can send
 * ranges that are stale after an edit (REAL-CLIENTS.md).
 *
 * `only` (the request's context.only) keeps the kinds asked for: `quickfix` for the fixes,
 * "fix all of this rule" and the disable comments; `source.fixAll.dma-lint` (or a prefix of
 * it, `source`, `source.fixAll`) for every non-overlapping fix in the document, whatever
 * the range. Without `only`: the quick fixes, and the fix-all action when a fixable finding is
 * on the requested lines.
 */
export function codeActions(doc: TextDocument, findings: readonly Finding[], range: Range, only?: readonly string[]): CodeAction[] {
  const actions: CodeAction[] = [];
  if (kindRequested(CodeActionKind.QuickFix, only)) actions.push(...quickFixes(doc, findings, range));
  // asked for by kind (on save): always; in a plain request, next to a fix on the requested lines
  if (only ? kindRequested(FIX_ALL_KIND, only) : onLines(findings, range).some((f) => f.fix)) {
    const all = fixAllAction(doc, findings);
    if (all) actions.push(all);
  }
  return actions;
}

function onLines(findings: readonly Finding[], range: Range): Finding[] {
  return findings.filter((f) => f.range.start.line <= range.end.line && f.range.end.line >= range.start.line);
}

function quickFixes(doc: TextDocument, findings: readonly Finding[], range: Range): CodeAction[] {
  const hits = onLines(findings, range);
  const actions: CodeAction[] = [];
  for (const f of hits) {
    if (!f.fix) continue;
    actions.push({
      title: f.fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [findingToDiagnostic(doc.uri, f)],
      isPreferred: true,
      edit: { changes: { [doc.uri]: f.fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
    });
  }
  actions.push(...fixAllOfRuleActions(doc, findings, hits));
  const seen = new Set<string>();
  for (const f of hits) {
    const line = f.range.start.line;
    const key = `${line}\0${f.rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    actions.push({
      title: `Disable ${f.rule} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: hits.filter((h) => h.rule === f.rule && h.range.start.line === line).map((h) => findingToDiagnostic(doc.uri, h)),
      edit: { changes: { [doc.uri]: [disableEdit(doc, line, f.rule)] } },
    });
    actions.push({
      title: `Show documentation for ${f.rule}`,
      kind: CodeActionKind.QuickFix,
      command: { title: `Show documentation for ${f.rule}`, command: SHOW_DOCS_COMMAND, arguments: [f.rule] },
    });
  }
  return actions;
}

function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** Adds `rule` to a directive on the line above, or inserts a new directive line there. */
export function disableEdit(doc: TextDocument, line: number, rule: string): TextEdit {
  if (line > 0) {
    const above = lineText(doc, line - 1);
    const d = above.includes(DISABLE_NEXT_LINE) ? parseDirective(above, line - 1) : undefined;
    if (d && d.ownLine && d.rules.length > 0) {
      const block = above.slice(d.start, d.start + 2) === '/*';
      const reason = d.reason ? ` -- ${d.reason}` : '';
      const rules = [...d.rules, rule].join(', ');
      const comment = block ? `/* ${DISABLE_NEXT_LINE} ${rules}${reason} */` : `// ${DISABLE_NEXT_LINE} ${rules}${reason}`;
      return { range: { start: { line: line - 1, character: d.start }, end: { line: line - 1, character: d.end } }, newText: comment };
    }
  }
  const text = lineText(doc, line);
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const eol = doc.getText().includes('\r\n') ? '\r\n' : '\n';
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}/* ${DISABLE_NEXT_LINE} ${rule} -- reason */${eol}`,
  };
}
