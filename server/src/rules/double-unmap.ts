import type { Rule } from './rule';
import { eventSlotMayDiffer } from './describe';

const ID = 'dma/double-unmap';

export const doubleUnmap: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target) {
        if (!target || target.status !== 'released' || !target.releasedAt) return;
        // dma_unmap_single() then dma_free_coherent() of one handle is another mistake
        if (target.releasedKind !== (ev.api.kind === 'free' ? 'free' : 'unmap')) return;
        if (eventSlotMayDiffer(ev, target)) return;
        ctx.reporter.report(ID, ev.call, `${ev.api.name}() releases a mapping that was already released on this path`, [
          { node: target.releasedAt, message: 'first released here' },
          { node: target.call, message: 'mapped here' },
        ]);
      },
    };
  },
};
