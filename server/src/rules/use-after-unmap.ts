import type { Rule } from './rule';
import { eventSlotMayDiffer, slotMayDiffer } from './describe';

const ID = 'dma/use-after-unmap';

export const useAfterUnmap: Rule = {
  id: ID,
  create(ctx) {
    return {
      onSync(ev, target) {
        if (!target || target.status !== 'released' || !target.releasedAt) return;
        if (eventSlotMayDiffer(ev, target) || (target.foreign && ev.via)) return;
        ctx.reporter.report(ID, ev.call, `${ev.api.name}() on a handle that was already unmapped on this path`, [
          { node: target.releasedAt, message: 'unmapped here' },
        ]);
      },
      onUse(use, rec) {
        if (rec.status !== 'released' || !rec.releasedAt || slotMayDiffer(use.node, use.loc, rec)) return;
        if (use.how !== 'hardware' && use.how !== 'store') return;
        const how = use.how === 'hardware' ? `written to the device by ${use.callee}()` : 'stored for later use';
        ctx.reporter.report(ID, use.node, `DMA handle '${use.loc}' is ${how} after it was unmapped; the device would access memory it no longer owns`, [
          { node: rec.releasedAt, message: 'unmapped here' },
        ]);
      },
    };
  },
};
