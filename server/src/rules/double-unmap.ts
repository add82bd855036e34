import type { Rule } from './rule';
import { isIndexed } from '../dma/locations';

const ID = 'dma/double-unmap';

export const doubleUnmap: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target) {
        if (!target || target.status !== 'released' || !target.releasedAt) return;
        // ring[i] vs ring[j]: one key, many mappings; only a scalar home is certain
        if (target.resultLoc !== null && isIndexed(target.resultLoc)) return;
        ctx.reporter.report(ID, ev.call, `${ev.api.name}() releases a mapping that was already released on this path`, [
          { node: target.releasedAt, message: 'first released here' },
          { node: target.call, message: 'mapped here' },
        ]);
      },
    };
  },
};
