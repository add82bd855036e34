import type { Rule } from './rule';
import { ambiguousSlot } from './describe';
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
      onRelease(ev, target, st) {
        if (ambiguousSlot(ev, st)) return;
        if (!target || target.status === 'released' || target.status === 'failed' || target.foreign) return;
        if (!mismatch(resolveDirection(ev.args.dir?.text, ctx.scope), ev, target)) return;
        const fix = ev.args.dir && target.dirText && target.dir === target.dirText.trim() ? { title: `Unmap with ${target.dir}, the map direction`, edits: [{ node: ev.args.dir.node, newText: target.dir }] } : undefined;
        ctx.reporter.report(ID, ev.call, message(ev, target), [{ node: target.call, message: `mapped ${target.dir} here` }], undefined, fix);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.kind !== 'unmap' || !rel.dir) continue;
      // same-function pairs were judged path by path; every map into the field must agree
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length || !stores.every((s) => s.dir && s.dir === stores[0].dir)) continue;
      const map = stores[0];
      if (!map.dir || map.dir === rel.dir) continue;
      report(
        rel.at,
        rel.fn,
        `${rel.api.name}() uses ${rel.dirText} but ${map.fn}() mapped ${rel.key} ${map.dir}: the unmap's cache maintenance or swiotlb copy-back follows the wrong direction (dma-debug: "frees DMA memory with different direction")`,
        [{ range: map.at, message: `mapped ${map.dir} into ${rel.key} here` }],
      );
    }
  },
};
