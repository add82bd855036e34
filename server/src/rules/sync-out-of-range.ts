import type { Rule } from './rule';
import { ambiguousSlot } from './describe';
import { constSize, sameSymbolicSize } from './size-value';
import { resolveSize } from '../sim/constants';
import { isCoherentAlloc } from './coherent-free-mismatch';

/**
 * dma/sync-out-of-range: `dma_sync_single_*` / `dma_sync_single_range_*` (and the page,
 * resource and non-coherent syncs, which share the shape) whose offset + size provably
 * reach beyond the mapped size.
 *
 * Provable means: the mapped size and the sync size (plus the range offset, 0 when there
 * is none) are constants whose values this file fixes (integer literals, SZ_*, macros and
 * once-initialised locals, and `+ - * / % << >>` of those), and offset + size > mapped
 * size; or both sizes are the same `sizeof(...)` text and the offset is a constant > 0.
 * Same function: the sync's handle is bound on this path to the mapping. Across functions
 * (file summary): every map stored into the synced struct field has a constant size
 * smaller than the sync's constant size (the offset of a range sync is not in the
 * summary; it only adds to the size, so leaving it out never invents a finding).
 * Coherent allocations are dma/sync-coherent-memory's. sg syncs are not checked here (their count is dma/sg-nents-mismatch's business).
 */

const ID = 'dma/sync-out-of-range';

const WHY =
  'the sync covers bytes outside the mapping: under swiotlb, swiotlb_bounce() finds the range larger than the bounce slot (dev_WARN_ONCE "Buffer overflow detected") and truncates the copy, and on non-coherent armv7/arm64 arch_sync_dma_for_cpu()/_for_device() reach cache lines of neighbouring memory, where an invalidate discards the CPU\'s dirty data (dma-debug: "syncs DMA memory outside allocated range")';

export const syncOutOfRange: Rule = {
  id: ID,
  create(ctx) {
    return {
      onSync(ev, target, st) {
        if (!target || target.foreign || target.status === 'released' || target.status === 'failed') return;
        if (ev.api.family === 'sg' || ev.api.family === 'sgtable' || target.api.family === 'sg' || target.api.family === 'sgtable') return;
        // a sync on coherent memory is wrong whatever its range (dma/sync-coherent-memory)
        if (isCoherentAlloc(target.api)) return;
        const sizeText = ev.args.size?.text;
        if (sizeText === undefined || target.sizeText === undefined) return;
        if (ambiguousSlot(ev, st)) return;
        const offsetText = ev.args.offset?.text;
        const offset = offsetText === undefined ? 0 : constSize(offsetText, ctx.scope);
        if (offset === undefined || offset < 0) return;
        const mapped = constSize(target.sizeText, ctx.scope);
        const size = constSize(sizeText, ctx.scope);
        let beyond: boolean;
        if (mapped !== undefined && size !== undefined) beyond = offset + size > mapped;
        else beyond = offset > 0 && sameSymbolicSize(resolveSize(sizeText, ctx.scope), target.sizeValue);
        if (!beyond) return;
        const span = offsetText === undefined ? `${sizeText} bytes` : `${sizeText} bytes at offset ${offsetText}`;
        ctx.reporter.report(
          ID,
          ev.call,
          `${ev.api.name}() syncs ${span}, but the mapping is ${target.sizeText} bytes: ${WHY}. Sync at most the mapped range (offset + size <= ${target.sizeText})`,
          [{ node: target.call, message: `mapped with size ${target.sizeText} here` }],
        );
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.kind !== 'sync' || rel.api.family === 'sg' || rel.api.family === 'sgtable') continue;
      const size = constSize(rel.sizeValue);
      if (size === undefined) continue;
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length) continue;
      if (!stores.every((s) => s.api.family !== 'sg' && s.api.family !== 'sgtable' && !isCoherentAlloc(s.api) && (constSize(s.sizeValue) ?? Infinity) < size)) continue;
      const first = stores[0];
      report(rel.at, rel.fn, `${rel.api.name}() syncs ${rel.sizeText} bytes of ${rel.key}, which ${first.fn}() mapped with size ${first.sizeText}: ${WHY}. Sync at most the mapped range`, [
        { range: first.at, message: `mapped with size ${first.sizeText} here` },
      ]);
    }
  },
};
