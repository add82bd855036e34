import type { TraceStep } from '../../../shared/src/findings';
import type { Notice, Reported } from './results';

/** `path:line:col: severity: message [rule]`, 1-based, one per line (plus traces with --explain). */
export function formatGcc(reported: readonly Reported[], explain = false): string {
  return reported
    .map((r) => {
      const s = r.finding.range.start;
      const head = `${r.file}:${s.line + 1}:${s.character + 1}: ${r.finding.severity}: ${r.finding.message} [${r.finding.rule}]\n`;
      return explain && r.finding.trace ? head + formatTrace(r.finding.trace) : head;
    })
    .join('');
}

/**
 * A readable table of a finding's trace: one block per step, one row per platform with
 * what the CPU cache, RAM and the bounce slot hold after the step.
 */
export function formatTrace(trace: readonly TraceStep[]): string {
  const rows: string[][] = [['', 'platform', 'CPU cache', 'RAM', 'bounce slot']];
  for (const t of trace) {
    t.places.forEach((p, i) => rows.push([i === 0 ? `line ${t.line}: ${t.event}` : '', p.platform, p.cache, p.ram, p.bounce]));
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `    ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()}\n`).join('');
}

export function formatJson(reported: readonly Reported[], files: number, notices: readonly Notice[] = []): string {
  const diagnostics = reported.map((r) => {
    const f = r.finding;
    return {
      file: r.file,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      function: f.function,
      platforms: [...f.platforms],
      related: f.related.map((rel, i) => ({
        file: r.relatedFiles[i],
        line: rel.range.start.line + 1,
        column: rel.range.start.character + 1,
        message: rel.message,
      })),
    };
  });
  // files not analysed, or only in part: a CI that reads the JSON must see what was not checked
  const notAnalysed = notices.map((n) => ({ file: n.file, kind: n.kind, message: n.message }));
  return `${JSON.stringify({ version: 1, files, diagnostics, notAnalysed }, null, 2)}\n`;
}
