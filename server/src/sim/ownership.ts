import type { Platform, TraceStep } from '../../../shared/src/findings';
import type { Direction } from '../dma/catalogue-types';
import { cpuRead, cpuWrite, deviceAccess, initialMemory, traceStep, transition, type Hazard, type SimState } from './memory';
import type { PlatformModel, StreamingDirection } from './platform-types';

/**
 * Who owns a streaming mapping (DMA-SEMANTICS.md section 2) and what its data looks like on
 * every chosen platform. Each function here is one event of the state machine; it returns
 * the new ownership and the hazards the memory models found, per platform.
 */
export interface Ownership {
  owner: 'device' | 'cpu';
  dir: StreamingDirection;
  /** Mapped with DMA_ATTR_SKIP_CPU_SYNC: map and unmap do no cache work. */
  skip: boolean;
  /** One simulation per chosen platform, in the order of `models`. */
  sims: readonly SimState[];
  /** The CPU wrote since it last took the buffer (sync_for_cpu). */
  cpuWrote: boolean;
  /** What happened so far, for the finding's trace. */
  trace: readonly TraceStep[];
}

/** Where an event happened, for the trace: `dma_sync_single_for_cpu()` at line 12. */
export interface EventLabel {
  line: number;
  event: string;
}

function step(models: readonly PlatformModel[], own: Ownership, sims: readonly SimState[], label: EventLabel): readonly TraceStep[] {
  const places = sims.map((s, i) => {
    const t = traceStep(label.event, models[i].name, s.mem);
    return { platform: t.platform, cache: t.cache, ram: t.ram, bounce: t.bounce };
  });
  // long loops would grow traces without bound; the first steps explain the finding
  return own.trace.length >= 24 ? own.trace : [...own.trace, { line: label.line, event: label.event, places }];
}

export interface OwnershipStep {
  own: Ownership;
  hazards: Hazard[];
  /** The trace that proves the hazards, when it includes a step the path did not take for sure. */
  proof?: readonly TraceStep[];
}

/** A version counter shared by one function's analysis. */
export interface Versions {
  next(): number;
}

export function streamingDirection(d: Direction | undefined): StreamingDirection | null {
  return d === 'DMA_TO_DEVICE' || d === 'DMA_FROM_DEVICE' || d === 'DMA_BIDIRECTIONAL' ? d : null;
}

function deviceWrites(dir: StreamingDirection): boolean {
  return dir !== 'DMA_TO_DEVICE';
}

/** map: the CPU->device transition, then the device may read at once. */
export function mapped(models: readonly PlatformModel[], dir: StreamingDirection, skip: boolean, label: EventLabel): Ownership {
  const sims = models.map((m) => {
    const start: SimState = { mem: initialMemory(), latest: { id: 0, by: 'initial' } };
    const t = transition(m, start, 'map', dir, skip).state;
    return deviceAccess(m, t, dir, 0, false).state;
  });
  const own: Ownership = { owner: 'device', dir, skip, sims, cpuWrote: false, trace: [] };
  return { ...own, trace: step(models, own, sims, label) };
}

/** The device's last accesses of its ownership: it writes (worst case: last). */
function endDeviceOwnership(models: readonly PlatformModel[], own: Ownership, versions: Versions): { sims: SimState[]; hazards: Hazard[] } {
  const hazards: Hazard[] = [];
  const id = versions.next();
  const sims = own.sims.map((s, i) => {
    const step = deviceAccess(models[i], s, own.dir, id, deviceWrites(own.dir));
    hazards.push(...step.hazards);
    return step.state;
  });
  return { sims, hazards };
}

export function syncForCpu(models: readonly PlatformModel[], own: Ownership, versions: Versions, label: EventLabel): OwnershipStep {
  const end = own.owner === 'device' ? endDeviceOwnership(models, own, versions) : { sims: [...own.sims], hazards: [] };
  const hazards = [...end.hazards];
  const sims = end.sims.map((s, i) => {
    const step = transition(models[i], s, 'sync-for-cpu', own.dir, false);
    hazards.push(...step.hazards);
    return step.state;
  });
  return { own: { ...own, owner: 'cpu', sims, cpuWrote: false, trace: step(models, own, sims, label) }, hazards };
}

