import type { Rule } from './rule';
import { isIbVerbsApi, releaseVerdict } from '../dma/catalogue';
import type { ApiCallEvent } from '../dma/events';
import type { MappingRecord } from '../sim/state';
import type { Severity } from '../../../shared/src/findings';

const ID = 'dma/unmap-type-mismatch';

function verdict(ev: ApiCallEvent, rec: MappingRecord): { severity: Severity; message: string } | null {
  if (ev.api.kind !== 'unmap' && ev.api.kind !== 'free') return null;
  const v = releaseVerdict(rec.api.family, ev.api.family);
  if (v === 'mismatch' || isIbVerbsApi(ev.api) !== isIbVerbsApi(rec.api)) {
    return {
      severity: 'error',
      message: `${ev.api.name}() releases memory that ${rec.api.name}() created: the ${ev.api.family} and ${rec.api.family} families are not interchangeable (dma-debug: "frees DMA memory with wrong function")`,
    };
  }
  if (v === 'style') {
    return {
      severity: 'warning',
      message: `${ev.api.name}() releases a ${rec.api.name}() mapping; it works in 6.x (both are page mappings underneath) but pair each map with its own unmap`,
    };
  }
  return null;
}

export const unmapTypeMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target) {
        if (!target || target.status === 'released' || target.foreign) return;
        const v = verdict(ev, target);
        if (v) ctx.reporter.report(ID, ev.call, v.message, [{ node: target.call, message: 'created here' }], v.severity);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      const stores = summary.storesFor(rel.key);
      if (stores.length === 0) continue;
      const verdicts = stores.map((s) => verdict(rel.ev, s.record));
      const first = verdicts[0];
      if (!first || verdicts.some((v) => !v || v.severity !== first.severity)) continue;
      report(rel.ev.call, rel.fn, `${first.message} in ${stores[0].fn}()`, [{ node: stores[0].record.call, message: 'created here' }], first.severity);
    }
  },
};
