import type { Rule } from './rule';
import { eventSlotMayDiffer } from './describe';
import type { ApiCallEvent } from '../dma/events';
import type { MappingRecord } from '../sim/state';

const ID = 'dma/unmap-error-handle';

export const unmapErrorHandle: Rule = {
  id: ID,
  create(ctx) {
    const check = (ev: ApiCallEvent, target: MappingRecord | undefined) => {
      // through a helper the release may be guarded; a failed allocation frees nothing (NULL)
      if (!target || target.status !== 'failed' || ev.via || target.api.kind === 'alloc') return;
      if (eventSlotMayDiffer(ev, target)) return;
      ctx.reporter.report(ID, ev.call, `${ev.api.name}() on a mapping that failed: there is nothing to release, and dma-debug reports "tries to free an invalid DMA memory address"`, [
        { node: target.call, message: 'mapping failed here' },
      ]);
    };
    return { onRelease: check, onSync: check };
  },
};
