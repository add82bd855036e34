import type { Rule } from './rule';
import type { ApiCallEvent } from '../dma/events';
import type { MappingRecord, PathState } from '../sim/state';

const ID = 'dma/sg-nents-mismatch';

export const sgNentsMismatch: Rule = {
  id: ID,
  create(ctx) {
    const check = (ev: ApiCallEvent, target: MappingRecord | undefined, st: PathState) => {
      if (!target || target.foreign || target.api.family !== 'sg' || ev.api.family !== 'sg') return;
      const nents = ev.args.nents;
      if (!nents) return;
      const isCount = (nents.loc !== null && (nents.loc === target.resultLoc || st.resultOf.get(nents.loc) === target.id)) ||
        (target.resultLoc !== null && nents.text.replace(/\s+/g, '') === target.resultLoc);
      if (!isCount || nents.text.replace(/\s+/g, '') === (target.nentsText ?? '').replace(/\s+/g, '')) return;
      ctx.reporter.report(
        ID,
        nents.node,
        `${ev.api.name}() must be given the nents passed to ${target.api.name}() (${target.nentsText}), not the mapped count ${nents.text} it returned: entries merged by an IOMMU would be left mapped (dma-debug: "frees DMA sg list with different entry count")`,
        [{ node: target.call, message: `mapped with nents ${target.nentsText} here` }],
      );
    };
    return { onRelease: check, onSync: check };
  },
};
