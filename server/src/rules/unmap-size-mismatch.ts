import type { Rule } from './rule';
import { sizesProvablyDiffer } from './describe';
import { resolveSize } from '../sim/constants';

const ID = 'dma/unmap-size-mismatch';

export const unmapSizeMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target) {
        if (!target || target.status === 'released' || target.foreign || ev.api.kind !== 'unmap') return;
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
      if (rel.ev.api.kind !== 'unmap') continue;
      const stores = summary.storesFor(rel.key);
      if (stores.length === 0) continue;
      const size = rel.ev.args.size?.text;
      if (!stores.every((s) => sizesProvablyDiffer(rel.sizeValue, s.record.sizeValue))) continue;
      const rec = stores[0].record;
      report(rel.ev.call, rel.fn, `${rel.ev.api.name}() size ${size} differs from the size ${rec.sizeText} mapped into ${rel.key} by ${stores[0].fn}()`, [
        { node: rec.call, message: `mapped with size ${rec.sizeText} here` },
      ]);
    }
  },
};
