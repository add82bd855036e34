import type { Platform } from '../../../shared/src/findings';
import type { Hazard } from '../sim/memory';
import { platformsOf } from '../sim/ownership';
import type { MappingRecord } from '../sim/state';
import type { Rule } from './rule';

/**
 * The three rules the ownership simulation answers (DMA-SEMANTICS.md section 2): each asks
 * the memory models of the chosen platforms whether a read misses the newest write or a
 * write is lost, and names the platforms where it does.
 */

function platformList(hazards: readonly Hazard[]): string {
  return platformsOf(hazards).join(', ');
}

/** One detail per kind, with the platforms it applies to: "armv7, arm64: the CPU reads ...". */
function details(hazards: readonly Hazard[]): string {
  const byDetail = new Map<string, Platform[]>();
  for (const h of hazards) byDetail.set(h.detail, [...(byDetail.get(h.detail) ?? []), h.platform]);
  return [...byDetail].map(([d, ps]) => `${[...new Set(ps)].join(', ')}: ${d}`).join('; ');
}

function buffer(rec: MappingRecord): string {
  if (!rec.bufferLoc) return 'the buffer';
  const what = rec.api.family === 'page' ? 'the page ' : rec.api.family === 'sg' ? 'the sg list ' : rec.api.family === 'sgtable' ? 'the sg table ' : '';
  return `${what}'${rec.bufferLoc}'`;
}

/** The sync calls of the mapping's family: `sg` for `dma_sync_sg_for_cpu()`. */
function syncFamily(rec: MappingRecord): string {
  return rec.api.family === 'sg' ? 'sg' : rec.api.family === 'sgtable' ? 'sgtable' : 'single';
}

export const cpuAccessWhileDeviceOwned: Rule = {
  id: 'dma/cpu-access-while-device-owned',
  create(ctx) {
    // one finding per mapping and kind of access: the first one is what needs moving
    const reported = new Set<string>();
    return {
      onCoherence(obs, rec) {
        if (obs.kind !== 'cpu-access-device-owned' || !rec.own) return;
        const key = `${rec.site}:${obs.access}`;
        if (reported.has(key)) return;
        reported.add(key);
        const verb = obs.access === 'write' ? 'writes' : 'reads';
        ctx.reporter.report(
          'dma/cpu-access-while-device-owned',
          obs.node,
          `the CPU ${verb} ${buffer(rec)} while the device owns it (mapped ${rec.own.dir}, not yet synced for the CPU or unmapped); corrupts on ${platformList(obs.hazards)} (${details(obs.hazards)}). Call dma_sync_${syncFamily(rec)}_for_cpu() (or unmap) before touching it, and dma_sync_${syncFamily(rec)}_for_device() before giving it back`,
          [{ node: rec.call, message: `mapped ${rec.own.dir} here: the device owns the buffer from here` }],
          undefined,
          undefined,
          platformsOf(obs.hazards),
          obs.trace,
        );
      },
    };
  },
};

export const missingSyncForDevice: Rule = {
  id: 'dma/missing-sync-for-device',
  create(ctx) {
    return {
      onCoherence(obs, rec) {
        if (obs.kind !== 'device-kick-cpu-owned' || !rec.own) return;
        ctx.reporter.report(
          'dma/missing-sync-for-device',
          obs.node,
          `the device is started while ${buffer(rec)} still belongs to the CPU: it was synced for the CPU and written, but not handed back with dma_sync_${syncFamily(rec)}_for_device(); corrupts on ${platformList(obs.hazards)} (${details(obs.hazards)})`,
          [{ node: rec.call, message: `mapped ${rec.own.dir} here` }],
          undefined,
          undefined,
          platformsOf(obs.hazards),
          obs.trace,
        );
      },
    };
  },
};

export const cpuWriteFromDeviceBuffer: Rule = {
  id: 'dma/cpu-write-from-device-buffer',
  create(ctx) {
    return {
      onCoherence(obs, rec) {
        if (obs.kind !== 'cpu-write-lost' || !rec.own || rec.own.dir !== 'DMA_FROM_DEVICE') return;
        ctx.reporter.report(
          'dma/cpu-write-from-device-buffer',
          obs.node,
          `the CPU wrote ${buffer(rec)}, a DMA_FROM_DEVICE mapping, after syncing it for the CPU; handing it back here loses that write on ${platformList(obs.hazards)} (${details(obs.hazards)}). Map it DMA_BIDIRECTIONAL if the CPU must write it, or keep the write in another buffer`,
          [{ node: rec.call, message: 'mapped DMA_FROM_DEVICE here' }],
          undefined,
          undefined,
          platformsOf(obs.hazards),
          obs.trace,
        );
      },
    };
  },
};
