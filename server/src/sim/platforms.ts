import type { Platform } from '../../../shared/src/findings';
import type { BounceOp, CacheOp, PlatformModel, TransitionEffect } from './platform-types';

/**
 * The platform models as data (DMA-SEMANTICS.md sections 3 and 4, read against Debian's
 * 6.1.192 tree). Each entry's `source` is a chain of kernel functions followed by the file
 * they are in; `;` separates files. docs/platforms.md shows the same tables.
 *
 * Two facts shape every table:
 * - map == sync_for_device + allocate, unmap == sync_for_cpu + release, for cache and
 *   bounce purposes. `dma_direct_map_page` calls `arch_sync_dma_for_device` exactly as
 *   `dma_direct_sync_single_for_device` does; `dma_direct_unmap_page` calls
 *   `dma_direct_sync_single_for_cpu` (kernel/dma/direct.h).
 * - DMA_ATTR_SKIP_CPU_SYNC is not modelled here: the simulator drops the cache and
 *   copy-back effects of a map/unmap that carries it (except the swiotlb map-time copy,
 *   which `swiotlb_tbl_map_single` makes regardless of attrs).
 *
 * "edges" is the operation on a first/last cache line the buffer covers only partly.
 * Where the whole-range operation is a clean (or nothing), the edges get the same; where it
 * is an invalidate, ARMv7 and arm64 clean+invalidate the partial lines instead.
 */

function fx(cache: CacheOp, edges: CacheOp, bounce: BounceOp, source: string): TransitionEffect {
  return { cache, edges, bounce, source };
}

// ---------------------------------------------------------------------------------------
// coherent: x86 does not select ARCH_HAS_SYNC_DMA_FOR_DEVICE/CPU, and on every other
// architecture dev_is_dma_coherent() makes the dma-direct helpers skip arch_sync_dma_*.

const COH_MAP = 'dma_direct_map_page (kernel/dma/direct.h)';
const COH_UNMAP = 'dma_direct_unmap_page -> dma_direct_sync_single_for_cpu (kernel/dma/direct.h)';
const COH_FOR_DEVICE = 'dma_direct_sync_single_for_device (kernel/dma/direct.h)';
const COH_FOR_CPU = 'dma_direct_sync_single_for_cpu (kernel/dma/direct.h)';

// ---------------------------------------------------------------------------------------
// armv7: __dma_page_cpu_to_dev / __dma_page_dev_to_cpu call the inner-cache routine
// through dmac_map_area / dmac_unmap_area (= v7_dma_map_area / v7_dma_unmap_area) and do
// the matching outer_{clean,inv}_range on the L2; one cache level is modelled.
// v7_dma_map_area: FROM_DEVICE -> v7_dma_inv_range, else v7_dma_clean_range (so
// BIDIRECTIONAL is clean only; dma-mapping.c has a FIXME about it).
// v7_dma_unmap_area: TO_DEVICE -> nothing, else v7_dma_inv_range.
// v7_dma_inv_range cleans+invalidates (c7, c14, 1) a partial first/last line.

const V7_MAP = 'dma_direct_map_page -> arch_sync_dma_for_device (kernel/dma/direct.h)';
const V7_FOR_DEVICE = 'dma_direct_sync_single_for_device -> arch_sync_dma_for_device (kernel/dma/direct.h)';
const V7_UNMAP = 'dma_direct_unmap_page -> dma_direct_sync_single_for_cpu -> arch_sync_dma_for_cpu (kernel/dma/direct.h)';
const V7_FOR_CPU = 'dma_direct_sync_single_for_cpu -> arch_sync_dma_for_cpu (kernel/dma/direct.h)';
const V7_TO_DEV_CLEAN =
  'arch_sync_dma_for_device -> __dma_page_cpu_to_dev (arch/arm/mm/dma-mapping.c); v7_dma_map_area -> v7_dma_clean_range (arch/arm/mm/cache-v7.S)';
const V7_TO_DEV_INV =
  'arch_sync_dma_for_device -> __dma_page_cpu_to_dev (arch/arm/mm/dma-mapping.c); v7_dma_map_area -> v7_dma_inv_range (arch/arm/mm/cache-v7.S)';
const V7_TO_CPU_NONE = 'arch_sync_dma_for_cpu -> __dma_page_dev_to_cpu (arch/arm/mm/dma-mapping.c)';
const V7_TO_CPU_INV =
  'arch_sync_dma_for_cpu -> __dma_page_dev_to_cpu (arch/arm/mm/dma-mapping.c); v7_dma_unmap_area -> v7_dma_inv_range (arch/arm/mm/cache-v7.S)';

