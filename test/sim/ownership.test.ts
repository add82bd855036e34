import { describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform } from '../../shared/src/findings';
import { cpuAccess, deviceKicked, mapped, syncForCpu, syncForDevice, unmapped, type Ownership } from '../../server/src/sim/ownership';
import { platformModel } from '../../server/src/sim/platforms';
import type { StreamingDirection } from '../../server/src/sim/platform-types';

/**
 * The same driver shapes under every platform model, with the verdict DMA-SEMANTICS.md
 * sections 2-4 give for each: which platforms corrupt, and how.
 */
const models = PLATFORMS.map(platformModel);
const at = (line: number, event: string) => ({ line, event });

function versions() {
  let n = 1;
  return { next: () => n++ };
}

type Kind = 'cpu-stale-read' | 'device-stale-read' | 'lost-cpu-write' | 'lost-device-write';

function verdict(hazards: { platform: Platform; kind: Kind }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of hazards) (out[h.platform] ??= []).push(h.kind);
  for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
  return out;
}

function start(dir: StreamingDirection): Ownership {
  return mapped(models, dir, false, at(1, 'map'));
}

describe('ownership simulation: one shape, five platforms', () => {
  it('CPU reads an Rx buffer before sync_for_cpu: stale on ARM (speculative line fill) and swiotlb (no copy back yet), not on coherent', () => {
    const step = cpuAccess(models, start('DMA_FROM_DEVICE'), true, false, versions(), at(2, 'read'));
    expect(verdict(step.hazards)).toEqual({
      armv7: ['cpu-stale-read'],
      arm64: ['cpu-stale-read'],
      'arm64-pre-5.19': ['cpu-stale-read'],
      swiotlb: ['cpu-stale-read'],
    });
  });

  it('the same read after sync_for_cpu sees the device data everywhere', () => {
    const v = versions();
    const own = syncForCpu(models, start('DMA_FROM_DEVICE'), v, at(2, 'sync')).own;
    expect(cpuAccess(models, own, true, false, v, at(3, 'read')).hazards).toEqual([]);
  });

  it('CPU patches a Tx buffer after mapping it: the device misses the write on ARM (still in cache) and swiotlb (bounced at map)', () => {
    const step = cpuAccess(models, start('DMA_TO_DEVICE'), false, true, versions(), at(2, 'write'));
    expect(verdict(step.hazards)).toEqual({
      armv7: ['device-stale-read'],
      arm64: ['device-stale-read'],
      'arm64-pre-5.19': ['device-stale-read'],
      swiotlb: ['device-stale-read'],
    });
  });

  it('CPU writes a FROM_DEVICE buffer after sync_for_cpu, then sync_for_device: lost only where the hand-back invalidates (armv7, arm64 before 5.19)', () => {
    const v = versions();
    let own = syncForCpu(models, start('DMA_FROM_DEVICE'), v, at(2, 'sync cpu')).own;
    own = cpuAccess(models, own, false, true, v, at(3, 'write')).own;
    const hand = syncForDevice(models, own, at(4, 'sync device'));
    expect(verdict(hand.hazards.filter((h) => h.kind === 'lost-cpu-write'))).toEqual({ armv7: ['lost-cpu-write'], 'arm64-pre-5.19': ['lost-cpu-write'] });
  });

  it('... and then unmap instead: the unmap invalidate (ARM) or copy back (swiotlb) loses it; coherent keeps it', () => {
    const v = versions();
    let own = syncForCpu(models, start('DMA_FROM_DEVICE'), v, at(2, 'sync cpu')).own;
    own = cpuAccess(models, own, false, true, v, at(3, 'write')).own;
    const done = unmapped(models, own, false, v, at(4, 'unmap'));
    expect(verdict(done.hazards.filter((h) => h.kind === 'lost-cpu-write'))).toEqual({
      armv7: ['lost-cpu-write'],
      arm64: ['lost-cpu-write'],
      'arm64-pre-5.19': ['lost-cpu-write'],
      swiotlb: ['lost-cpu-write'],
    });
  });

  it('BIDIRECTIONAL buffer written after sync_for_cpu and the device restarted without sync_for_device: stale on ARM and swiotlb', () => {
    const v = versions();
    let own = syncForCpu(models, start('DMA_BIDIRECTIONAL'), v, at(2, 'sync cpu')).own;
    own = cpuAccess(models, own, false, true, v, at(3, 'write')).own;
    expect(verdict(deviceKicked(models, own))).toEqual({
      armv7: ['device-stale-read'],
      arm64: ['device-stale-read'],
      'arm64-pre-5.19': ['device-stale-read'],
      swiotlb: ['device-stale-read'],
    });
  });

  it('the proper ping-pong (sync_for_cpu, write, sync_for_device) is clean on every platform', () => {
    const v = versions();
    let own = syncForCpu(models, start('DMA_BIDIRECTIONAL'), v, at(2, 'sync cpu')).own;
    own = cpuAccess(models, own, false, true, v, at(3, 'write')).own;
    const back = syncForDevice(models, own, at(4, 'sync device'));
    expect(back.hazards).toEqual([]);
    expect(deviceKicked(models, back.own)).toEqual([]);
  });

  it('every step of a trace has one row per platform', () => {
    const v = versions();
    const own = syncForCpu(models, start('DMA_FROM_DEVICE'), v, at(7, 'dma_sync_single_for_cpu()')).own;
    expect(own.trace.map((t) => t.line)).toEqual([1, 7]);
    for (const t of own.trace) expect(t.places.map((p) => p.platform)).toEqual([...PLATFORMS]);
    const last = own.trace[own.trace.length - 1].places;
    expect(last.find((p) => p.platform === 'swiotlb')?.ram).toMatch(/device write/);
  });
});