export function syncForDevice(models: readonly PlatformModel[], own: Ownership, label: EventLabel): OwnershipStep {
  const hazards: Hazard[] = [];
  const sims = own.sims.map((s, i) => {
    const t = transition(models[i], s, 'sync-for-device', own.dir, false);
    hazards.push(...t.hazards);
    const d = deviceAccess(models[i], t.state, own.dir, 0, false);
    hazards.push(...d.hazards);
    return d.state;
  });
  return { own: { ...own, owner: 'device', sims, cpuWrote: false, trace: step(models, own, sims, label) }, hazards };
}

export function unmapped(models: readonly PlatformModel[], own: Ownership, skip: boolean, versions: Versions, label: EventLabel): { hazards: Hazard[]; trace: readonly TraceStep[] } {
  const end = own.owner === 'device' ? endDeviceOwnership(models, own, versions) : { sims: [...own.sims], hazards: [] };
  const hazards = [...end.hazards];
  const sims = end.sims.map((s, i) => {
    const t = transition(models[i], s, 'unmap', own.dir, skip || own.skip);
    hazards.push(...t.hazards);
    return t.state;
  });
  return { hazards, trace: step(models, own, sims, label) };
}

/**
 * A CPU access. While the device owns the buffer the worst legal interleaving is taken:
 * for a read, the device has already written; for a write, the device reads (or writes)
 * after it.
 */
export function cpuAccess(models: readonly PlatformModel[], own: Ownership, read: boolean, write: boolean, versions: Versions, label: EventLabel): OwnershipStep {
  const hazards: Hazard[] = [];
  if (own.owner === 'device') {
    let proof: readonly TraceStep[] | undefined;
    if (read && deviceWrites(own.dir)) {
      const id = versions.next();
      const after = own.sims.map((s, i) => {
        const a = deviceAccess(models[i], s, own.dir, id, true).state;
        const h = cpuRead(models[i], a);
        if (h) hazards.push(h);
        return a;
      });
      // the worst interleaving the proof assumes: the device has written before this read
      const written = { ...own, trace: step(models, own, after, { line: label.line, event: 'the device writes (it may, any time it owns the buffer)' }) };
      proof = step(models, written, after, label);
    }
    if (write) {
      const id = versions.next();
      const sims = own.sims.map((s, i) => {
        const w = cpuWrite(models[i], s, id);
        const d = deviceAccess(models[i], w, own.dir, versions.next(), deviceWrites(own.dir));
        hazards.push(...d.hazards);
        if (deviceWrites(own.dir)) {
          hazards.push({ platform: models[i].name, kind: 'lost-cpu-write', detail: 'the device may overwrite it, and the next copy back or invalidate replaces it' });
        }
        return w;
      });
      return { own: { ...own, sims, trace: step(models, own, sims, label) }, hazards: dedupe(hazards) };
    }
    return { own: { ...own, trace: step(models, own, own.sims, label) }, hazards: dedupe(hazards), proof };
  }
  if (write) {
    const id = versions.next();
    const sims = own.sims.map((s, i) => cpuWrite(models[i], s, id));
    return { own: { ...own, sims, cpuWrote: true, trace: step(models, own, sims, label) }, hazards };
  }
  return { own: { ...own, trace: step(models, own, own.sims, label) }, hazards };
}

/** The device is started on the buffer with no transition: what it reads. */
export function deviceKicked(models: readonly PlatformModel[], own: Ownership): Hazard[] {
  const hazards: Hazard[] = [];
  own.sims.forEach((s, i) => hazards.push(...deviceAccess(models[i], s, own.dir, 0, false).hazards));
  return hazards;
}

function dedupe(hazards: Hazard[]): Hazard[] {
  const seen = new Set<string>();
  return hazards.filter((h) => {
    const k = `${h.platform}:${h.kind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function platformsOf(hazards: readonly Hazard[]): Platform[] {
  return [...new Set(hazards.map((h) => h.platform))];
}
