import type { Platform } from '../../../shared/src/findings';

/**
 * What one DMA API transition does to a buffer's data on one platform. The simulator
 * (sim/memory.ts) interprets these; platforms.ts holds the tables, each entry citing the
 * kernel function it comes from (DMA-SEMANTICS.md sections 3 and 4).
 */

/** CPU cache maintenance on the buffer's lines (for the covered range). */
export type CacheOp =
  | 'none'
  | 'clean' // write dirty lines back to RAM, keep them cached
  | 'invalidate' // discard cached lines (dirty data is lost)
  | 'clean-invalidate'; // write back, then discard

/** swiotlb bounce-buffer copies. */
export type BounceOp = 'none' | 'to-bounce' | 'from-bounce';

export type Transition = 'map' | 'unmap' | 'sync-for-cpu' | 'sync-for-device';

/** The three legal directions (DMA_NONE BUG()s before any of this happens). */
export type StreamingDirection = 'DMA_TO_DEVICE' | 'DMA_FROM_DEVICE' | 'DMA_BIDIRECTIONAL';

export interface TransitionEffect {
  cache: CacheOp;
  /**
   * What happens to the first and last cache line when the buffer covers them only
   * partly: an "invalidate" of a partial line is really clean+invalidate on ARMv7 and
   * arm64 (v7_dma_inv_range, dcache_inval_poc), which writes a neighbour's dirty bytes
   * back over what the device wrote.
   */
  edges: CacheOp;
  bounce: BounceOp;
  /** The kernel function(s) this entry is read from, e.g. `v7_dma_map_area (arch/arm/mm/cache-v7.S)`. */
  source: string;
}

export interface PlatformModel {
  name: Platform;
  /** One line a kernel developer recognises: "ARMv7, non-coherent device". */
  description: string;
  /** The device sees the CPU's caches (no maintenance at all). */
  coherent: boolean;
  /** Mappings go through a bounce buffer; the device never touches the original. */
  bounces: boolean;
  effects: Record<Transition, Record<StreamingDirection, TransitionEffect>>;
}
