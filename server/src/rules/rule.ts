import type { Severity } from '../../../shared/src/findings';
import type { SyntaxNode } from '../c/syntax';
import type { HookContext, RelatedNode, RuleHooks } from '../sim/hooks';
import type { FileSummary } from '../sim/summary';

/** Reports a finding found after all functions ran (cross-function rules). */
export type FileReport = (node: SyntaxNode, fn: string, message: string, related?: RelatedNode[], severity?: Severity) => void;

/**
 * A rule: its id (metadata lives in meta.ts) and the questions it asks of the executor's
 * observations. `create` runs once per analysed function; `fileEnd` once per file.
 */
export interface Rule {
  id: string;
  create(ctx: HookContext): RuleHooks;
  fileEnd?(summary: FileSummary, report: FileReport): void;
}
