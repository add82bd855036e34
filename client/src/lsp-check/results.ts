import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Platform, Severity } from '../../../shared/src/findings';
import { type DiagnosticData, fromLspSeverity, SKIPPED_CODE } from '../../../server/src/lsp/diagnostics';
import type { FileOutcome } from './pool';

/** One finding rebuilt from a diagnostic, with where to print it. */
export interface Reported {
  file: string;
  /** Lines of the analysed text, for SARIF fingerprints. */
  lines: string[];
  finding: Finding;
  /** `file` for each related site, in order. */
  relatedFiles: string[];
}

/** A file not analysed, or only in part: said on stderr, and carried in JSON and SARIF. */
export interface Notice {
  file: string;
  /** failed: the analysis broke (exit 2); skipped: not analysed (binary, too large); partial: a budget ran out. */
  kind: 'failed' | 'skipped' | 'partial';
  message: string;
}

export interface Collected {
  reported: Reported[];
  /** Engine notices (`code: skipped`): printed on stderr, not findings. */
  notes: string[];
  notices: Notice[];
}

function isData(v: unknown): v is DiagnosticData {
  return typeof v === 'object' && v !== null && typeof (v as DiagnosticData).rule === 'string';
}

function displayFor(uri: string, ownUri: string, ownDisplay: string): string {
  if (uri === ownUri) return ownDisplay;
  try {
    return relative(process.cwd(), fileURLToPath(uri)) || uri;
  } catch {
    return uri;
  }
}

export function toFinding(d: Diagnostic): Finding {
  const data = isData(d.data) ? d.data : undefined;
  const finding: Finding = {
    rule: data?.rule ?? String(d.code ?? ''),
    severity: fromLspSeverity(d.severity),
    message: typeof d.message === 'string' ? d.message : d.message.value,
    range: d.range,
    function: data?.function ?? '',
    platforms: data?.platforms ?? ([] as Platform[]),
    related: (d.relatedInformation ?? []).map((r) => ({ uri: r.location.uri, range: r.location.range, message: r.message })),
  };
  if (data?.fix) finding.fix = data.fix;
  if (data?.trace) finding.trace = data.trace;
  return finding;
}

export function collect(outcomes: readonly FileOutcome[]): Collected {
  const reported: Reported[] = [];
  const notes: string[] = [];
  const notices: Notice[] = [];
  for (const o of outcomes) {
    if (o.kind === 'failed') notices.push({ file: o.file.display, kind: 'failed', message: o.reason });
    if (o.kind === 'binary') notices.push({ file: o.file.display, kind: 'skipped', message: 'binary file' });
    if (o.kind !== 'done') continue;
    const lines = o.text.split(/\r\n|\r|\n/);
    for (const d of o.diagnostics) {
      if (d.code === SKIPPED_CODE) {
        notes.push(`${o.file.display}: ${d.message}`);
        const text = typeof d.message === 'string' ? d.message : d.message.value;
        notices.push({ file: o.file.display, kind: text.startsWith('dma-lint: file partly analysed') ? 'partial' : 'skipped', message: text.replace(/^dma-lint: /, '') });
        continue;
      }
      const finding = toFinding(d);
      reported.push({ file: o.file.display, lines, finding, relatedFiles: finding.related.map((r) => displayFor(r.uri ?? o.uri, o.uri, o.file.display)) });
    }
  }
  reported.sort(compareReported);
  notices.sort((a, b) => cmp(a.file, b.file) || cmp(a.message, b.message));
  return { reported, notes, notices };
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareReported(a: Reported, b: Reported): number {
  const fa = a.finding.range.start;
  const fb = b.finding.range.start;
  return cmp(a.file, b.file) || cmp(fa.line, fb.line) || cmp(fa.character, fb.character) || cmp(a.finding.rule, b.finding.rule) || cmp(a.finding.message, b.finding.message);
}

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };
