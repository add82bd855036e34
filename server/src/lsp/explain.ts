import type { Position, Range } from 'vscode-languageserver';
import type { Finding } from '../../../shared/src/findings';
import type { ExplainParams, ExplainResult } from '../../../shared/src/protocol';
import type { AnalysisScheduler } from './analysis';

/**
 * `dmaLint/explain`: the findings at a position of an open document, with their traces,
 * from the analysis of its current version (like hover: never what a client cached).
 */
export async function explain(scheduler: AnalysisScheduler | undefined, params: ExplainParams): Promise<ExplainResult> {
  const uri = params.uri;
  if (!scheduler?.get(uri)) return { findings: [] };
  const computed = await scheduler.current(uri);
  const now = scheduler.get(uri);
  if (!computed || !now || computed.version !== now.version) return { findings: [] };
  const findings = findingsAt(computed.findings, params.position);
  return findings.length > 0 ? { version: computed.version, findings } : { findings: [] };
}

/** The findings whose range contains the position, else those whose range spans its line. */
export function findingsAt(findings: readonly Finding[], p: Position): Finding[] {
  const inside = findings.filter((f) => contains(f.range, p));
  return inside.length > 0 ? inside : findings.filter((f) => f.range.start.line <= p.line && f.range.end.line >= p.line);
}

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}
