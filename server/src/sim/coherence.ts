import type { FunctionScope } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import { accessBase, mappedObjectKey, type ApiCallEvent, type CpuAccessEvent, type MemoryView, type UseEvent } from '../dma/events';
import { stripValue, type LocKey } from '../dma/locations';
import { resolveSize } from './constants';
import { edgeNeighbours, neighbourWritten, neighbourWriteWhileDeviceOwned } from './edge-lines';
import type { CoherenceObservation, RuleHooks } from './hooks';
import type { Hazard } from './memory';
import { cpuAccess, deviceKicked, mapped, streamingDirection, syncForCpu, syncForDevice, unmapped, type Versions } from './ownership';
import type { PlatformModel } from './platform-types';
import type { MappingRecord, PathState } from './state';

const SKIP_CPU_SYNC = /\bDMA_ATTR_SKIP_CPU_SYNC\b/;

/** Families whose map call hands CPU memory to the device: a buffer, a page, a scatterlist. */
const STREAMING_FAMILIES = new Set(['single', 'page', 'sg', 'sgtable']);

/** `virt_to_page(buf)` given to dma_map_page(): the CPU reaches the page through `buf`. */
const PAGE_OF_POINTER = /^(virt_to_page|virt_to_head_page)$/;

/**
 * The access keys (see CpuAccessEvent.base) through which the CPU reaches what one map
 * call maps: the buffer pointer; `@page` for a page (page_address(page), kmap()); `@sgl`
 * for a list, whose entries share its ownership (one direction, the same transitions:
 * the sg calls of kernel/dma/direct.c do per entry what the single ones do). A table is
 * reached by its list too (`sgt->sgl`), and a list by its table when it is `sgt->sgl`.
 */
function accessKeys(ev: ApiCallEvent): LocKey[] {
  const node = ev.args.buffer?.node;
  const loc = ev.args.buffer?.loc ?? null;
  if (!node) return [];
  const base = accessBase(node);
  switch (ev.api.family) {
    case 'single':
      return loc !== null ? [loc] : base?.startsWith('@') ? [base] : [];
    case 'page': {
      const call = stripValue(node);
      const arg = call.type === 'call_expression' ? call.childForFieldName('arguments')?.namedChildren[0] : undefined;
      if (arg && PAGE_OF_POINTER.test(call.childForFieldName('function')?.text ?? '')) {
        const ptr = accessBase(arg);
        return ptr === null ? [] : [ptr];
      }
      const page = mappedObjectKey(node);
      return page === null ? [] : [page];
    }
    case 'sg': {
      const list = mappedObjectKey(node);
      if (list === null) return [];
      const table = /^@(.*)(->|\.)sgl$/.exec(list);
      return table ? [list, `@${table[2] === '.' ? '&' : ''}${table[1]}`] : [list];
    }
    case 'sgtable': {
      if (loc === null) return [];
      return [`@${loc}`, `@${loc.startsWith('&') ? `${loc.slice(1)}.sgl` : `${loc}->sgl`}`];
    }
    default:
      return [];
  }
}

/** A trace label: the event and the 1-based line it is on. */
export function label(node: SyntaxNode, event: string): { line: number; event: string } {
  return { line: node.startPosition.row + 1, event: event.replace(/\s+/g, ' ') };
}

/**
 * The executor's ownership side: it moves each streaming mapping made in the function
 * through the state machine of ownership.ts at map, sync, unmap, CPU access and device
 * start, and tells the rules what the platform models found. The executor calls it; it
 * keeps no path state of its own (everything lives in the records of the path state).
 */
export class CoherenceTracker {
  private versionCounter = 1;
  private readonly versions: Versions = { next: () => this.versionCounter++ };

  constructor(
    private readonly models: readonly PlatformModel[],
    private readonly scope: FunctionScope,
    private readonly hooks: (f: (h: RuleHooks) => void) => void,
    private readonly bind: (st: PathState, loc: LocKey, ids: number[]) => PathState,
    /** The document as written, for struct layouts (annotations). */
    private readonly source: string,
  ) {}

  private tell(obs: CoherenceObservation, rec: MappingRecord, st: PathState): void {
    if (obs.hazards.length > 0) this.hooks((h) => h.onCoherence?.(obs, rec, st));
  }

