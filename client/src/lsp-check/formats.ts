import type { Reported } from './results';

/** `path:line:col: severity: message [rule]`, 1-based, one per line. */
export function formatGcc(reported: readonly Reported[]): string {
  return reported
    .map((r) => {
      const s = r.finding.range.start;
      return `${r.file}:${s.line + 1}:${s.character + 1}: ${r.finding.severity}: ${r.finding.message} [${r.finding.rule}]\n`;
    })
    .join('');
}

export function formatJson(reported: readonly Reported[], files: number): string {
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
  return `${JSON.stringify({ version: 1, files, diagnostics }, null, 2)}\n`;
}