// ---------------------------------------------------------------------------------------
// arm64 (v5.19 and later, so 6.1): arch_sync_dma_for_device always dcache_clean_poc;
// arch_sync_dma_for_cpu returns for TO_DEVICE, else dcache_inval_poc, which does
// `dc civac` on a partial first/last line and `dc ivac` on the rest.

const A64_MAP = 'dma_direct_map_page -> arch_sync_dma_for_device (kernel/dma/direct.h)';
const A64_FOR_DEVICE = 'dma_direct_sync_single_for_device -> arch_sync_dma_for_device (kernel/dma/direct.h)';
const A64_UNMAP = 'dma_direct_unmap_page -> dma_direct_sync_single_for_cpu -> arch_sync_dma_for_cpu (kernel/dma/direct.h)';
const A64_FOR_CPU = 'dma_direct_sync_single_for_cpu -> arch_sync_dma_for_cpu (kernel/dma/direct.h)';
const A64_CLEAN = 'arch_sync_dma_for_device -> dcache_clean_poc (arch/arm64/mm/dma-mapping.c)';
const A64_TO_CPU_NONE = 'arch_sync_dma_for_cpu (arch/arm64/mm/dma-mapping.c)';
const A64_INV = 'arch_sync_dma_for_cpu -> dcache_inval_poc (arch/arm64/mm/dma-mapping.c); dcache_inval_poc (arch/arm64/mm/cache.S)';

// ---------------------------------------------------------------------------------------
// arm64 before c50f11c6196f ("arm64: mm: Don't invalidate FROM_DEVICE buffers at start of
// DMA transfer", v5.19-rc3; backported to 5.10.125 and 5.15.50, not to 5.4):
// arch_sync_dma_for_device -> __dma_map_area, which branched to the invalidate routine for
// FROM_DEVICE and to the clean routine otherwise; arch_sync_dma_for_cpu ->
// __dma_unmap_area, invalidate unless TO_DEVICE. The invalidate routine (dcache_inval_poc
// in 5.14-5.18, __dma_inv_area before) cleans+invalidates partial edge lines. These
// functions are not in the 6.1 tree, hence "before c50f11c6196f" in the file part.

const OLD = 'before c50f11c6196f';
const A64OLD_CLEAN = `arch_sync_dma_for_device -> __dma_map_area -> dcache_clean_poc (arch/arm64/mm/cache.S ${OLD})`;
const A64OLD_INV = `arch_sync_dma_for_device -> __dma_map_area -> dcache_inval_poc (arch/arm64/mm/cache.S ${OLD})`;
const A64OLD_TO_CPU_NONE = `arch_sync_dma_for_cpu -> __dma_unmap_area (arch/arm64/mm/cache.S ${OLD})`;
const A64OLD_TO_CPU_INV = `arch_sync_dma_for_cpu -> __dma_unmap_area -> dcache_inval_poc (arch/arm64/mm/cache.S ${OLD})`;

// ---------------------------------------------------------------------------------------
// swiotlb: the device works on a bounce slot, never on the original buffer. The
// architecture's cache maintenance (if the device is non-coherent) is done on the bounce
// slot's address, so it is irrelevant to the original buffer: cache and edges are 'none'
// on purpose, and cache-line sharing hazards on the original disappear. Only the copies
// (swiotlb_bounce: DMA_TO_DEVICE copies orig->bounce, DMA_FROM_DEVICE bounce->orig) matter.
// - map copies orig->bounce for every direction (unconditional since v5.17/5.18,
//   swiotlb_tbl_map_single; before that only TO_DEVICE/BIDIRECTIONAL, CVE-2022-0854);
// - sync_for_device copies for TO_DEVICE/BIDIRECTIONAL only (901c7280ca0d: a for-device
//   sync of a FROM_DEVICE buffer must not overwrite what the device is writing);
// - sync_for_cpu and unmap copy back for FROM_DEVICE/BIDIRECTIONAL only. Unmap copies
//   through dma_direct_sync_single_for_cpu, then calls swiotlb_tbl_unmap_single with
//   DMA_ATTR_SKIP_CPU_SYNC so the copy is not made twice, and releases the slot.

const SWT_MAP = 'dma_direct_map_page -> swiotlb_map (kernel/dma/direct.h); swiotlb_map -> swiotlb_tbl_map_single -> swiotlb_bounce (kernel/dma/swiotlb.c)';
const SWT_FOR_DEVICE_COPY =
  'dma_direct_sync_single_for_device (kernel/dma/direct.h); swiotlb_sync_single_for_device -> swiotlb_bounce (kernel/dma/swiotlb.c)';
