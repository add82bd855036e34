import type { Rule } from './rule';
import { ambiguousSlot } from './describe';
import { sizesProvablyDiffer } from './describe';
import { resolveSize } from '../sim/constants';

const ID = 'dma/unmap-size-mismatch';

export const unmapSizeMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target, st) {
        if (ambiguousSlot(ev, st)) return;
        if (!target || target.status === 'released' || target.status === 'failed' || target.foreign || ev.api.kind !== 'unmap') return;
        const size = ev.args.size?.text;
        if (!sizesProvablyDiffer(resolveSize(size, ctx.scope), target.sizeValue)) return;
        ctx.reporter.report(
          ID,
          ev.call,
          `${ev.api.name}() size ${size} differs from the mapped size ${target.sizeText}: swiotlb copies back and releases the wrong number of bytes (dma-debug: "frees DMA memory with different size")`,
          [{ node: target.call, message: `mapped with size ${target.sizeText} here` }],
        );
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.kind !== 'unmap') continue;
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length || !stores.every((s) => sizesProvablyDiffer(rel.sizeValue, s.sizeValue))) continue;
      const map = stores[0];
      report(rel.at, rel.fn, `${rel.api.name}() size ${rel.sizeText} differs from the size ${map.sizeText} mapped into ${rel.key} by ${map.fn}()`, [
        { range: map.at, message: `mapped with size ${map.sizeText} here` },
      ]);
    }
  },
};
