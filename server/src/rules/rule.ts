import type { Range, Severity } from '../../../shared/src/findings';
import type { HookContext, RuleHooks } from '../sim/hooks';
import type { FileSummary } from '../sim/summary';

/** Reports a finding found after all functions ran (cross-function rules). */
export type FileReport = (at: Range, fn: string, message: string, related?: { range: Range; message: string }[], severity?: Severity) => void;

/**
 * A rule: its id (metadata lives in meta.ts) and the questions it asks of the executor's
 * observations. `create` runs once per analysed function; `fileEnd` once per file.
 */
export interface Rule {
  id: string;
  create(ctx: HookContext): RuleHooks;
  fileEnd?(summary: FileSummary, report: FileReport): void;
}
