import type { SyntaxNode } from '../c/syntax';
import type { ApiEntry, Direction } from '../dma/catalogue-types';
import type { LocKey } from '../dma/locations';
import type { EdgeNeighbours } from './edge-lines';
import type { Ownership } from './ownership';
import type { CoherenceObservation } from './hooks';
import { AsyncTxState } from './async-state';

/**
 * Abstract state of one path through a function: the mappings created on it and where
 * their handles live, plus the few integer facts (`ret` is negative) that tell an error
 * exit from a success exit. Records are immutable; a state is copied at each fork.
 */

export type MapStatus =
  | 'unchecked' // created, not yet tested
  | 'ok' // tested and known to have succeeded
  | 'failed' // tested and known to have failed
  | 'released'; // unmapped / freed

export interface MappingRecord {
  readonly id: number;
  /** Start offset of the creating call: a map call in a loop creates one record per site. */
  readonly site: number;
  readonly api: ApiEntry;
  readonly call: SyntaxNode;
  readonly dir?: Direction;
  readonly dirText?: string;
  readonly sizeText?: string;
  /** sizeText with constants resolved (resolveSize), for comparisons. */
  readonly sizeValue?: string;
  readonly nentsText?: string;
  /** Where the result (handle, count, errno, CPU pointer) was stored. */
  readonly resultLoc: LocKey | null;
  readonly status: MapStatus;
  /** Tested with a wrong test (`!h`): dma/wrong-error-test reports it; unchecked-map stays quiet. */
  readonly wrongTest: boolean;
  /** Handed off: stored outside the function's own variables, passed on, or returned. */
  readonly escaped: boolean;
  /** Stored into memory that outlives the function (`priv->x = h`), unchecked at the time. */
  readonly storedAt?: SyntaxNode;
  readonly releasedAt?: SyntaxNode;
  /** What released it: an unmap and a free of one handle are not the same mistake twice. */
  readonly releasedKind?: 'unmap' | 'free';
  /** Source text of the released handle argument (`tx->map[seg].addr`). */
  readonly releasedText?: string;
  /** Returned to the caller (a map wrapper): testing it is the caller's job. */
  readonly returnedToCaller: boolean;
  /** The record of an earlier loop iteration of the same site, still live. */
  readonly earlierIteration: boolean;
  /** dmam_* allocations: released by devres, never leaked. */
  readonly managed: boolean;
  /**
   * Created elsewhere (another function mapped it): made up at the first unmap, sync or
   * copy of a handle this function did not map, so that a second release is still seen.
   */
  readonly foreign: boolean;
  /** Streaming mappings made here with a known direction: who owns the buffer, per-platform data. */
  readonly own?: Ownership;
  /** The CPU address mapped (`buf`, `skb->data`), to recognise the CPU touching it. */
  readonly bufferLoc?: LocKey | null;
  /** What shares the mapping's partial first and last cache lines (edge-lines.ts). */
  readonly edges?: EdgeNeighbours;
  /**
   * A CPU write to a TO_DEVICE buffer the device owns, not yet reported: a
   * dma_sync_*_for_device() before the device can read again makes it visible (the
   * missing sync_for_cpu(TO_DEVICE) is a no-op everywhere); anything else reports it.
   */
  readonly pendingWrite?: CoherenceObservation;
}

export type IntFact = 'neg' | 'zero' | 'nonzero';

/** A location holding a mapping's result: its count or errno, or a dma_mapping_error() verdict. */
export interface ResultLink {
  id: number;
  /** `err = dma_mapping_error(dev, h)`: non-zero means the mapping failed; not the handle. */
  check: boolean;
}

export class PathState {
  constructor(
    readonly records: ReadonlyMap<number, MappingRecord> = new Map(),
    /** Location -> records whose handle / sg list / CPU pointer it holds. */
    readonly bind: ReadonlyMap<LocKey, readonly number[]> = new Map(),
    /** `ret = dma_mapping_error(...)`, sg counts, sgtable errnos: location -> record. */
    readonly resultOf: ReadonlyMap<LocKey, ResultLink> = new Map(),
    readonly ints: ReadonlyMap<string, IntFact> = new Map(),
    /** Map calls evaluated on this path, by call start offset (calls inside conditions). */
    readonly callRecord: ReadonlyMap<number, number> = new Map(),
    /**
     * The expression last assigned on this path to a local that holds a direction, a DMA
     * handle or a pointer (`dir = DMA_NONE`, `buf = foo_static_buf`, `addr = virt_to_phys(p)`).
     */
    readonly values: ReadonlyMap<LocKey, SyntaxNode> = new Map(),
    /** The async_tx operations of this path (sim/async-tx.ts). */
    readonly asyncTx: AsyncTxState = new AsyncTxState(),
  ) {}

  with(changes: {
    records?: ReadonlyMap<number, MappingRecord>;
    bind?: ReadonlyMap<LocKey, readonly number[]>;
    resultOf?: ReadonlyMap<LocKey, ResultLink>;
    ints?: ReadonlyMap<string, IntFact>;
    callRecord?: ReadonlyMap<number, number>;
    values?: ReadonlyMap<LocKey, SyntaxNode>;
    asyncTx?: AsyncTxState;
  }): PathState {
    return new PathState(
      changes.records ?? this.records,
      changes.bind ?? this.bind,
      changes.resultOf ?? this.resultOf,
      changes.ints ?? this.ints,
      changes.callRecord ?? this.callRecord,
      changes.values ?? this.values,
      changes.asyncTx ?? this.asyncTx,
    );
  }

  updateRecord(id: number, patch: Partial<MappingRecord>): PathState {
    const old = this.records.get(id);
    if (!old) return this;
    const records = new Map(this.records);
    records.set(id, { ...old, ...patch });
    return this.with({ records });
  }

  recordsAt(loc: LocKey): MappingRecord[] {
    const ids = this.bind.get(loc) ?? [];
    const out: MappingRecord[] = [];
    for (const id of ids) {
      const r = this.records.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  private sigCache: [string | undefined, string | undefined, string | undefined] = [undefined, undefined, undefined];

  /** A short text that is equal for states the executor may treat as one. */
  signature(withInts: boolean): string {
    const i = withInts ? 1 : 0;
    return (this.sigCache[i] ??= this.computeSignature(withInts));
  }

  /** The signature with ints, without the async_tx part: what the executor's per-node cap counts. */
  coreSignature(): string {
    return (this.sigCache[2] ??= this.computeSignature(true, false));
  }

  private computeSignature(withInts: boolean, withAsync = true): string {
    const parts: string[] = [];
    for (const r of this.records.values()) {
      parts.push(`${r.id}:${r.status}:${r.escaped ? 1 : 0}:${r.wrongTest ? 1 : 0}:${r.storedAt ? 1 : 0}:${r.own ? `${r.own.owner}${r.own.cpuWrote ? 'w' : ''}` : ''}${r.pendingWrite ? 'p' : ''}`);
    }
    parts.push('|');
    for (const [k, v] of this.bind) parts.push(`${k}=${v.join(',')}`);
    parts.push('|');
    for (const [k, v] of this.resultOf) parts.push(`${k}=${v.check ? 'c' : ''}${v.id}`);
    if (withAsync) parts.push('|', this.asyncTx.signature());
    if (withInts) {
      parts.push('|');
      for (const [k, v] of this.ints) parts.push(`${k}=${v}`);
      parts.push('|');
      for (const [k, v] of this.values) parts.push(`${k}=${v.startIndex}`);
    }
    return parts.join(';');
  }
}

export function isLive(r: MappingRecord): boolean {
  return r.status === 'unchecked' || r.status === 'ok';
}
