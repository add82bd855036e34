import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { type Diagnostic, DiagnosticSeverity, type ExtensionContext, languages, type TextDocument, Uri, ViewColumn, type WebviewPanel, window, workspace } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Finding, Platform, Severity, TraceStep } from '../../../shared/src/findings';
import { EXPLAIN_REQUEST, type ExplainParams, type ExplainResult } from '../../../shared/src/protocol';
import { renderHtml } from '../lsp-check/html';
import type { Reported } from '../lsp-check/results';

const SOURCE = 'dma-lint';
/** The command a rule link in the panel runs (with the rule id): its documentation page. */
const RULE_DOCS_COMMAND = 'dmaLint.showRuleDocs';

let panel: WebviewPanel | undefined;

/**
 * `dmaLint.explainFinding`: the DMA Lint findings under the cursor, drawn like
 * `lsp-check --format html` (the trace of a memory-model finding as a timeline per
 * platform) in a webview beside the editor. The findings come from the diagnostics'
 * `data` when VS Code kept it, else from the server (`dmaLint/explain`). The webview runs
 * no script; its CSP allows only the page's own style element; rule links are command
 * links to the rule's documentation page.
 */
export async function explainFinding(context: ExtensionContext, lc: LanguageClient): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor) {
    void window.showInformationMessage('DMA Lint: put the cursor on a DMA Lint finding in a C file.');
    return;
  }
  const doc = editor.document;
  const pos = editor.selection.active;
  const ours = languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE);
  let hits = ours.filter((d) => d.range.contains(pos));
  if (hits.length === 0) hits = ours.filter((d) => d.range.start.line <= pos.line && d.range.end.line >= pos.line);
  if (hits.length === 0) {
    void window.showInformationMessage('DMA Lint: no finding under the cursor.');
    return;
  }
  let findings = hits.map(fromDiagnostic);
  if (findings.some((f) => f === undefined)) {
    if (!lc.isRunning()) {
      void window.showWarningMessage('DMA Lint: the server is not running; use "DMA Lint: Restart Server".');
      return;
    }
    const params: ExplainParams = { uri: doc.uri.toString(), position: { line: pos.line, character: pos.character } };
    const result = await lc.sendRequest<ExplainResult | null>(EXPLAIN_REQUEST, params);
    findings = result?.findings ?? [];
  }
  const found = findings.filter((f): f is Finding => f !== undefined);
  if (found.length === 0) {
    void window.showInformationMessage('DMA Lint: the findings here are out of date; try again when the analysis has finished.');
    return;
  }
  // memory-model findings (the ones with a trace) first: they are what the page is for
  found.sort((a, b) => Number(b.trace !== undefined) - Number(a.trace !== undefined));
  show(context, doc, found);
}

function show(context: ExtensionContext, doc: TextDocument, findings: readonly Finding[]): void {
  const file = workspace.asRelativePath(doc.uri, false);
  const lines = doc.getText().split(/\r\n|\r|\n/);
  const own = doc.uri.toString();
  const reported: Reported[] = findings.map((finding) => ({
    file,
    lines,
    finding,
    relatedFiles: finding.related.map((r) => (r.uri === undefined || r.uri === own ? file : relatedName(r.uri))),
  }));
  const title = findings.length === 1 ? `DMA Lint: ${findings[0].rule}` : `DMA Lint: ${findings.length} findings`;
  const nonce = randomBytes(16).toString('base64');
  const version = (context.extension?.packageJSON as { version?: string } | undefined)?.version ?? '';
  const html = renderHtml(reported, version, {
    title,
    nonce,
    ruleHref: (rule) => `command:${RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([rule]))}`,
  });
  if (!panel) {
    panel = window.createWebviewPanel('dmaLint.explain', title, { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: false,
      enableCommandUris: [RULE_DOCS_COMMAND],
      localResourceRoots: [],
    });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  } else {
    panel.reveal(ViewColumn.Beside, true);
  }
  panel.title = title;
  panel.webview.html = html;
}

function relatedName(uri: string): string {
  try {
    return workspace.asRelativePath(Uri.parse(uri), false);
  } catch {
    return basename(uri);
  }
}

interface Data {
  rule: string;
  function: string;
  platforms: Platform[];
  trace?: TraceStep[];
}

function isData(v: unknown): v is Data {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<Data>;
  return typeof d.rule === 'string' && typeof d.function === 'string' && Array.isArray(d.platforms) && (d.trace === undefined || Array.isArray(d.trace));
}

function severityOf(s: DiagnosticSeverity): Severity {
  return s === DiagnosticSeverity.Error ? 'error' : s === DiagnosticSeverity.Warning ? 'warning' : 'info';
}

/**
 * The finding a diagnostic came from, when vscode-languageclient kept the LSP `data` on it
 * (it does on the diagnostics it creates, but that is not API); undefined otherwise.
 */
function fromDiagnostic(d: Diagnostic): Finding | undefined {
  const data = (d as Diagnostic & { data?: unknown }).data;
  if (!isData(data)) return undefined;
  const range = { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } };
  const finding: Finding = {
    rule: data.rule,
    severity: severityOf(d.severity),
    message: d.message,
    range,
    function: data.function,
    platforms: data.platforms,
    related: (d.relatedInformation ?? []).map((r) => ({
      uri: r.location.uri.toString(),
      range: { start: { line: r.location.range.start.line, character: r.location.range.start.character }, end: { line: r.location.range.end.line, character: r.location.range.end.character } },
      message: r.message,
    })),
  };
  if (data.trace) finding.trace = data.trace;
  return finding;
}