  /** A new streaming mapping of CPU memory (buffer, page, sg list): the device owns it from here. */
  mapped(ev: ApiCallEvent, rec: MappingRecord, st: PathState): { patch: Partial<MappingRecord>; st: PathState } {
    const dir = streamingDirection(rec.dir);
    if (ev.api.kind !== 'map' || !dir || !STREAMING_FAMILIES.has(ev.api.family) || this.models.length === 0) return { patch: {}, st };
    const skip = SKIP_CPU_SYNC.test(ev.args.attrs?.text ?? '');
    const bufferLoc = ev.args.buffer?.loc ?? null;
    const edges = edgeNeighbours(ev, dir, this.scope, this.source);
    const patch: Partial<MappingRecord> = { own: mapped(this.models, dir, skip, label(ev.call, `${ev.api.name}(${dir})`)), bufferLoc, ...(edges ? { edges } : {}) };
    let s = st;
    const keys = accessKeys(ev);
    for (const key of keys) s = this.bind(s, `buf:${key}`, [rec.id]);
    if (keys.length === 0) return { patch, st: s };
    // pointers into the memory set up before the map (`u8 *payload = buf + HDR;`,
    // `void *va = page_address(page);`) and entries of a list (`struct scatterlist *sg = sgt->sgl;`)
    for (const v of this.scope.vars.values()) {
      if (!v.pointer || !v.init || v.param || this.scope.isAssigned(v.name)) continue;
      if (keys.includes(accessBase(v.init) ?? '')) s = this.bind(s, `buf:${v.name}`, [rec.id]);
      else if (keys.includes(mappedObjectKey(v.init) ?? '')) s = this.bind(s, `buf:@${v.name}`, [rec.id]);
    }
    return { patch, st: s };
  }

  /**
   * `va = page_address(page)`, `sg = sg_next(sg)`, a for_each_sg() cursor: `to` reaches what
   * `from` reached in `before` (the state before the assignment forgot what `to` held).
   */
  viewed(v: MemoryView, before: PathState, st: PathState): PathState {
    const ids = before.bind.get(`buf:${v.from}`);
    if (ids) return this.bind(st, `buf:${v.to}`, [...ids]);
    if (!st.bind.has(`buf:${v.to}`)) return st;
    const bind = new Map(st.bind);
    bind.delete(`buf:${v.to}`);
    return st.with({ bind });
  }

  /** Unmap: the ownership ends; a FROM_DEVICE write the CPU made after sync_for_cpu is lost. */
  released(ev: ApiCallEvent, target: MappingRecord, st: PathState): PathState {
    const s = target.pendingWrite ? this.flushPending(st, target) : st;
    if (!target.own || target.status === 'failed' || ev.api.kind !== 'unmap') return s;
    const skip = SKIP_CPU_SYNC.test(ev.args.attrs?.text ?? '');
    const done = unmapped(this.models, target.own, skip, this.versions, label(ev.call, `${ev.api.name}()`));
    const lost = done.hazards.filter((h) => h.kind === 'lost-cpu-write');
    if (target.own.owner === 'cpu' && target.own.cpuWrote && lost.length > 0) {
      this.tell({ kind: 'cpu-write-lost', node: ev.call, hazards: lost, trace: done.trace }, target, s);
    }
    return s;
  }

  /** sync_for_cpu / sync_for_device: ownership moves; a pending TO_DEVICE write is pushed out or reported. */
  synced(ev: ApiCallEvent, target: MappingRecord, st: PathState): PathState {
    if (!target.own || target.status === 'released' || target.status === 'failed') return st;
    let s = st;
    const at = label(ev.call, `${ev.api.name}()`);
    if (ev.api.syncFor === 'device' && target.pendingWrite) s = s.updateRecord(target.id, { pendingWrite: undefined });
    else s = this.flushPending(s, target);
    if (ev.api.syncFor === 'cpu') return s.updateRecord(target.id, { own: syncForCpu(this.models, target.own, this.versions, at).own });
    const step = syncForDevice(this.models, target.own, at);
    const lost = step.hazards.filter((h: Hazard) => h.kind === 'lost-cpu-write');
    if (target.own.owner === 'cpu' && target.own.cpuWrote && lost.length > 0) {
      this.tell({ kind: 'cpu-write-lost', node: ev.call, hazards: lost, trace: step.own.trace }, target, s);
    }
    return s.updateRecord(target.id, { own: step.own });
  }

