import type { Rule } from './rule';
import type { MappingRecord } from '../sim/state';
import type { SyntaxNode } from '../c/syntax';
import { mappingErrorCheckFix } from './fixes/mapping-error-check';

const ID = 'dma/unchecked-map';

function testFor(rec: MappingRecord): string {
  switch (rec.api.returns) {
    case 'count':
      return 'test of the returned count for 0';
    case 'errno':
      return 'test of the returned error code';
    default:
      return 'dma_mapping_error() test';
  }
}

function failureValue(rec: MappingRecord): string {
  switch (rec.api.returns) {
    case 'count':
      return 'returns 0 when nothing could be mapped';
    case 'errno':
      return 'returns a negative errno when mapping fails';
    default:
      return 'returns DMA_MAPPING_ERROR when mapping fails (IOMMU or swiotlb space exhausted, address beyond the DMA mask)';
  }
}

function subject(rec: MappingRecord): string {
  if (rec.api.returns === 'handle') return rec.resultLoc ? `handle '${rec.resultLoc}'` : 'handle';
  if (rec.api.returns === 'count') return rec.resultLoc ? `mapped count '${rec.resultLoc}'` : 'mapped count';
  return rec.resultLoc ? `result '${rec.resultLoc}'` : 'result';
}

export const uncheckedMap: Rule = {
  id: ID,
  create(ctx) {
    const unchecked = (rec: MappingRecord) => rec.api.kind === 'map' && rec.status === 'unchecked' && !rec.wrongTest && !rec.foreign;
    const fixes = new Map<number, ReturnType<typeof mappingErrorCheckFix>>();
    const fixFor = (rec: MappingRecord) => {
      if (!fixes.has(rec.call.id)) fixes.set(rec.call.id, mappingErrorCheckFix(ctx.fn, ctx.source, rec.call, rec.api.name));
      return fixes.get(rec.call.id);
    };
    const report = (rec: MappingRecord, how: string, at: SyntaxNode) =>
      ctx.reporter.report(
        ID,
        rec.call,
        `${rec.api.name}() ${subject(rec)} is ${how} on a path with no ${testFor(rec)}; ${rec.api.name}() ${failureValue(rec)}`,
        [{ node: at, message: `${how.replace(/ by .*/, '')} here without a test` }],
        undefined,
        fixFor(rec),
      );
    return {
      onUse(use, rec) {
        // a store is a pending use: the test may still follow before anything reads it back
        if (unchecked(rec) && use.how === 'hardware') report(rec, `written to the device by ${use.callee ?? 'an MMIO write'}()`, use.node);
      },
      onRelease(ev, target) {
        if (target && unchecked(target)) report(target, `released by ${ev.api.name}()`, ev.call);
      },
      onSync(ev, target) {
        if (target && unchecked(target)) report(target, `synced by ${ev.api.name}()`, ev.call);
      },
      onExit(exit, st) {
        for (const rec of st.records.values()) {
          if (!unchecked(rec) || rec.returnedToCaller) continue;
          const related = exit.node ? [{ node: exit.node, message: 'returns here without the test' }] : [];
          if (rec.api.returns === 'handle') {
            // handles are judged by their uses; one stored for later and never tested is one
            if (!rec.storedAt) continue;
            ctx.reporter.report(
              ID,
              rec.call,
              `${rec.api.name}() ${subject(rec)} is stored for later use but never tested with dma_mapping_error() before ${ctx.fn.name}() returns; ${rec.api.name}() ${failureValue(rec)}`,
              [{ node: rec.storedAt, message: 'stored here' }, ...related],
              undefined,
              fixFor(rec),
            );
            continue;
          }
          ctx.reporter.report(ID, rec.call, `the ${subject(rec)} of ${rec.api.name}() is never tested on this path; ${rec.api.name}() ${failureValue(rec)}`, related);
        }
      },
    };
  },
};
