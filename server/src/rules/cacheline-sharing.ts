import { pathToFileURL } from 'node:url';
import { platformsOf } from '../sim/ownership';
import { LINE_SHARING_PLATFORMS, memberSharing } from '../sim/line-sharing';
import type { Rule } from './rule';

/**
 * dma/cacheline-sharing (DMA-SEMANTICS.md sections 0 points 2 and 10, 3.5, 4.3, 6.C): a
 * DMA_FROM_DEVICE / DMA_BIDIRECTIONAL streaming map of a struct member that does not have
 * its cache lines to itself.
 *
 * What is a member: `&X->f`, `&X.f`, `&X->f[k]`, and `X->f` / `X->f + off` where `f` is an
 * array; the struct is the declared type of `X`, defined in this file or in a header it
 * includes (FileScope.struct; c/headers.ts says which headers are searched). A pointer member (`X->buf` with `u8 *buf`) maps what it
 * points to, not the member, and is not this rule's business.
 *
 * Isolation is judged per platform from the annotations in the text as written (the parsed
 * text has them blanked): for each of armv7, arm64 and arm64-pre-5.19 (the platforms whose
 * partial-line maintenance is a clean+invalidate; coherent and swiotlb do not share lines
 * with a bounce slot) the member must be isolated on both sides. When the member offsets
 * are known on that platform (sim/struct-offsets.ts: known scalar, pointer and array sizes,
 * embedded structs of known layout, `__aligned(N)`, `____cacheline_aligned` = 64,
 * `__aligned(ARCH_DMA_MINALIGN)` = the line; on armv7 under both sizes of `dma_addr_t`),
 * the neighbours are the members other than arrays of scalars that lie in the mapped range's
 * partial first or last line. Otherwise:
 * - start: the member itself carries an alignment sufficient on that platform; or every
 *   member before it back to one that does (or back to the start of the struct) is an array
 *   of scalars, i.e. a fellow DMA buffer of the same aligned region (the IIO idiom: align the
 *   first buffer, the others follow it); the struct itself is assumed to start on a DMA-safe
 *   boundary (allocated on its own: kmalloc's ARCH_KMALLOC_MINALIGN is ARCH_DMA_MINALIGN on
 *   ARM in 6.1);
 * - end: the member starts aligned on that platform (its own alignment, or arrays of known
 *   sizes adding up to a multiple of 128 bytes before it) and its size is a multiple of 128
 *   bytes (PAGE_SIZE counts; or a multiple of ARCH_DMA_MINALIGN); or the next member carries a sufficient alignment; or every member
 *   after it up to one that does (or up to the end of the struct) is an array of scalars; the
 *   last member's end is the end of the allocation.
 * - a member between `__dma_from_device_group_begin()` and `__dma_from_device_group_end()`
 *   is isolated.
 * Alignments: `__aligned(ARCH_DMA_MINALIGN)`, `__aligned(IIO_DMA_MINALIGN)`,
 * `____dma_from_device_aligned`, `__aligned(N)` with N >= 128: all platforms.
 * `____cacheline_aligned`, `__cacheline_aligned` (and `_in_smp`), `__aligned(L1_CACHE_BYTES)`,
 * `__aligned(SMP_CACHE_BYTES)`, `__aligned(N)` with 64 <= N < 128: armv7 only (ARM32's
 * ARCH_DMA_MINALIGN is L1_CACHE_BYTES; arm64's L1_CACHE_BYTES is 64 where ARCH_DMA_MINALIGN is
 * 128). `__aligned(ARCH_KMALLOC_MINALIGN)`: not arm64 (8 bytes there in current kernels).
 * Reaching the start or the end of the struct counts as isolated on that side; for a member
 * of an embedded struct (`&X->inner.f`) that means the members of the outer struct around
 * `inner` are not looked at (a known gap, chosen to stay quiet rather than guess).
 * The layout logic lives in sim/line-sharing.ts, shared with the simulator's edge-line model.
 *
 * Refinement (sim/edge-lines.ts): when the executor sees the CPU write a neighbour named
 * here (`priv->status = x;`) while the mapping is device-owned, the finding is an error at
 * the write, with the trace of the partial line per platform. The layout finding at the map
 * stays a warning. Writes in other functions (an interrupt handler) are not seen.
 */