  /**
   * Whether an access certainly falls inside the mapping: `p->field` only when the mapping
   * covers the whole struct (iser maps just the header of its descriptors), and not
   * `buf + len` / `buf[len]` right past a mapping of `len` bytes.
   */
  private withinMapping(ev: CpuAccessEvent, rec: MappingRecord): boolean {
    if (ev.offset !== undefined && rec.sizeText !== undefined && ev.offset.replace(/\s+/g, '') === rec.sizeText.replace(/\s+/g, '')) return false;
    if (!ev.field) return true;
    const whole = resolveSize(`sizeof(*${ev.base})`, this.scope);
    return whole !== undefined && whole === rec.sizeValue && whole !== `sizeof(*${ev.base})`;
  }

  /** The CPU touching a mapped buffer (`buf[i]`, `memcpy(buf, ...)`) while it is mapped. */
  cpuAccess(ev: CpuAccessEvent, st: PathState): PathState {
    if (ev.write) this.neighbourWrite(ev, st);
    const ids = st.bind.get(`buf:${ev.base}`);
    if (!ids) return st;
    let s = st;
    for (const id of ids) {
      const rec = s.records.get(id);
      if (!rec?.own || rec.status === 'released' || rec.status === 'failed') continue;
      if (!this.withinMapping(ev, rec)) continue;
      const step = cpuAccess(this.models, rec.own, ev.read, ev.write, this.versions, label(ev.node, `CPU ${ev.write ? 'writes' : 'reads'} ${ev.node.text.slice(0, 40)}`));
      if (rec.own.owner === 'device') {
        const obs: CoherenceObservation = { kind: 'cpu-access-device-owned', node: ev.node, access: ev.write ? 'write' : 'read', hazards: step.hazards, trace: step.proof ?? step.own.trace };
        // a write to a TO_DEVICE buffer waits: a sync_for_device before the device reads makes it visible
        if (ev.write && !ev.read && rec.own.dir === 'DMA_TO_DEVICE' && obs.hazards.length > 0) {
          s = s.updateRecord(id, { own: step.own, pendingWrite: rec.pendingWrite ?? obs });
          continue;
        }
        this.tell(obs, rec, s);
      }
      s = s.updateRecord(id, { own: step.own });
    }
    return s;
  }

  /** A CPU store into a partial edge line of a buffer the device owns (edge-lines.ts). */
  private neighbourWrite(ev: CpuAccessEvent, st: PathState): void {
    for (const rec of st.records.values()) {
      if (!rec.edges || !rec.own || rec.own.owner !== 'device' || rec.status === 'released' || rec.status === 'failed') continue;
      const hit = neighbourWritten(ev, rec.edges, this.scope);
      if (!hit) continue;
      const member = rec.edges.kind === 'member' ? `'${rec.edges.member}'` : 'the buffer';
      const out = neighbourWriteWhileDeviceOwned(
        this.models,
        rec.own.dir,
        rec.own.skip,
        { neighbour: hit.name, member },
        { map: label(rec.call, `${rec.api.name}(${rec.own.dir})`), write: label(ev.node, `CPU writes ${ev.node.text.slice(0, 40)}`) },
        hit.platforms,
      );
      this.tell({ kind: 'edge-line-write', node: ev.node, access: 'write', neighbour: hit.name, hazards: out.hazards, trace: out.trace }, rec, st);
    }
  }

  /** Reports a TO_DEVICE write that no sync_for_device made visible in time. */
  private flushPending(st: PathState, rec: MappingRecord): PathState {
    const cur = st.records.get(rec.id) ?? rec;
    if (!cur.pendingWrite) return st;
    this.tell(cur.pendingWrite, cur, st);
    return st.updateRecord(rec.id, { pendingWrite: undefined });
  }

  /**
   * An MMIO write (a doorbell) while a buffer the CPU wrote after sync_for_cpu has not been
   * handed back with sync_for_device: the device may start on it now.
   */
  deviceKick(ev: UseEvent, st: PathState): void {
    for (const rec of st.records.values()) {
      if (rec.pendingWrite) this.tell(rec.pendingWrite, rec, st);
      if (!rec.own || rec.own.owner !== 'cpu' || !rec.own.cpuWrote || rec.status === 'released') continue;
      const hazards = deviceKicked(this.models, rec.own).filter((h) => h.kind === 'device-stale-read');
      this.tell({ kind: 'device-kick-cpu-owned', node: ev.node, hazards, trace: rec.own.trace }, rec, st);
    }
  }

  /** Leaving the function with a TO_DEVICE write not pushed out: the device may read it later. */
  exiting(st: PathState): void {
    for (const r of st.records.values()) if (r.pendingWrite && r.status !== 'released') this.tell(r.pendingWrite, r, st);
  }
}