const SWT_FOR_DEVICE_NONE = 'dma_direct_sync_single_for_device (kernel/dma/direct.h); swiotlb_sync_single_for_device (kernel/dma/swiotlb.c)';
const SWT_FOR_CPU_COPY = 'dma_direct_sync_single_for_cpu (kernel/dma/direct.h); swiotlb_sync_single_for_cpu -> swiotlb_bounce (kernel/dma/swiotlb.c)';
const SWT_FOR_CPU_NONE = 'dma_direct_sync_single_for_cpu (kernel/dma/direct.h); swiotlb_sync_single_for_cpu (kernel/dma/swiotlb.c)';
const SWT_UNMAP_COPY =
  'dma_direct_unmap_page -> dma_direct_sync_single_for_cpu (kernel/dma/direct.h); swiotlb_sync_single_for_cpu -> swiotlb_bounce (kernel/dma/swiotlb.c); swiotlb_tbl_unmap_single -> swiotlb_release_slots (kernel/dma/swiotlb.c)';
const SWT_UNMAP_NONE =
  'dma_direct_unmap_page -> dma_direct_sync_single_for_cpu (kernel/dma/direct.h); swiotlb_sync_single_for_cpu (kernel/dma/swiotlb.c); swiotlb_tbl_unmap_single -> swiotlb_release_slots (kernel/dma/swiotlb.c)';

const both = (generic: string, arch: string): string => `${generic}; ${arch}`;

