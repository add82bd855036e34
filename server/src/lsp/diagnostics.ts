import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { FixData, Finding, Platform, Severity, TraceStep } from '../../../shared/src/findings';
import { ruleDocsUrl } from '../rules/meta';

export const SOURCE = 'dma-lint';
/** Code of the "file not analysed" notice; deliberately not a rule id from the catalogue. */
export const SKIPPED_CODE = 'skipped';

/**
 * Carried in `Diagnostic.data` so that lsp-check rebuilds the exact Finding from a
 * diagnostic (and code actions could, though the server recomputes instead).
 */
export interface DiagnosticData {
  rule: string;
  function: string;
  platforms: Platform[];
  fix?: FixData;
  trace?: TraceStep[];
}

export function toLspSeverity(s: Severity): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

export function fromLspSeverity(s: DiagnosticSeverity | undefined): Severity {
  return s === DiagnosticSeverity.Error ? 'error' : s === DiagnosticSeverity.Warning ? 'warning' : 'info';
}

export function findingToDiagnostic(uri: string, f: Finding): Diagnostic {
  const data: DiagnosticData = { rule: f.rule, function: f.function, platforms: [...f.platforms] };
  if (f.fix) data.fix = f.fix;
  if (f.trace) data.trace = f.trace;
  const d: Diagnostic = {
    range: f.range,
    severity: toLspSeverity(f.severity),
    source: SOURCE,
    code: f.rule,
    codeDescription: { href: ruleDocsUrl(f.rule) },
    message: f.message,
    data,
  };
  if (f.related.length > 0) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: r.uri ?? uri, range: r.range }, message: r.message }));
  }
  return d;
}

export function skippedDiagnostic(reason: string, firstLineLength: number, what = 'not analysed'): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLineLength } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: SKIPPED_CODE,
    message: `dma-lint: file ${what}: ${reason}`,
  };
}
