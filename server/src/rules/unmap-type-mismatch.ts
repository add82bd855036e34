import type { Rule } from './rule';
import { ambiguousSlot } from './describe';
import { isIbVerbsApi, releaseVerdict } from '../dma/catalogue';
import type { ApiEntry } from '../dma/catalogue-types';
import type { Severity } from '../../../shared/src/findings';

const ID = 'dma/unmap-type-mismatch';

/** map>wrong release -> the right release, where both releases take identical arguments. */
const SAME_SHAPE: Record<string, string> = {
  'dma_map_page>dma_unmap_single': 'dma_unmap_page',
  'dma_map_single>dma_unmap_page': 'dma_unmap_single',
  'skb_frag_dma_map>dma_unmap_single': 'dma_unmap_page',
  'dma_map_page_attrs>dma_unmap_single_attrs': 'dma_unmap_page_attrs',
  'dma_map_single_attrs>dma_unmap_page_attrs': 'dma_unmap_single_attrs',
};

function verdict(release: ApiEntry, created: ApiEntry): { severity: Severity; message: string } | null {
  if (release.kind !== 'unmap' && release.kind !== 'free') return null;
  const v = releaseVerdict(created.family, release.family);
  if (v === 'mismatch' || isIbVerbsApi(release) !== isIbVerbsApi(created)) {
    return {
      severity: 'error',
      message: `${release.name}() releases memory that ${created.name}() created: the ${release.family} and ${created.family} families are not interchangeable (dma-debug: "frees DMA memory with wrong function")`,
    };
  }
  if (v === 'style') {
    return {
      severity: 'warning',
      message: `${release.name}() releases a ${created.name}() mapping; it works in 6.x (both are page mappings underneath) but pair each map with its own unmap`,
    };
  }
  return null;
}

export const unmapTypeMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target, st) {
        if (ambiguousSlot(ev, st)) return;
        if (!target || target.status === 'released' || target.status === 'failed' || target.foreign) return;
        const v = verdict(ev.api, target.api);
        if (!v) return;
        // dma_unmap_single and dma_unmap_page take the same arguments: renaming is the whole fix
        const swap = SAME_SHAPE[`${target.api.name}>${ev.api.name}`];
        const name = ev.call.childForFieldName('function');
        const fix = swap && name && !ev.via ? { title: `Use ${swap}()`, edits: [{ node: name, newText: swap }] } : undefined;
        ctx.reporter.report(ID, ev.call, v.message, [{ node: target.call, message: 'created here' }], v.severity, fix);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length) continue;
      const verdicts = stores.map((s) => verdict(rel.api, s.api));
      const first = verdicts[0];
      if (!first || verdicts.some((v) => !v || v.severity !== first.severity)) continue;
      report(rel.at, rel.fn, `${first.message} in ${stores[0].fn}()`, [{ range: stores[0].at, message: 'created here' }], first.severity);
    }
  },
};
