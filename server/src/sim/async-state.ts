import type { InitEvent, OpEvent, PageRef } from '../asynctx/chain';
import type { FlagsValue } from '../asynctx/flags';
import type { Ownership } from './ownership';
import type { StreamingDirection } from './platform-types';

/**
 * What one path knows about the async_tx operations of the function (DMA-SEMANTICS.md 5):
 * the operations in flight with the pages each one has mapped, which descriptor each
 * descriptor variable holds, what each `struct async_submit_ctl` was last initialised
 * with, and the value of each flags variable. Immutable, like the rest of PathState.
 */

/** One operand page an operation mapped at its call; unmapped when the operation completes. */
export interface OperandMapping {
  page: PageRef;
  dir: StreamingDirection;
  role: 'dest' | 'source';
  own: Ownership;
}

/** An operation submitted on this path. */
export interface OpRun {
  /** The call's offset; with a `'` for the previous loop iteration's run of the same call. */
  key: string;
  op: OpEvent;
  /** The init_async_submit() its submit control came from on this path, if seen. */
  init: InitEvent | null;
  flags: FlagsValue;
  /** The run it depends on (depend_tx), when that is known on this path. */
  depend: string | null;
  /** Known complete on this path: its operands are unmapped (mappings is then empty). */
  done: boolean;
  mappings: readonly OperandMapping[];
}

/** What `init_async_submit(&submit, flags, depend_tx, ...)` put into one submit control. */
export interface SubmitFacts {
  init: InitEvent;
  flags: FlagsValue;
  /** Key of the run depend_tx holds, null when none or not known on this path. */
  depend: string | null;
}

export class AsyncTxState {
  constructor(
    /** Submitted on this path, by key (completed ones stay, for what depends on them). */
    readonly runs: ReadonlyMap<string, OpRun> = new Map(),
    /** Descriptor variable -> key of the run whose descriptor it holds (completed runs too). */
    readonly descs: ReadonlyMap<string, string> = new Map(),
    readonly submits: ReadonlyMap<string, SubmitFacts> = new Map(),
    readonly flagVars: ReadonlyMap<string, FlagsValue> = new Map(),
  ) {}

  with(changes: {
    runs?: ReadonlyMap<string, OpRun>;
    descs?: ReadonlyMap<string, string>;
    submits?: ReadonlyMap<string, SubmitFacts>;
    flagVars?: ReadonlyMap<string, FlagsValue>;
  }): AsyncTxState {
    return new AsyncTxState(changes.runs ?? this.runs, changes.descs ?? this.descs, changes.submits ?? this.submits, changes.flagVars ?? this.flagVars);
  }

  /**
   * Equal for states the executor may merge: which runs are in flight, with which flags, and
   * how they link. Which of a run's operands are still named is left out: loops that fill
   * page arrays would otherwise split states by the count, past the executor's per-node
   * cap, where it forgets the integer facts that rule out infeasible paths.
   */
  signature(): string {
    if (this.runs.size === 0 && this.descs.size === 0 && this.submits.size === 0 && this.flagVars.size === 0) return '';
    const flags = (f: FlagsValue) => `${[...f.set].sort().join('+')}${f.exact ? '' : '?'}`;
    const parts: string[] = [];
    for (const r of this.runs.values()) parts.push(`${r.key}<${r.depend !== null && this.runs.has(r.depend) ? r.depend : ''}:${flags(r.flags)}:${r.mappings.length > 0 ? 'mapped' : ''}`);
    parts.push('|');
    for (const [k, v] of this.descs) parts.push(`${k}=${v}`);
    parts.push('|');
    for (const [k, v] of this.submits) parts.push(`${k}=${v.init.order}<${v.depend ?? ''}:${flags(v.flags)}`);
    parts.push('|');
    for (const [k, v] of this.flagVars) parts.push(`${k}=${flags(v)}`);
    return parts.join(';');
  }
}
