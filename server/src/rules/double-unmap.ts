import type { Rule } from './rule';
import { eventSlotMayDiffer, sameForeignSubject } from './describe';
import { isCoherentMemory } from './coherent-free-mismatch';

const ID = 'dma/double-unmap';

export const doubleUnmap: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target) {
        if (!target || target.status !== 'released' || !target.releasedAt) return;
        // dma_unmap_single() then dma_free_coherent() of one handle is another mistake
        if (target.releasedKind !== (ev.api.kind === 'free' ? 'free' : 'unmap')) return;
        // coherent / pool memory freed twice is dma/coherent-free-mismatch's finding
        if (isCoherentMemory(target.api) && isCoherentMemory(ev.api)) return;
        if (eventSlotMayDiffer(ev, target) || !sameForeignSubject(ev, target)) return;
        ctx.reporter.report(ID, ev.call, `${ev.api.name}() releases a mapping that was already released on this path; dma-debug reports "tries to free DMA memory it has not allocated", and under swiotlb or an IOMMU the slot may already belong to another mapping`, [
          { node: target.releasedAt, message: 'first released here' },
          ...(target.foreign ? [] : [{ node: target.call, message: 'mapped here' }]),
        ]);
      },
    };
  },
};
