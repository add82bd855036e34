import type { Rule } from './rule';
import type { MappingRecord } from '../sim/state';
import type { SyntaxNode } from '../c/syntax';
import { handleName } from './describe';

const ID = 'dma/unchecked-map';

function testFor(rec: MappingRecord): string {
  switch (rec.api.returns) {
    case 'count':
      return `test of the returned count for 0`;
    case 'errno':
      return `test of the returned error code`;
    default:
      return `dma_mapping_error() test`;
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

export const uncheckedMap: Rule = {
  id: ID,
  create(ctx) {
    const unchecked = (rec: MappingRecord) => rec.api.kind === 'map' && rec.status === 'unchecked' && !rec.wrongTest;
    const report = (rec: MappingRecord, how: string, at: SyntaxNode) =>
      ctx.reporter.report(
        ID,
        rec.call,
        `${rec.api.name}() result ${handleName(rec)} is ${how} on a path with no ${testFor(rec)}; ${rec.api.name}() ${failureValue(rec)}`,
        [{ node: at, message: `${how} here without a test` }],
      );
    return {
      onUse(use, rec) {
        if (!unchecked(rec)) return;
        if (use.how === 'store') report(rec, 'stored', use.node);
        else if (use.how === 'hardware') report(rec, `written to the device by ${use.callee ?? 'an MMIO write'}()`, use.node);
      },
      onRelease(ev, target) {
        if (target && unchecked(target)) report(target, `released by ${ev.api.name}()`, ev.call);
      },
      onSync(ev, target) {
        if (target && unchecked(target)) report(target, `synced by ${ev.api.name}()`, ev.call);
      },
      onExit(exit, st) {
        for (const rec of st.records.values()) {
          // a handle nobody used is not an unchecked use; a count or errno nobody tested is
          if (!unchecked(rec) || rec.storedAt || rec.api.returns === 'handle') continue;
          // handed to the caller or to another function: the check is theirs
          if (rec.escaped) continue;
          ctx.reporter.report(
            ID,
            rec.call,
            `${rec.api.name}() result ${handleName(rec)} is never tested on this path; ${rec.api.name}() ${failureValue(rec)}`,
            exit.node ? [{ node: exit.node, message: 'function returns here without the test' }] : [],
          );
        }
      },
    };
  },
};
