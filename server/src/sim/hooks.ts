import type { Platform, Severity, TraceStep } from '../../../shared/src/findings';
import type { Cfg, CfgEdge, CfgNode, FunctionInfo } from '../c/cfg-types';
import type { FunctionScope } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import type { ApiCallEvent, EventContext } from '../dma/events';
import type { LocKey } from '../dma/locations';
import type { MappingRecord, PathState } from './state';
import type { Hazard } from './memory';
import type { CompletionEvent, CpuAccess, InitEvent, OpEvent, PageRef } from '../asynctx/chain';
import type { FlagsValue } from '../asynctx/flags';
import type { OperandMapping, OpRun } from './async-state';

/**
 * What the executor tells the rules. Rules are questions asked of these observations and
 * of the path state; none of them walks the syntax tree on its own.
 */

export interface RelatedNode {
  node: SyntaxNode;
  message: string;
  /** The node is in another document (a header): its URI. */
  uri?: string;
}

/** A fix is offered only when it is certainly right: replacing one argument or one name. */
export interface NodeFix {
  title: string;
  edits: { node: SyntaxNode; newText: string }[];
}

export interface Reporter {
  report(
    rule: string,
    node: SyntaxNode,
    message: string,
    related?: RelatedNode[],
    severity?: Severity,
    fix?: NodeFix,
    platforms?: Platform[],
    trace?: readonly TraceStep[],
  ): void;
}

export interface HandleUse {
  node: SyntaxNode;
  loc: LocKey;
  /** store: written to memory outside the function; hardware: an MMIO write; return: returned. */
  how: 'store' | 'hardware' | 'call' | 'borrow' | 'return';
  callee?: string;
}

/** A test of a mapping's result in a condition. */
export interface ResultTest {
  node: SyntaxNode;
  record: MappingRecord;
  /** The shape of the test, e.g. `!h`, `h == 0`, `n < 0`, `ret == 0`, `h == DMA_MAPPING_ERROR`. */
  shape: 'not-handle' | 'handle-eq-zero' | 'handle-eq-error-constant' | 'count-negative' | 'errno-zero-as-failure';
}

/** What the memory models found at one event, on the chosen platforms. */
export interface CoherenceObservation {
  kind: 'cpu-access-device-owned' | 'cpu-write-lost' | 'device-kick-cpu-owned' | 'edge-line-write';
  node: SyntaxNode;
  /** edge-line-write: what the CPU wrote, which shares a partial cache line with the buffer. */
  neighbour?: string;
  access?: 'read' | 'write';
  hazards: Hazard[];
  /** The mapping's events so far, per platform: the proof to show with the finding. */
  trace: readonly TraceStep[];
}

/** A path arriving at a goto label: by which edge, from where, and by which goto if any. */
export interface LabelEntry {
  label: CfgNode;
  from: CfgNode;
  edge: CfgEdge;
}

/**
 * What the executor saw of async_tx operations on one path (sim/async-tx.ts). `stale-snapshot`
 * and `cpu-access-in-flight` carry the memory models' hazards; the others carry the path's
 * facts (flags values, which run a depend_tx or a quiesce names) for the chain rules.
 */
export type AsyncTxObservation =
  | {
      /** `op` maps `page`, which the in-flight `producer` writes: its device reads a stale copy. */
      kind: 'stale-snapshot';
      op: OpEvent;
      page: PageRef;
      producer: OpRun;
      hazards: Hazard[];
      trace: readonly TraceStep[];
    }
  | {
      kind: 'cpu-access-in-flight';
      access: CpuAccess;
      run: OpRun;
      mapping: OperandMapping;
      hazards: Hazard[];
      trace: readonly TraceStep[];
    }
  /** An op submitted: its flags on this path, and the run it depends on (if known here). */
  | { kind: 'submit'; op: OpEvent; init: InitEvent | null; flags: FlagsValue; depend: OpRun | null }
  /** init_async_submit() on this path: its flags value and the run depend_tx holds. */
  | { kind: 'init'; init: InitEvent; flags: FlagsValue; depend: OpRun | null }
  /** A wait for a known descriptor (async_tx_quiesce / dma_wait_for_async_tx). */
  | { kind: 'wait'; completion: CompletionEvent; run: OpRun };

export type ExitKind = 'error' | 'success' | 'unknown';

export interface ExitObservation {
  node: SyntaxNode | null;
  kind: ExitKind;
  /** Locations whose value is returned (a wrapper handing a mapping to its caller). */
  returnedLocs: LocKey[];
}

export interface HookContext {
  fn: FunctionInfo;
  scope: FunctionScope;
  reporter: Reporter;
  /** `x = vmalloc(...)` / `p->f = kvzalloc(...)` anywhere in the file, by assigned text. */
  vmallocAssigned: Map<string, SyntaxNode>;
  /** Wrappers in force for this file. */
  events: EventContext;
  /**
   * The document as written. Syntax nodes carry the masked text, where annotations such as
   * `__aligned(...)` and `____cacheline_aligned` are blanked; offsets are the same.
   */
  source: string;
  /**
   * The platforms modelled for this file (the chosen ones, narrowed to what its Kconfig
   * builds it for): rules that name platforms from a table of their own keep to these.
   */
  platforms: readonly Platform[];
  /** The function's control-flow graph, the one the executor walks. */
  cfg: Cfg;
}

export interface RuleHooks {
  onApi?(ev: ApiCallEvent, st: PathState): void;
  onMap?(ev: ApiCallEvent, rec: MappingRecord, st: PathState): void;
  /** Unmap or free; `target` is the record released, if the handle is tracked here. */
  onRelease?(ev: ApiCallEvent, target: MappingRecord | undefined, st: PathState): void;
  onSync?(ev: ApiCallEvent, target: MappingRecord | undefined, st: PathState): void;
  onUse?(use: HandleUse, rec: MappingRecord, st: PathState): void;
  onTest?(test: ResultTest, st: PathState): void;
  onExit?(exit: ExitObservation, st: PathState): void;
  onCoherence?(obs: CoherenceObservation, rec: MappingRecord, st: PathState): void;
  /** Every path state arriving at a label, before states equal to earlier ones are merged. */
  onLabelEntry?(entry: LabelEntry, st: PathState): void;
  /**
   * After the last path: `complete` is false when a budget cut the walk short or states
   * were dropped at a node that had seen too many, i.e. when not every path was seen.
   */

  onAsyncTx?(obs: AsyncTxObservation, st: PathState): void;
  /** After the last path: `complete` is false when a budget cut the walk short. */
  onFunctionEnd?(complete: boolean): void;
}
