import type { Rule } from './rule';
import type { ApiCallEvent } from '../dma/events';
import type { MappingRecord, PathState } from '../sim/state';

const ID = 'dma/sg-nents-mismatch';

function message(ev: ApiCallEvent, nentsText: string, mappedWith: string): string {
  return `${ev.api.name}() must be given the nents passed to the map call (${mappedWith}), not '${nentsText}', the count the map returned: entries merged by an IOMMU would be left mapped (dma-debug: "frees DMA sg list with different entry count")`;
}

export const sgNentsMismatch: Rule = {
  id: ID,
  create(ctx) {
    const check = (ev: ApiCallEvent, target: MappingRecord | undefined, st: PathState) => {
      if (!target || target.foreign || target.api.family !== 'sg' || ev.api.family !== 'sg') return;
      const nents = ev.args.nents;
      if (!nents || nents.loc === null) return;
      // the count returned by this very mapping (a later `n = nents` rebinds n)
      const link = st.resultOf.get(nents.loc);
      if (!link || link.check || link.id !== target.id) return;
      // the map's nents expression is safe to repeat only if nothing changed it since
      const orig = target.nentsText?.trim();
      const stable = !!orig && (/^\d+$/.test(orig) || (/^\w+$/.test(orig) && !ctx.scope.isAssigned(orig)));
      const fix = stable && orig ? { title: `Pass the original nents (${orig})`, edits: [{ node: nents.node, newText: orig }] } : undefined;
      ctx.reporter.report(ID, nents.node, message(ev, nents.text, target.nentsText ?? 'nents'), [{ node: target.call, message: `mapped with nents ${target.nentsText} here` }], undefined, fix);
    };
    return {
      onRelease: check,
      onSync: check,
      onApi(ev, st) {
        // dma_map_sgtable() writes the mapped count into sgt->nents (include/linux/scatterlist.h:
        // orig_nents is what was mapped); only then is `sgt->nents` certainly the wrong count
        if (ev.api.family !== 'sg' || (ev.api.kind !== 'unmap' && ev.api.kind !== 'sync')) return;
        const nents = ev.args.nents?.loc;
        const m = nents ? /^(.*)(->|\.)nents$/.exec(nents) : null;
        if (!m) return;
        const table = st.recordsAt(m[2] === '->' ? m[1] : `&${m[1]}`).find((r) => r.api.family === 'sgtable' && r.status !== 'released');
        if (!table) return;
        ctx.reporter.report(ID, ev.args.nents?.node ?? ev.call, message(ev, ev.args.nents?.text ?? 'nents', `${m[1]}${m[2]}orig_nents`), [
          { node: table.call, message: 'dma_map_sgtable() set nents to the mapped count here' },
        ]);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.family !== 'sg' || !rel.nentsKey) continue;
      const counts = summary.storesFor(rel.nentsKey).filter((s) => s.api.returns === 'count');
      if (counts.length === 0) continue;
      const map = counts[0];
      report(rel.at, rel.fn, `${rel.api.name}() must be given the nents passed to the map call (${map.nentsText ?? 'nents'}), not the mapped count ${rel.nentsText} that ${map.fn}() stored in ${rel.nentsKey}: entries merged by an IOMMU would be left mapped (dma-debug: "frees DMA sg list with different entry count")`, [
        { range: map.at, message: 'count stored here' },
      ]);
    }
  },
};
