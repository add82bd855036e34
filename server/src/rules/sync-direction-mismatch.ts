import type { Rule } from './rule';
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
      onSync(ev, target) {
        if (!target || target.status === 'released' || target.foreign) return;
        if (!mismatch(resolveDirection(ev.args.dir?.text, ctx.scope), target)) return;
        ctx.reporter.report(ID, ev.call, message(ev, target), [{ node: target.call, message: `mapped ${target.dir} here` }]);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.ev.api.kind !== 'sync') continue;
      const stores = summary.storesFor(rel.key).filter((s) => s.record.dir);
      if (stores.length === 0 || !stores.every((s) => s.record.dir === stores[0].record.dir)) continue;
      const rec = stores[0].record;
      if (!mismatch(rel.dir, rec)) continue;
      report(rel.ev.call, rel.fn, `${message(rel.ev, rec)} in ${stores[0].fn}()`, [{ node: rec.call, message: `mapped ${rec.dir} here` }]);
    }
  },
};
