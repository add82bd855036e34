import { commands, type Diagnostic, type ExtensionContext, languages, type QuickPickItem, Uri, window } from 'vscode';
import { readRuleTable, rulePagePath } from './ruleTable';

const SOURCE = 'dma-lint';
/** A rule id given as a command argument (from a command link): never a path. */
const RULE_ID = /^[a-z][a-z0-9-]*\/[a-z0-9-]+$/;

/**
 * `dmaLint.showRuleDocs`: the page of the rule given (a rule link of the explain panel), else of the rule under the cursor (a pick when several
 * findings are there), else a pick of every rule. Pages ship inside the extension, so they
 * always match the running server.
 */
export async function showRuleDocs(context: ExtensionContext, rule?: string): Promise<void> {
  const root = context.extensionPath;
  const given = rule !== undefined && RULE_ID.test(rule) ? rule : undefined;
  const here = given === undefined ? rulesUnderCursor() : [given];
  let id: string | undefined = here.length === 1 ? here[0] : undefined;
  if (id === undefined) {
    const table = readRuleTable(root);
    const items: (QuickPickItem & { id: string })[] =
      here.length > 1
        ? here.map((r) => ({ id: r, label: r, description: table.find((t) => t.id === r)?.description }))
        : table.map((t) => ({ id: t.id, label: t.id, description: t.severity, detail: t.description + (t.implemented ? '' : ' (not implemented yet)') }));
    const picked = await window.showQuickPick(items, { placeHolder: 'DMA Lint rule', matchOnDescription: true, matchOnDetail: true });
    id = picked?.id;
  }
  if (id === undefined) return;
  const page = Uri.file(rulePagePath(root, id));
  try {
    await commands.executeCommand('markdown.showPreview', page);
  } catch {
    await window.showTextDocument(page);
  }
}

function rulesUnderCursor(): string[] {
  const editor = window.activeTextEditor;
  if (!editor) return [];
  const pos = editor.selection.active;
  const ours = languages.getDiagnostics(editor.document.uri).filter((d) => d.source === SOURCE);
  let hits = ours.filter((d) => d.range.contains(pos));
  if (hits.length === 0) hits = ours.filter((d) => d.range.start.line <= pos.line && d.range.end.line >= pos.line);
  return [...new Set(hits.map(ruleOf).filter((r): r is string => r !== undefined))];
}

function ruleOf(d: Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return typeof code === 'string' && code.includes('/') ? code : undefined;
}
