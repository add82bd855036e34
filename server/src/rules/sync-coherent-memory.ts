import type { Rule } from './rule';
import { ambiguousSlot } from './describe';
import { isCoherentAlloc } from './coherent-free-mismatch';
import type { SyntaxNode } from '../c/syntax';
import type { EventContext } from '../dma/events';
import { resolveApiCall } from '../dma/events';

/**
 * `buf = dma_alloc_coherent(dev, n, &h, ...); if (!buf) buf = dma_alloc_noncoherent(dev, n, &h, ...);`:
 * the same handle may hold non-coherent memory, which needs the syncs the driver writes.
 */
function handleAlsoNoncoherent(call: SyntaxNode, events: EventContext): boolean {
  const own = resolveApiCall(call, events)?.args.handle?.text.replace(/\s+/g, '');
  let body: SyntaxNode | null = call;
  while (body && body.type !== 'function_definition') body = body.parent;
  if (!own || !body) return false;
  const stack: SyntaxNode[] = [body];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    if (n.type === 'call_expression' && n.id !== call.id) {
      const api = resolveApiCall(n, events);
      if (api && api.api.kind === 'alloc' && !isCoherentAlloc(api.api) && api.args.handle?.text.replace(/\s+/g, '') === own) return true;
    }
    stack.push(...n.namedChildren);
  }
  return false;
}

/**
 * dma/sync-coherent-memory: a streaming `dma_sync_*` given the handle of coherent or pool
 * memory (`dma_alloc_coherent`, `dma_alloc_attrs`, `dma_alloc_wc`, `dmam_alloc_coherent`,
 * `dmam_alloc_attrs`, `dma_pool_alloc`, `dma_pool_zalloc`).
 *
 * Same function: the sync's handle is bound on this path to such an allocation (the `&h`
 * out-parameter of the allocator, or a copy of it) that is not freed and not known to
 * have failed. A sync given the CPU pointer instead is left to dma/sync-non-dma-handle.
 * Across functions: the sync's handle is a struct field that every function of the file
 * storing into it fills from one of those allocators.
 * Not reported either when the same handle is also filled by a non-coherent allocator in
 * that function (a coherent allocation with a dma_alloc_noncoherent() fallback).
 * Not reported for dma_alloc_noncoherent / dma_alloc_pages / dma_alloc_noncontiguous: that
 * memory needs the syncs (Documentation/core-api/dma-api.rst, Part II).
 */

const ID = 'dma/sync-coherent-memory';

const WHY =
  'coherent and pool memory has no ownership to hand over: the device snoops the caches or the CPU reaches the buffer through an uncached remap (pgprot_dmacoherent), so dma_direct_sync_single_for_cpu()/_for_device() only do cache maintenance on a linear-map alias nobody uses, and order nothing. Drop the sync and order accesses with dma_rmb()/dma_wmb() (or the barrier in writel()); if the buffer needs streaming semantics, allocate it with dma_alloc_noncoherent()';

export const syncCoherentMemory: Rule = {
  id: ID,
  create(ctx) {
    return {
      onSync(ev, target, st) {
        if (!target || target.foreign || target.status === 'released' || target.status === 'failed') return;
        if (!isCoherentAlloc(target.api)) return;
        // the CPU pointer passed as the handle is another mistake (dma/sync-non-dma-handle)
        if (target.resultLoc !== null && ev.args.handle?.loc === target.resultLoc) return;
        if (ambiguousSlot(ev, st) || handleAlsoNoncoherent(target.call, ctx.events)) return;
        ctx.reporter.report(ID, ev.call, `${ev.api.name}() on memory from ${target.api.name}(): ${WHY}`, [{ node: target.call, message: `allocated with ${target.api.name}() here` }]);
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.kind !== 'sync') continue;
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length || !stores.every((s) => isCoherentAlloc(s.api))) continue;
      const first = stores[0];
      report(rel.at, rel.fn, `${rel.api.name}() on ${rel.key}, which ${first.fn}() allocated with ${first.api.name}(): ${WHY}`, [
        { range: first.at, message: `allocated with ${first.api.name}() here` },
      ]);
    }
  },
};
