import type { Rule } from './rule';
import type { ApiEntry } from '../dma/catalogue-types';
import type { ApiCallEvent } from '../dma/events';
import type { FunctionScope } from '../c/scope';
import type { MappingRecord, PathState } from '../sim/state';
import { releaseVerdict } from '../dma/catalogue';
import { ambiguousSlot, eventSlotMayDiffer, sameForeignSubject, sizesProvablyDiffer } from './describe';
import { resolveSize } from '../sim/constants';
import { constSize } from './size-value';

/**
 * dma/coherent-free-mismatch: a coherent or pool allocation released wrongly.
 *
 * Releases checked: `dma_free_coherent`, `dma_free_attrs`, `dma_free_wc`,
 * `dmam_free_coherent` and `dma_pool_free` (families coherent, managed-coherent, pool), of
 * records made by `dma_alloc_coherent`, `dma_alloc_attrs`, `dma_alloc_wc`,
 * `dmam_alloc_coherent`/`dmam_alloc_attrs`, `dma_pool_alloc`/`dma_pool_zalloc`.
 *
 * 1. Freed twice on one path (the record is already released by a free). This is the
 *    coherent half of dma/double-unmap, which skips coherent memory for that reason.
 * 2. A dmam_* (devres-managed) allocation freed with dma_free_coherent/_attrs/_wc: devres
 *    frees it again at detach.
 * 3. The free's size provably differs from the allocation's size: both are constants
 *    (literals, SZ_*, file macros, `+ - * << ...` of those) with different values, or
 *    `sizeof` of different types. Pool frees take no size.
 * 4. The CPU pointer and the handle belong to two different allocations of this function:
 *    one argument is bound (on this path) to the allocation and the other to another
 *    allocation made in this function. An argument the path knows nothing about is not
 *    reported (it may be an alias the analysis does not follow).
 * 5. Across functions (file summary): the allocation stored into a struct field by one
 *    function and freed through that field by another, with provably different sizes, or
 *    a managed allocation freed by hand.
 * Family mix-ups (pool memory to dma_free_coherent, ...) are dma/unmap-type-mismatch.
 */

const ID = 'dma/coherent-free-mismatch';

const COHERENT_FAMILIES = new Set(['coherent', 'managed-coherent', 'pool']);

/** Memory from (or freed as) dma_alloc_coherent / dma_alloc_attrs / dma_alloc_wc / dmam_* / dma_pool_*. */
export function isCoherentMemory(api: ApiEntry): boolean {
  return COHERENT_FAMILIES.has(api.family);
}

/** A coherent or pool allocation call (not dma_alloc_noncoherent / _pages / _noncontiguous). */
export function isCoherentAlloc(api: ApiEntry): boolean {
  return api.kind === 'alloc' && isCoherentMemory(api);
}

/** Two size texts that provably differ: both constant with different values, or sizeof of different types. */
export function sizesDiffer(a: string | undefined, b: string | undefined, scope?: FunctionScope): boolean {
  const x = constSize(a, scope);
  const y = constSize(b, scope);
  if (x !== undefined && y !== undefined) return x !== y;
  return sizesProvablyDiffer(scope ? resolveSize(a, scope) : a, scope ? resolveSize(b, scope) : b);
}

const KERNEL_FREE = 'dma_free_attrs() (kernel/dma/mapping.c) hands size, CPU address and handle to the allocator that made the buffer';

function stripAddr(loc: string): string {
  return loc.startsWith('&') ? loc.slice(1) : loc;
}

/** Other allocations of this function bound to `loc` on this path, when the target is not. */
function otherAllocations(loc: string | null | undefined, target: MappingRecord, st: PathState): MappingRecord[] {
  if (!loc) return [];
  const recs = st.recordsAt(stripAddr(loc));
  if (recs.length === 0 || recs.some((r) => r.id === target.id)) return [];
  return recs.every((r) => !r.foreign && r.site !== target.site && isCoherentAlloc(r.api)) ? recs : [];
}

function doubleFree(ev: ApiCallEvent, target: MappingRecord): boolean {
  if (target.status !== 'released' || !target.releasedAt || target.releasedKind !== 'free') return false;
  if (!isCoherentMemory(target.api)) return false;
  return !eventSlotMayDiffer(ev, target) && sameForeignSubject(ev, target);
}