const ID = 'dma/cacheline-sharing';

export const cachelineSharing: Rule = {
  id: ID,
  create(ctx) {
    return {
      onMap(ev, rec) {
        if (ev.api.kind !== 'map' || ev.api.family !== 'single') return;
        if (rec.dir !== 'DMA_FROM_DEVICE' && rec.dir !== 'DMA_BIDIRECTIONAL') return;
        const buf = ev.args.buffer?.node;
        if (!buf) return;
        const sharing = memberSharing(buf, ctx.scope, ctx.source, ev.args.size?.text);
        if (!sharing) return;
        const { struct, field, own } = sharing;
        // only the modelled platforms (chosen, and those the file's Kconfig builds it for)
        const shares = sharing.shares.filter((s) => ctx.platforms.includes(s.platform));
        if (shares.length === 0) return;
        const declared = struct.fields.get(field)?.node;
        if (!declared) return;
        const platforms = shares.map((s) => s.platform);
        const neighbours = [...new Set(shares.flatMap((s) => [s.before ? `${s.before} (before it)` : '', s.after ? `${s.after} (after it)` : '']).filter(Boolean))];
        const cachelineOnly = platforms.every((p) => p === 'arm64' || p === 'arm64-pre-5.19') && !own.has('armv7');
        const why = cachelineOnly
          ? ' (its alignment is the CPU cache line, 64 bytes on arm64, where ARCH_DMA_MINALIGN is 128)'
          : own.size === LINE_SHARING_PLATFORMS.length
            ? ' (not aligned to ARCH_DMA_MINALIGN)'
            : '';
        const where = struct.origin ? ` (in ${struct.origin.path})` : '';
        ctx.reporter.report(
          ID,
          ev.call,
          `'${field}' of struct ${struct.name}${where} is mapped ${rec.dir} but shares a cache line with ${neighbours.join(' and ')}${why}: on ${platforms.join(', ')} the clean+invalidate of the partial edge lines at map, sync and unmap writes the neighbour's dirty bytes over device data, or discards a CPU write to the neighbour. Align the buffer and the member after it with __aligned(ARCH_DMA_MINALIGN) (IIO_DMA_MINALIGN in IIO drivers), move it last, or allocate it separately`,
          [{ node: declared, message: `'${field}' is declared here`, ...(struct.origin ? { uri: pathToFileURL(struct.origin.path).href } : {}) }],
          undefined,
          undefined,
          platforms,
        );
      },
      onCoherence(obs, rec) {
        if (obs.kind !== 'edge-line-write' || !rec.own || !rec.edges) return;
        const platforms = platformsOf(obs.hazards);
        const buffer = rec.edges.kind === 'member' ? `'${rec.edges.member}' of struct ${rec.edges.struct}` : 'the buffer';
        ctx.reporter.report(
          ID,
          obs.node,
          `the CPU writes ${obs.neighbour ?? 'a neighbour'}, which shares a partial cache line with ${buffer}, while ${buffer} is mapped ${rec.own.dir} and owned by the device: on ${platforms.join(', ')} the store dirties the whole line, and writing it back (the clean+invalidate of the partial line at unmap or sync_for_cpu, or an eviction) puts stale bytes over what the device wrote. Write the neighbour only after dma_unmap_*() / dma_sync_*_for_cpu(), or give the buffer its own cache lines`,
          [{ node: rec.call, message: `mapped ${rec.own.dir} here` }],
          'error',
          undefined,
          platforms,
          obs.trace,
        );
      },
    };
  },
};
