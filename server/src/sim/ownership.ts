import type { Platform } from '../../../shared/src/findings';
import type { Direction } from '../dma/catalogue-types';
import { cpuRead, cpuWrite, deviceAccess, initialMemory, transition, type Hazard, type SimState } from './memory';
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
}

export interface OwnershipStep {
  own: Ownership;
  hazards: Hazard[];
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
export function mapped(models: readonly PlatformModel[], dir: StreamingDirection, skip: boolean): Ownership {
  const sims = models.map((m) => {
    const start: SimState = { mem: initialMemory(), latest: { id: 0, by: 'initial' } };
    const t = transition(m, start, 'map', dir, skip).state;
    return deviceAccess(m, t, dir, 0, false).state;
  });
  return { owner: 'device', dir, skip, sims, cpuWrote: false };
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

export function syncForCpu(models: readonly PlatformModel[], own: Ownership, versions: Versions): OwnershipStep {
  const end = own.owner === 'device' ? endDeviceOwnership(models, own, versions) : { sims: [...own.sims], hazards: [] };
  const hazards = [...end.hazards];
  const sims = end.sims.map((s, i) => {
    const step = transition(models[i], s, 'sync-for-cpu', own.dir, false);
    hazards.push(...step.hazards);
    return step.state;
  });
  return { own: { ...own, owner: 'cpu', sims, cpuWrote: false }, hazards };
}

export function syncForDevice(models: readonly PlatformModel[], own: Ownership): OwnershipStep {
  const hazards: Hazard[] = [];
  const sims = own.sims.map((s, i) => {
    const t = transition(models[i], s, 'sync-for-device', own.dir, false);
    hazards.push(...t.hazards);
    const d = deviceAccess(models[i], t.state, own.dir, 0, false);
    hazards.push(...d.hazards);
    return d.state;
  });
  return { own: { ...own, owner: 'device', sims, cpuWrote: false }, hazards };
}

export function unmapped(models: readonly PlatformModel[], own: Ownership, skip: boolean, versions: Versions): Hazard[] {
  const end = own.owner === 'device' ? endDeviceOwnership(models, own, versions) : { sims: [...own.sims], hazards: [] };
  const hazards = [...end.hazards];
  end.sims.forEach((s, i) => hazards.push(...transition(models[i], s, 'unmap', own.dir, skip || own.skip).hazards));
  return hazards;
}

/**
 * A CPU access. While the device owns the buffer the worst legal interleaving is taken:
 * for a read, the device has already written; for a write, the device reads (or writes)
 * after it.
 */
export function cpuAccess(models: readonly PlatformModel[], own: Ownership, read: boolean, write: boolean, versions: Versions): OwnershipStep {
  const hazards: Hazard[] = [];
  if (own.owner === 'device') {
    if (read && deviceWrites(own.dir)) {
      const id = versions.next();
      own.sims.forEach((s, i) => {
        const after = deviceAccess(models[i], s, own.dir, id, true).state;
        const h = cpuRead(models[i], after);
        if (h) hazards.push(h);
      });
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
      return { own: { ...own, sims }, hazards: dedupe(hazards) };
    }
    return { own, hazards: dedupe(hazards) };
  }
  if (write) {
    const id = versions.next();
    return { own: { ...own, sims: own.sims.map((s, i) => cpuWrite(models[i], s, id)), cpuWrote: true }, hazards };
  }
  return { own, hazards };
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