export const coherentFreeMismatch: Rule = {
  id: ID,
  create(ctx) {
    return {
      onRelease(ev, target, st) {
        if (ev.api.kind !== 'free' || !isCoherentMemory(ev.api) || !target) return;
        if (target.status === 'released') {
          if (!doubleFree(ev, target) || !target.releasedAt) return;
          ctx.reporter.report(
            ID,
            ev.call,
            `${ev.api.name}() frees coherent memory that was already freed on this path: the pages (and on non-coherent platforms their uncached remap) went back to the allocator at the first free, so this frees memory that may belong to someone else (dma-debug: "tries to free DMA memory it has not allocated"). Free once, and clear the pointer after freeing if the teardown can run twice`,
            [{ node: target.releasedAt, message: 'first freed here' }, ...(target.foreign ? [] : [{ node: target.call, message: 'allocated here' }])],
          );
          return;
        }
        if (target.status === 'failed' || target.foreign || !isCoherentAlloc(target.api) || target.earlierIteration) return;
        if (ambiguousSlot(ev, st)) return;
        if (target.managed && ev.api.family !== 'managed-coherent') {
          ctx.reporter.report(
            ID,
            ev.call,
            `${ev.api.name}() frees memory from ${target.api.name}(), which is device-managed: devres frees it again when the driver detaches (dmam_release() -> dma_free_attrs()), a double free. Drop the manual free, or use dmam_free_coherent() for an early release`,
            [{ node: target.call, message: 'allocated with devres here' }],
          );
          return;
        }
        if (releaseVerdict(target.api.family, ev.api.family) !== 'ok') return;
        const size = ev.args.size?.text;
        if (size !== undefined && target.sizeText !== undefined && sizesDiffer(size, target.sizeText, ctx.scope)) {
          ctx.reporter.report(
            ID,
            ev.call,
            `${ev.api.name}() size ${size} differs from the allocated size ${target.sizeText}: ${KERNEL_FREE}, so a wrong size frees or unmaps the wrong number of pages (dma-debug: "frees DMA memory with different size"). Free with exactly the size that was allocated`,
            [{ node: target.call, message: `allocated with size ${target.sizeText} here` }],
          );
        }
        const otherHandle = otherAllocations(ev.args.handle?.loc, target, st);
        const otherCpu = otherAllocations(ev.args.buffer?.loc, target, st);
        const cpuMine = !!ev.args.buffer?.loc && st.recordsAt(ev.args.buffer.loc).some((r) => r.id === target.id);
        const handleMine = !!ev.args.handle?.loc && st.recordsAt(stripAddr(ev.args.handle.loc)).some((r) => r.id === target.id);
        const other = cpuMine && otherHandle.length > 0 ? { arg: 'handle', text: ev.args.handle?.text, rec: otherHandle[0] } : handleMine && otherCpu.length > 0 ? { arg: 'CPU pointer', text: ev.args.buffer?.text, rec: otherCpu[0] } : null;
        if (other) {
          ctx.reporter.report(
            ID,
            ev.call,
            `${ev.api.name}() is given the ${other.arg} ${other.text} of another allocation: ${KERNEL_FREE}; with mismatched pointer and handle it frees one buffer's pages through the other's address (dma-debug: "frees DMA memory with different CPU address"). Pass the CPU pointer and the handle returned by the same allocation`,
            [
              { node: target.call, message: 'the allocation this free releases' },
              { node: other.rec.call, message: `the allocation ${other.text} belongs to` },
            ],
          );
        }
      },
    };
  },
  fileEnd(summary, report) {
    for (const rel of summary.released) {
      if (rel.api.kind !== 'free' || !isCoherentMemory(rel.api)) continue;
      const all = summary.storesFor(rel.key);
      const stores = all.filter((s) => s.fn !== rel.fn);
      if (stores.length === 0 || stores.length !== all.length || !stores.every((s) => isCoherentAlloc(s.api))) continue;
      const first = stores[0];
      if (stores.every((s) => s.api.family === 'managed-coherent') && rel.api.family !== 'managed-coherent') {
        report(rel.at, rel.fn, `${rel.api.name}() frees ${rel.key}, which ${first.fn}() allocated with ${first.api.name}(): devres frees it again when the driver detaches (dmam_release() -> dma_free_attrs()), a double free. Drop the manual free, or use dmam_free_coherent() for an early release`, [
          { range: first.at, message: 'allocated with devres here' },
        ]);
        continue;
      }
      if (!stores.every((s) => releaseVerdict(s.api.family, rel.api.family) === 'ok')) continue;
      if (rel.sizeText === undefined || !stores.every((s) => s.sizeText !== undefined && sizesDiffer(rel.sizeValue, s.sizeValue))) continue;
      report(rel.at, rel.fn, `${rel.api.name}() size ${rel.sizeText} differs from the size ${first.sizeText} that ${first.fn}() allocated into ${rel.key}: ${KERNEL_FREE}, so a wrong size frees or unmaps the wrong number of pages (dma-debug: "frees DMA memory with different size"). Free with exactly the size that was allocated`, [
        { range: first.at, message: `allocated with size ${first.sizeText} here` },
      ]);
    }
  },
};
