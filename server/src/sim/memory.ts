import type { Platform } from '../../../shared/src/findings';
import type { PlatformModel, StreamingDirection, Transition, TransitionEffect } from './platform-types';

/**
 * Abstract memory of one streaming mapping on one platform. Every write (by the CPU or by
 * the device) creates a new version; each place holds the version it last received. The
 * one question asked everywhere: does a read see the newest write in program order, and
 * does any copy or write-back put an older version over a newer one?
 *
 * Places: the CPU cache line(s) of the buffer (clean or dirty), RAM (the original buffer),
 * and under swiotlb the bounce slot the device actually uses. The device accesses RAM, or
 * the bounce slot when the platform bounces; the CPU reads its cache when the line is
 * present, else RAM.
 */

export interface Version {
  id: number;
  by: 'cpu' | 'device' | 'initial';
}

export interface MemState {
  /** The CPU's cached copy of the buffer's lines; null when not cached. */
  cache: { v: Version; dirty: boolean } | null;
  ram: Version;
  /** The bounce slot (swiotlb); null when not mapped or not bouncing. */
  bounce: Version | null;
}

/** What went wrong on a platform, in words a driver developer reads in a finding. */
export interface Hazard {
  platform: Platform;
  kind: 'cpu-stale-read' | 'device-stale-read' | 'lost-cpu-write' | 'lost-device-write';
  /** One line: "the CPU reads its cached copy from before the device wrote". */
  detail: string;
}

/** A step of a finding's trace: what each place holds after one event, per platform. */
export interface TraceStep {
  event: string;
  platform: Platform;
  cache: string;
  ram: string;
  bounce: string;
}

const INITIAL: Version = { id: 0, by: 'initial' };

export function initialMemory(): MemState {
  return { cache: null, ram: INITIAL, bounce: null };
}

function describe(v: Version | null | undefined): string {
  if (!v) return '-';
  return v.by === 'initial' ? 'old data' : v.by === 'cpu' ? `CPU write #${v.id}` : `device write #${v.id}`;
}

export function traceStep(event: string, platform: Platform, m: MemState): TraceStep {
  return {
    event,
    platform,
    cache: m.cache ? `${describe(m.cache.v)}${m.cache.dirty ? ' (dirty)' : ''}` : '-',
    ram: describe(m.ram),
    bounce: describe(m.bounce),
  };
}

function newer(a: Version, b: Version): boolean {
  return a.id > b.id;
}

/**
 * One simulator per record; immutable states, so paths can share and fork them. `latest`
 * is the newest write in program order.
 */
export interface SimState {
  mem: MemState;
  latest: Version;
}

export interface Step {
  state: SimState;
  hazards: Hazard[];
}

/** Applies cache maintenance; reports dirty CPU data thrown away or written over newer RAM. */
function applyCache(model: PlatformModel, s: SimState, op: TransitionEffect['cache'], edges: TransitionEffect['edges'], hazards: Hazard[]): SimState {
  const mem = { ...s.mem };
  const cache = mem.cache;
  // partial edge lines get `edges`: clean-invalidate there writes the CPU's stale or dirty
  // bytes back over RAM; the cache-line rule (not this one) speaks about sharing, so the
  // whole-buffer op decides here
  void edges;
  if (!cache || op === 'none') return s;
  if (op === 'clean' || op === 'clean-invalidate') {
    if (cache.dirty) {
      if (newer(mem.ram, cache.v) && mem.ram.id === s.latest.id) {
        hazards.push({ platform: model.name, kind: 'lost-device-write', detail: 'a dirty cache line is written back over data the device wrote' });
      }
      mem.ram = cache.v;
    }
    mem.cache = op === 'clean' ? { v: cache.v, dirty: false } : null;
  } else if (op === 'invalidate') {
    if (cache.dirty && cache.v.id === s.latest.id) {
      hazards.push({ platform: model.name, kind: 'lost-cpu-write', detail: 'the invalidate discards what the CPU wrote, still only in its cache' });
    }
    mem.cache = null;
  }
  return { ...s, mem };
}