export const PLATFORM_MODELS: Record<Platform, PlatformModel> = {
  coherent: {
    name: 'coherent',
    description: 'Coherent device (x86, or any dev_is_dma_coherent() device), no bounce buffering',
    coherent: true,
    bounces: false,
    effects: {
      map: {
        DMA_TO_DEVICE: fx('none', 'none', 'none', COH_MAP),
        DMA_FROM_DEVICE: fx('none', 'none', 'none', COH_MAP),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'none', COH_MAP),
      },
      'sync-for-device': {
        DMA_TO_DEVICE: fx('none', 'none', 'none', COH_FOR_DEVICE),
        DMA_FROM_DEVICE: fx('none', 'none', 'none', COH_FOR_DEVICE),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'none', COH_FOR_DEVICE),
      },
      'sync-for-cpu': {
        DMA_TO_DEVICE: fx('none', 'none', 'none', COH_FOR_CPU),
        DMA_FROM_DEVICE: fx('none', 'none', 'none', COH_FOR_CPU),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'none', COH_FOR_CPU),
      },
      unmap: {
        DMA_TO_DEVICE: fx('none', 'none', 'none', COH_UNMAP),
        DMA_FROM_DEVICE: fx('none', 'none', 'none', COH_UNMAP),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'none', COH_UNMAP),
      },
    },
  },

  armv7: {
    name: 'armv7',
    description: 'ARMv7, non-coherent device',
    coherent: false,
    bounces: false,
    effects: {
      map: {
        DMA_TO_DEVICE: fx('clean', 'clean', 'none', both(V7_MAP, V7_TO_DEV_CLEAN)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(V7_MAP, V7_TO_DEV_INV)),
        DMA_BIDIRECTIONAL: fx('clean', 'clean', 'none', both(V7_MAP, V7_TO_DEV_CLEAN)),
      },
      'sync-for-device': {
        DMA_TO_DEVICE: fx('clean', 'clean', 'none', both(V7_FOR_DEVICE, V7_TO_DEV_CLEAN)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(V7_FOR_DEVICE, V7_TO_DEV_INV)),
        DMA_BIDIRECTIONAL: fx('clean', 'clean', 'none', both(V7_FOR_DEVICE, V7_TO_DEV_CLEAN)),
      },
      'sync-for-cpu': {
        DMA_TO_DEVICE: fx('none', 'none', 'none', both(V7_FOR_CPU, V7_TO_CPU_NONE)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(V7_FOR_CPU, V7_TO_CPU_INV)),
        DMA_BIDIRECTIONAL: fx('invalidate', 'clean-invalidate', 'none', both(V7_FOR_CPU, V7_TO_CPU_INV)),
      },
      unmap: {
        DMA_TO_DEVICE: fx('none', 'none', 'none', both(V7_UNMAP, V7_TO_CPU_NONE)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(V7_UNMAP, V7_TO_CPU_INV)),
        DMA_BIDIRECTIONAL: fx('invalidate', 'clean-invalidate', 'none', both(V7_UNMAP, V7_TO_CPU_INV)),
      },
    },
  },

  arm64: {
    name: 'arm64',
    description: 'arm64 since v5.19 (6.1), non-coherent device',
    coherent: false,
    bounces: false,
    effects: {
      map: {
        DMA_TO_DEVICE: fx('clean', 'clean', 'none', both(A64_MAP, A64_CLEAN)),
        DMA_FROM_DEVICE: fx('clean', 'clean', 'none', both(A64_MAP, A64_CLEAN)),
        DMA_BIDIRECTIONAL: fx('clean', 'clean', 'none', both(A64_MAP, A64_CLEAN)),
      },
      'sync-for-device': {
        DMA_TO_DEVICE: fx('clean', 'clean', 'none', both(A64_FOR_DEVICE, A64_CLEAN)),
        DMA_FROM_DEVICE: fx('clean', 'clean', 'none', both(A64_FOR_DEVICE, A64_CLEAN)),
        DMA_BIDIRECTIONAL: fx('clean', 'clean', 'none', both(A64_FOR_DEVICE, A64_CLEAN)),
      },
      'sync-for-cpu': {
        DMA_TO_DEVICE: fx('none', 'none', 'none', both(A64_FOR_CPU, A64_TO_CPU_NONE)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(A64_FOR_CPU, A64_INV)),
        DMA_BIDIRECTIONAL: fx('invalidate', 'clean-invalidate', 'none', both(A64_FOR_CPU, A64_INV)),
      },
      unmap: {
        DMA_TO_DEVICE: fx('none', 'none', 'none', both(A64_UNMAP, A64_TO_CPU_NONE)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(A64_UNMAP, A64_INV)),
        DMA_BIDIRECTIONAL: fx('invalidate', 'clean-invalidate', 'none', both(A64_UNMAP, A64_INV)),
      },
    },
  },

  'arm64-pre-5.19': {
    name: 'arm64-pre-5.19',
    description: 'arm64 before v5.19 (before c50f11c6196f), non-coherent device: invalidate at map',
    coherent: false,
    bounces: false,
    effects: {
      map: {
        DMA_TO_DEVICE: fx('clean', 'clean', 'none', both(A64_MAP, A64OLD_CLEAN)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(A64_MAP, A64OLD_INV)),
        DMA_BIDIRECTIONAL: fx('clean', 'clean', 'none', both(A64_MAP, A64OLD_CLEAN)),
      },
      'sync-for-device': {
        DMA_TO_DEVICE: fx('clean', 'clean', 'none', both(A64_FOR_DEVICE, A64OLD_CLEAN)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(A64_FOR_DEVICE, A64OLD_INV)),
        DMA_BIDIRECTIONAL: fx('clean', 'clean', 'none', both(A64_FOR_DEVICE, A64OLD_CLEAN)),
      },
      'sync-for-cpu': {
        DMA_TO_DEVICE: fx('none', 'none', 'none', both(A64_FOR_CPU, A64OLD_TO_CPU_NONE)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(A64_FOR_CPU, A64OLD_TO_CPU_INV)),
        DMA_BIDIRECTIONAL: fx('invalidate', 'clean-invalidate', 'none', both(A64_FOR_CPU, A64OLD_TO_CPU_INV)),
      },
      unmap: {
        DMA_TO_DEVICE: fx('none', 'none', 'none', both(A64_UNMAP, A64OLD_TO_CPU_NONE)),
        DMA_FROM_DEVICE: fx('invalidate', 'clean-invalidate', 'none', both(A64_UNMAP, A64OLD_TO_CPU_INV)),
        DMA_BIDIRECTIONAL: fx('invalidate', 'clean-invalidate', 'none', both(A64_UNMAP, A64OLD_TO_CPU_INV)),
      },
    },
  },

  swiotlb: {
    name: 'swiotlb',
    description: 'swiotlb bounce buffering (any architecture): the device sees a copy',
    coherent: false,
    bounces: true,
    effects: {
      map: {
        DMA_TO_DEVICE: fx('none', 'none', 'to-bounce', SWT_MAP),
        DMA_FROM_DEVICE: fx('none', 'none', 'to-bounce', SWT_MAP),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'to-bounce', SWT_MAP),
      },
      'sync-for-device': {
        DMA_TO_DEVICE: fx('none', 'none', 'to-bounce', SWT_FOR_DEVICE_COPY),
        DMA_FROM_DEVICE: fx('none', 'none', 'none', SWT_FOR_DEVICE_NONE),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'to-bounce', SWT_FOR_DEVICE_COPY),
      },
      'sync-for-cpu': {
        DMA_TO_DEVICE: fx('none', 'none', 'none', SWT_FOR_CPU_NONE),
        DMA_FROM_DEVICE: fx('none', 'none', 'from-bounce', SWT_FOR_CPU_COPY),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'from-bounce', SWT_FOR_CPU_COPY),
      },
      unmap: {
        DMA_TO_DEVICE: fx('none', 'none', 'none', SWT_UNMAP_NONE),
        DMA_FROM_DEVICE: fx('none', 'none', 'from-bounce', SWT_UNMAP_COPY),
        DMA_BIDIRECTIONAL: fx('none', 'none', 'from-bounce', SWT_UNMAP_COPY),
      },
    },
  },
};

export function platformModel(p: Platform): PlatformModel {
  return PLATFORM_MODELS[p];
}
