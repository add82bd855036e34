import type { Rule } from './rule';
import { ambiguousSlot } from './describe';
import type { ApiCallEvent } from '../dma/events';
import type { Direction } from '../dma/catalogue-types';
import type { MappingRecord } from '../sim/state';
import { resolveDirection } from '../sim/constants';

const ID = 'dma/sync-direction-mismatch';

/** kernel/dma/debug.c check_sync(): a BIDIRECTIONAL mapping may be synced either way. */
function mismatch(dir: Direction | undefined, rec: MappingRecord): boolean {
  return !!dir && !!rec.dir && rec.dir !== 'DMA_BIDIRECTIONAL' && dir !== rec.dir;
}

function message(ev: ApiCallEvent, rec: MappingRecord): string {
  return `${ev.api.name}() uses ${ev.args.dir?.text} on a buffer mapped ${rec.dir}: the sync performs the wrong cache maintenance or swiotlb copy (dma-debug: "syncs DMA memory with different direction")`;
}

export const syncDirectionMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onSync(ev, target, st) {
        if (ambiguousSlot(ev, st)) return;
        if (!target || target.status === 'released' || target.status === 'failed' || target.foreign) return;
        if (!mismatch(resolveDirection(ev.args.dir?.text, ctx.scope), target)) return;
        const fix = ev.args.dir && target.dirText && target.dir === target.dirText.trim() ? { title: `Sync with ${target.dir}, the map direction`, edits: [{ node: ev.args.dir.node, newText: target.dir }] } : undefined;
        ctx.reporter.report(ID, ev.call, message(ev, target), [{ node: target.call, message: `mapped ${target.dir} here` }], undefined, fix);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.kind !== 'sync' || !rel.dir) continue;
      // same-function pairs were judged path by path; every map into the field must agree
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length || !stores.every((s) => s.dir && s.dir === stores[0].dir)) continue;
      const map = stores[0];
      if (!map.dir || map.dir === 'DMA_BIDIRECTIONAL' || map.dir === rel.dir) continue;
      report(
        rel.at,
        rel.fn,
        `${rel.api.name}() uses ${rel.dirText} on ${rel.key}, which ${map.fn}() mapped ${map.dir}: the sync performs the wrong cache maintenance or swiotlb copy (dma-debug: "syncs DMA memory with different direction")`,
        [{ range: map.at, message: `mapped ${map.dir} here` }],
      );
    }
  },
};