function applyBounce(model: PlatformModel, s: SimState, op: TransitionEffect['bounce'], hazards: Hazard[]): SimState {
  if (op === 'none' || !model.bounces) return s;
  const mem = { ...s.mem };
  if (op === 'to-bounce') {
    mem.bounce = mem.ram;
  } else if (mem.bounce) {
    if (newer(mem.ram, mem.bounce) && mem.ram.id === s.latest.id && mem.ram.by === 'cpu') {
      hazards.push({ platform: model.name, kind: 'lost-cpu-write', detail: 'the copy back from the bounce buffer overwrites what the CPU wrote to the buffer' });
    }
    mem.ram = mem.bounce;
  }
  return { ...s, mem };
}

/** The transition's effect: cache maintenance, then the bounce copy. */
export function transition(model: PlatformModel, s: SimState, t: Transition, dir: StreamingDirection, skipCpuSync: boolean): Step {
  const hazards: Hazard[] = [];
  const e = model.effects[t][dir];
  let next = s;
  if (model.bounces) {
    // swiotlb copies at map even with DMA_ATTR_SKIP_CPU_SYNC; unmap with it skips the copy back
    const bounce = t === 'unmap' && skipCpuSync ? 'none' : e.bounce;
    next = applyBounce(model, next, bounce, hazards);
    if (t === 'unmap') next = { ...next, mem: { ...next.mem, bounce: null } };
  } else if (!skipCpuSync || (t !== 'map' && t !== 'unmap')) {
    next = applyCache(model, next, e.cache, e.edges, hazards);
  }
  return { state: next, hazards };
}

/** Where the device reads and writes: the bounce slot when bouncing, else RAM. */
export function deviceView(model: PlatformModel, m: MemState): Version {
  return model.bounces && m.bounce ? m.bounce : m.ram;
}

/**
 * The device's accesses at one end of its ownership. Worst legal interleaving: it reads
 * at any moment (so both ends are checked), and it writes (FROM_DEVICE, BIDIRECTIONAL)
 * as late as possible. Non-coherent CPUs may speculatively refill the buffer's lines from
 * RAM while the device owns it (why arch_sync_dma_for_cpu invalidates on ARM).
 */
export function deviceAccess(model: PlatformModel, s: SimState, dir: StreamingDirection, newId: number, writes: boolean): Step {
  const hazards: Hazard[] = [];
  let mem = { ...s.mem };
  let latest = s.latest;
  if (dir !== 'DMA_FROM_DEVICE') {
    const seen = deviceView(model, mem);
    if (seen.id !== latest.id && latest.by === 'cpu') {
      hazards.push({
        platform: model.name,
        kind: 'device-stale-read',
        detail: model.bounces
          ? 'the device reads the bounce copy made before the CPU wrote'
          : 'the device reads RAM without the CPU write, still in the CPU cache',
      });
    }
  }
  if (!model.coherent && !model.bounces && !mem.cache) mem = { ...mem, cache: { v: mem.ram, dirty: false } };
  if (writes && dir !== 'DMA_TO_DEVICE') {
    const v: Version = { id: newId, by: 'device' };
    if (model.bounces && mem.bounce) mem = { ...mem, bounce: v };
    else mem = { ...mem, ram: v };
    if (model.coherent && mem.cache) mem = { ...mem, cache: null };
    latest = v;
  }
  return { state: { mem, latest }, hazards };
}

/** A CPU store: into its cache (or RAM where the device is coherent with it). */
export function cpuWrite(model: PlatformModel, s: SimState, newId: number): SimState {
  const v: Version = { id: newId, by: 'cpu' };
  if (model.coherent || model.bounces) return { mem: { ...s.mem, ram: v, cache: null }, latest: v };
  return { mem: { ...s.mem, cache: { v, dirty: true } }, latest: v };
}

/** A CPU load: stale when it does not see the newest write. */
export function cpuRead(model: PlatformModel, s: SimState): Hazard | null {
  const seen = !model.coherent && !model.bounces && s.mem.cache ? s.mem.cache.v : s.mem.ram;
  if (seen.id === s.latest.id) return null;
  return {
    platform: model.name,
    kind: 'cpu-stale-read',
    detail: model.bounces
      ? 'the CPU reads the original buffer, which gets the device data only at sync_for_cpu or unmap'
      : model.coherent
        ? 'the CPU races with the device still writing the buffer'
        : 'the CPU reads a cache line filled before the device wrote',
  };
}
