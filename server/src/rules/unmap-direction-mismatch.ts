import type { Rule } from './rule';
import type { ApiCallEvent } from '../dma/events';
import type { Direction } from '../dma/catalogue-types';
import type { MappingRecord } from '../sim/state';
import { resolveDirection } from '../sim/constants';

const ID = 'dma/unmap-direction-mismatch';

function mismatch(dir: Direction | undefined, ev: ApiCallEvent, rec: MappingRecord): boolean {
  return !!dir && !!rec.dir && dir !== rec.dir && ev.api.kind === 'unmap';
}

function message(ev: ApiCallEvent, rec: MappingRecord): string {
  return `${ev.api.name}() uses ${ev.args.dir?.text} but the buffer was mapped ${rec.dir}: the unmap's cache maintenance or swiotlb copy-back follows the wrong direction (dma-debug: "frees DMA memory with different direction")`;
}

export const unmapDirectionMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target) {
        if (!target || target.status === 'released' || target.foreign) return;
        if (!mismatch(resolveDirection(ev.args.dir?.text, ctx.scope), ev, target)) return;
        ctx.reporter.report(ID, ev.call, message(ev, target), [{ node: target.call, message: `mapped ${target.dir} here` }]);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.ev.api.kind !== 'unmap') continue;
      const stores = summary.storesFor(rel.key).filter((s) => s.record.dir);
      if (stores.length === 0 || !stores.every((s) => s.record.dir === stores[0].record.dir)) continue;
      const rec = stores[0].record;
      if (!mismatch(rel.dir, rel.ev, rec)) continue;
      report(rel.ev.call, rel.fn, `${message(rel.ev, rec)} in ${stores[0].fn}()`, [
        { node: rec.call, message: `mapped ${rec.dir} into ${rel.key} here` },
      ]);
    }
  },
};
