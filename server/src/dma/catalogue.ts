/**
 * The DMA API catalogue: every entry point the analyzer recognises, with 0-based
 * argument positions. Signatures were checked against the Debian linux-source-6.1
 * tree (6.1.192); entries that do not exist in 6.1 say so. No kernel code is copied
 * here, only names and argument positions.
 *
 * Conventions used by every entry:
 *  - `handle` is a `dma_addr_t` (or, for ib_dma_*, a `u64`) argument; for alloc entries it
 *    is the `dma_addr_t *` out-parameter (`&h`).
 *  - A scatterlist / sg_table argument is always `buffer` (map, unmap and sync alike): the
 *    list itself identifies the mapping, there is no separate handle.
 *  - For free entries `buffer` is the CPU pointer (or `struct page *` / `struct sg_table *`)
 *    returned by the allocator.
 *  - `family` of a 'check' entry is nominal ('single'): dma_mapping_error() applies to any
 *    handle-returning map (single, page, resource).
 *  - Wrappers in the ib_dma_* layer take a `struct ib_device *` and may be a no-op
 *    (virt-dma devices, where the "handle" is a kernel virtual address); mixing ib_dma_* and
 *    dma_* on one mapping is a real mismatch even inside one family. See isIbVerbsApi().
 */

import type { ApiEntry, ApiFamily, Direction } from './catalogue-types';

export const CATALOGUE: readonly ApiEntry[] = [
  // ---------------------------------------------------------------------------------
  // Streaming map / unmap: include/linux/dma-mapping.h (6.1). The non-_attrs names are
  // macros that pass attrs = 0 to the _attrs function.
  // ---------------------------------------------------------------------------------
  { name: 'dma_map_single', kind: 'map', family: 'single', returns: 'handle', dev: 0, buffer: 1, size: 2, dir: 3 },
  {
    name: 'dma_map_single_attrs',
    kind: 'map',
    family: 'single',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    size: 2,
    dir: 3,
    attrs: 4,
  },
  { name: 'dma_unmap_single', kind: 'unmap', family: 'single', returns: 'void', dev: 0, handle: 1, size: 2, dir: 3 },
  {
    name: 'dma_unmap_single_attrs',
    kind: 'unmap',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    attrs: 4,
  },
  {
    name: 'dma_map_page',
    kind: 'map',
    family: 'page',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    offset: 2,
    size: 3,
    dir: 4,
  },
  {
    name: 'dma_map_page_attrs',
    kind: 'map',
    family: 'page',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    offset: 2,
    size: 3,
    dir: 4,
    attrs: 5,
  },
  { name: 'dma_unmap_page', kind: 'unmap', family: 'page', returns: 'void', dev: 0, handle: 1, size: 2, dir: 3 },
  {
    name: 'dma_unmap_page_attrs',
    kind: 'unmap',
    family: 'page',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    attrs: 4,
  },
  // dma_map_sg returns the mapped entry count (unsigned, 0 on failure, never negative);
  // unmap and sync must get the ORIGINAL nents, not the returned count.
  { name: 'dma_map_sg', kind: 'map', family: 'sg', returns: 'count', dev: 0, buffer: 1, nents: 2, dir: 3 },
  {
    name: 'dma_map_sg_attrs',
    kind: 'map',
    family: 'sg',
    returns: 'count',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    attrs: 4,
  },
  { name: 'dma_unmap_sg', kind: 'unmap', family: 'sg', returns: 'void', dev: 0, buffer: 1, nents: 2, dir: 3 },
  {
    name: 'dma_unmap_sg_attrs',
    kind: 'unmap',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    attrs: 4,
  },
  // dma_map_sgtable(dev, sgt, dir, attrs): int, 0 on success, negative errno on failure.
  // attrs is a real (mandatory) argument of both sgtable calls.
  { name: 'dma_map_sgtable', kind: 'map', family: 'sgtable', returns: 'errno', dev: 0, buffer: 1, dir: 2, attrs: 3 },
  { name: 'dma_unmap_sgtable', kind: 'unmap', family: 'sgtable', returns: 'void', dev: 0, buffer: 1, dir: 2, attrs: 3 },
  // dma_map_resource: MMIO (phys_addr_t) only, never RAM.
  {
    name: 'dma_map_resource',
    kind: 'map',
    family: 'resource',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    size: 2,
    dir: 3,
    attrs: 4,
  },
  {
    name: 'dma_unmap_resource',
    kind: 'unmap',
    family: 'resource',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    attrs: 4,
  },

  // include/linux/blkdev.h (6.1): macro dma_map_bvec(dev, bv, dir, attrs) ->
  // dma_map_page_attrs(dev, bv->bv_page, bv->bv_offset, bv->bv_len, dir, attrs).
  // The size lives in the bio_vec (bv_len); there is no dma_unmap_bvec, release with
  // dma_unmap_page[_attrs].
  { name: 'dma_map_bvec', kind: 'map', family: 'page', returns: 'handle', dev: 0, buffer: 1, dir: 2, attrs: 3 },

  // include/linux/skbuff.h (6.1): skb_frag_dma_map(dev, frag, offset, size, dir) is a
  // page mapping (dma_map_page of the frag's page at frag offset + offset).
  {
    name: 'skb_frag_dma_map',
    kind: 'map',
    family: 'page',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    offset: 2,
    size: 3,
    dir: 4,
  },

  // ---------------------------------------------------------------------------------
  // Synchronisation: include/linux/dma-mapping.h (6.1; the single/sg ones are extern,
  // the range and sgtable ones static inline).
  // ---------------------------------------------------------------------------------
  {
    name: 'dma_sync_single_for_cpu',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    syncFor: 'cpu',
  },
  {
    name: 'dma_sync_single_for_device',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    syncFor: 'device',
  },
  // (dev, addr, offset, size, dir): syncs [addr + offset, addr + offset + size).
  {
    name: 'dma_sync_single_range_for_cpu',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    offset: 2,
    size: 3,
    dir: 4,
    syncFor: 'cpu',
  },
  {
    name: 'dma_sync_single_range_for_device',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    offset: 2,
    size: 3,
    dir: 4,
    syncFor: 'device',
  },
  {
    name: 'dma_sync_sg_for_cpu',
    kind: 'sync',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    syncFor: 'cpu',
  },
  {
    name: 'dma_sync_sg_for_device',
    kind: 'sync',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    syncFor: 'device',
  },
  // (dev, sgt, dir): uses sgt->orig_nents; no attrs argument.
  {
    name: 'dma_sync_sgtable_for_cpu',
    kind: 'sync',
    family: 'sgtable',
    returns: 'void',
    dev: 0,
    buffer: 1,
    dir: 2,
    syncFor: 'cpu',
  },
  {
    name: 'dma_sync_sgtable_for_device',
    kind: 'sync',
    family: 'sgtable',
    returns: 'void',
    dev: 0,
    buffer: 1,
    dir: 2,
    syncFor: 'device',
  },

  // ---------------------------------------------------------------------------------
  // Error check: include/linux/dma-mapping.h (6.1). Returns int: -ENOMEM or 0.
  // ---------------------------------------------------------------------------------
  { name: 'dma_mapping_error', kind: 'check', family: 'single', returns: 'bool', dev: 0, handle: 1 },

  // ---------------------------------------------------------------------------------
  // Coherent / non-coherent allocators: include/linux/dma-mapping.h (6.1).
  // Allocators return the CPU pointer; `handle` is the dma_addr_t * out-parameter.
  // ---------------------------------------------------------------------------------
  { name: 'dma_alloc_coherent', kind: 'alloc', family: 'coherent', returns: 'pointer', dev: 0, size: 1, handle: 2 },
  {
    name: 'dma_alloc_attrs',
    kind: 'alloc',
    family: 'coherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
    attrs: 4,
  },
  { name: 'dma_alloc_wc', kind: 'alloc', family: 'coherent', returns: 'pointer', dev: 0, size: 1, handle: 2 },
  {
    name: 'dma_free_coherent',
    kind: 'free',
    family: 'coherent',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    handle: 3,
  },
  {
    name: 'dma_free_attrs',
    kind: 'free',
    family: 'coherent',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    handle: 3,
    attrs: 4,
  },
  { name: 'dma_free_wc', kind: 'free', family: 'coherent', returns: 'void', dev: 0, size: 1, buffer: 2, handle: 3 },
  // Not in 6.1: dma_zalloc_coherent(dev, size, &h, gfp) was removed in v5.0 (dma_alloc_coherent
  // zeroes since then). Kept for older / out-of-tree code; `legacy` marks "absent from 6.1".
  {
    name: 'dma_zalloc_coherent',
    kind: 'alloc',
    family: 'coherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
    legacy: true,
  },
  // Managed (devres) allocations: released at driver detach; dmam_free_coherent only for an
  // early release. Never dma_free_coherent on them.
  {
    name: 'dmam_alloc_coherent',
    kind: 'alloc',
    family: 'managed-coherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
  },
  {
    name: 'dmam_alloc_attrs',
    kind: 'alloc',
    family: 'managed-coherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
    attrs: 4,
  },
  {
    name: 'dmam_free_coherent',
    kind: 'free',
    family: 'managed-coherent',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    handle: 3,
  },
  // Non-coherent allocations behave like a streaming mapping that starts CPU-owned.
  // dma_alloc_noncoherent(dev, size, &h, dir, gfp) -> void *.
  {
    name: 'dma_alloc_noncoherent',
    kind: 'alloc',
    family: 'noncoherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
    dir: 3,
  },
  {
    name: 'dma_free_noncoherent',
    kind: 'free',
    family: 'noncoherent',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    handle: 3,
    dir: 4,
  },
  // dma_alloc_pages(dev, size, &h, dir, gfp) -> struct page *.
  { name: 'dma_alloc_pages', kind: 'alloc', family: 'pages', returns: 'pointer', dev: 0, size: 1, handle: 2, dir: 3 },
  {
    name: 'dma_free_pages',
    kind: 'free',
    family: 'pages',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    handle: 3,
    dir: 4,
  },
  // dma_alloc_noncontiguous(dev, size, dir, gfp, attrs) -> struct sg_table *; no handle
  // out-parameter (the DMA addresses are in the returned sg_table).
  {
    name: 'dma_alloc_noncontiguous',
    kind: 'alloc',
    family: 'noncontiguous',
    returns: 'pointer',
    dev: 0,
    size: 1,
    dir: 2,
    attrs: 4,
  },
  // dma_free_noncontiguous(dev, size, sgt, dir).
  {
    name: 'dma_free_noncontiguous',
    kind: 'free',
    family: 'noncontiguous',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    dir: 3,
  },

  // ---------------------------------------------------------------------------------
  // dma_pool: include/linux/dmapool.h (6.1). No dev argument; memory is coherent.
  // ---------------------------------------------------------------------------------
  // dma_pool_alloc(pool, gfp, &h) -> void *.
  { name: 'dma_pool_alloc', kind: 'alloc', family: 'pool', returns: 'pointer', pool: 0, handle: 2 },
  { name: 'dma_pool_zalloc', kind: 'alloc', family: 'pool', returns: 'pointer', pool: 0, handle: 2 },
  // dma_pool_free(pool, vaddr, addr).
  { name: 'dma_pool_free', kind: 'free', family: 'pool', returns: 'void', pool: 0, buffer: 1, handle: 2 },

  // ---------------------------------------------------------------------------------
  // Legacy PCI wrappers: include/linux/pci-dma-compat.h, removed in v5.18 and absent from
  // 6.1. Same positions as the dma_* calls with struct pci_dev * at index 0; the direction
  // is an int taking PCI_DMA_* (same values as enum dma_data_direction).
  // ---------------------------------------------------------------------------------
  {
    name: 'pci_map_single',
    kind: 'map',
    family: 'single',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    size: 2,
    dir: 3,
    legacy: true,
  },
  {
    name: 'pci_unmap_single',
    kind: 'unmap',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    legacy: true,
  },
  {
    name: 'pci_map_page',
    kind: 'map',
    family: 'page',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    offset: 2,
    size: 3,
    dir: 4,
    legacy: true,
  },
  {
    name: 'pci_unmap_page',
    kind: 'unmap',
    family: 'page',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    legacy: true,
  },
  { name: 'pci_map_sg', kind: 'map', family: 'sg', returns: 'count', dev: 0, buffer: 1, nents: 2, dir: 3, legacy: true },
  {
    name: 'pci_unmap_sg',
    kind: 'unmap',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    legacy: true,
  },
  {
    name: 'pci_dma_sync_single_for_cpu',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    syncFor: 'cpu',
    legacy: true,
  },
  {
    name: 'pci_dma_sync_single_for_device',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    syncFor: 'device',
    legacy: true,
  },
  {
    name: 'pci_dma_sync_sg_for_cpu',
    kind: 'sync',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    syncFor: 'cpu',
    legacy: true,
  },
  {
    name: 'pci_dma_sync_sg_for_device',
    kind: 'sync',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    syncFor: 'device',
    legacy: true,
  },
  {
    name: 'pci_dma_mapping_error',
    kind: 'check',
    family: 'single',
    returns: 'bool',
    dev: 0,
    handle: 1,
    legacy: true,
  },
  // pci_alloc_consistent(pdev, size, &h): implicit GFP_ATOMIC.
  {
    name: 'pci_alloc_consistent',
    kind: 'alloc',
    family: 'coherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
    legacy: true,
  },
  {
    name: 'pci_zalloc_consistent',
    kind: 'alloc',
    family: 'coherent',
    returns: 'pointer',
    dev: 0,
    size: 1,
    handle: 2,
    legacy: true,
  },
  // pci_free_consistent(pdev, size, vaddr, h).
  {
    name: 'pci_free_consistent',
    kind: 'free',
    family: 'coherent',
    returns: 'void',
    dev: 0,
    size: 1,
    buffer: 2,
    handle: 3,
    legacy: true,
  },

  // ---------------------------------------------------------------------------------
  // RDMA wrappers: include/rdma/ib_verbs.h (6.1). dev is a struct ib_device *; handles are
  // u64. ib_dma_alloc_coherent does not exist in 6.1's ib_verbs.h, so it is not listed.
  // ---------------------------------------------------------------------------------
  {
    name: 'ib_dma_map_single',
    kind: 'map',
    family: 'single',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    size: 2,
    dir: 3,
  },
  {
    name: 'ib_dma_unmap_single',
    kind: 'unmap',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
  },
  {
    name: 'ib_dma_map_page',
    kind: 'map',
    family: 'page',
    returns: 'handle',
    dev: 0,
    buffer: 1,
    offset: 2,
    size: 3,
    dir: 4,
  },
  { name: 'ib_dma_unmap_page', kind: 'unmap', family: 'page', returns: 'void', dev: 0, handle: 1, size: 2, dir: 3 },
  // ib_dma_map_sg[_attrs] return int, but the value is dma_map_sg_attrs()'s unsigned count
  // (or the virt-dma count): 0 on failure, never negative.
  { name: 'ib_dma_map_sg', kind: 'map', family: 'sg', returns: 'count', dev: 0, buffer: 1, nents: 2, dir: 3 },
  {
    name: 'ib_dma_map_sg_attrs',
    kind: 'map',
    family: 'sg',
    returns: 'count',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    attrs: 4,
  },
  { name: 'ib_dma_unmap_sg', kind: 'unmap', family: 'sg', returns: 'void', dev: 0, buffer: 1, nents: 2, dir: 3 },
  {
    name: 'ib_dma_unmap_sg_attrs',
    kind: 'unmap',
    family: 'sg',
    returns: 'void',
    dev: 0,
    buffer: 1,
    nents: 2,
    dir: 3,
    attrs: 4,
  },
  // ib_dma_map_sgtable_attrs(dev, sgt, dir, attrs): present in 6.1; 0 or negative errno.
  {
    name: 'ib_dma_map_sgtable_attrs',
    kind: 'map',
    family: 'sgtable',
    returns: 'errno',
    dev: 0,
    buffer: 1,
    dir: 2,
    attrs: 3,
  },
  {
    name: 'ib_dma_unmap_sgtable_attrs',
    kind: 'unmap',
    family: 'sgtable',
    returns: 'void',
    dev: 0,
    buffer: 1,
    dir: 2,
    attrs: 3,
  },
  {
    name: 'ib_dma_sync_single_for_cpu',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    syncFor: 'cpu',
  },
  {
    name: 'ib_dma_sync_single_for_device',
    kind: 'sync',
    family: 'single',
    returns: 'void',
    dev: 0,
    handle: 1,
    size: 2,
    dir: 3,
    syncFor: 'device',
  },
  // Returns int (0 for virt-dma devices, else dma_mapping_error()).
  { name: 'ib_dma_mapping_error', kind: 'check', family: 'single', returns: 'bool', dev: 0, handle: 1 },

  // ---------------------------------------------------------------------------------
  // Bus transfer helpers that may DMA their buffer (stack / vmalloc buffer rule).
  // ---------------------------------------------------------------------------------
  // include/linux/spi/spi.h (6.1): spi_write(spi, buf, len) / spi_read(spi, buf, len) put
  // buf straight into a spi_transfer (.tx_buf / .rx_buf) that the controller may DMA.
  { name: 'spi_write', kind: 'transfer', family: 'transfer', returns: 'int', dev: 0, buffer: 1, size: 2 },
  { name: 'spi_read', kind: 'transfer', family: 'transfer', returns: 'int', dev: 0, buffer: 1, size: 2 },
  // spi_sync_transfer(spi, xfers, num_xfers): the data buffers are the .tx_buf / .rx_buf
  // fields inside the spi_transfer array, not an argument, so `buffer` is left undefined;
  // a rule has to look at the struct initialisers.
  { name: 'spi_sync_transfer', kind: 'transfer', family: 'transfer', returns: 'int', dev: 0 },
  // Deliberately NOT listed: spi_write_then_read(spi, txbuf, n_tx, rxbuf, n_rx)
  // (drivers/spi/spi.c) copies txbuf into its own DMA-safe buffer (a preallocated one or a
  // fresh kmalloc) and copies the result back to rxbuf, so the caller's buffers are never
  // DMA'd; stack buffers are fine there (spi_w8r8 etc. pass stack variables by design).

  // include/linux/usb.h (6.1).
  // usb_control_msg(dev, pipe, request, requesttype, value, index, data, size, timeout).
  { name: 'usb_control_msg', kind: 'transfer', family: 'transfer', returns: 'int', dev: 0, buffer: 6, size: 7 },
  // usb_{bulk,interrupt}_msg[_killable](dev, pipe, data, len, &actual_length, timeout).
  { name: 'usb_bulk_msg', kind: 'transfer', family: 'transfer', returns: 'int', dev: 0, buffer: 2, size: 3 },
  {
    name: 'usb_bulk_msg_killable',
    kind: 'transfer',
    family: 'transfer',
    returns: 'int',
    dev: 0,
    buffer: 2,
    size: 3,
  },
  { name: 'usb_interrupt_msg', kind: 'transfer', family: 'transfer', returns: 'int', dev: 0, buffer: 2, size: 3 },
  // Deliberately NOT listed: usb_control_msg_send / usb_control_msg_recv (6.1,
  // drivers/usb/core/message.c) kmemdup / kmalloc their own bounce buffer and copy to / from
  // the caller's `data`, so passing a stack buffer to them is correct.
];

const BY_NAME: ReadonlyMap<string, ApiEntry> = new Map(CATALOGUE.map((e) => [e.name, e]));

export function lookupApi(name: string): ApiEntry | undefined {
  return BY_NAME.get(name);
}

/** True for the include/rdma/ib_verbs.h wrappers (struct ib_device *, may be virt-dma no-ops). */
export function isIbVerbsApi(entry: ApiEntry): boolean {
  return entry.name.startsWith('ib_dma_');
}

/**
 * The unmap to write for a map of the current dma_* API without attrs: same family,
 * `(dev, handle, size, dir)` for a handle-returning map, `(dev, sgl, nents, dir)` for
 * dma_map_sg(). Undefined for _attrs, legacy pci_* and ib_dma_* maps, whose release needs
 * more than the map's own arguments.
 */
export function plainUnmapFor(map: ApiEntry): ApiEntry | undefined {
  if (map.kind !== 'map' || map.attrs !== undefined || map.legacy || isIbVerbsApi(map)) return undefined;
  const plain = (e: ApiEntry) => e.kind === 'unmap' && e.family === map.family && !e.legacy && !isIbVerbsApi(e) && e.attrs === undefined && e.dev === 0;
  // (dev, handle, size, dir)
  if (map.returns === 'handle') return CATALOGUE.find((e) => plain(e) && e.handle === 1 && e.size === 2 && e.dir === 3);
  // (dev, sgl, nents, dir): the same arguments as the map's, nents the original count
  if (map.family === 'sg' && map.dev === 0 && map.buffer === 1 && map.nents === 2 && map.dir === 3) {
    return CATALOGUE.find((e) => plain(e) && e.buffer === 1 && e.nents === 2 && e.dir === 3);
  }
  return undefined;
}

/**
 * enum dma_data_direction (include/linux/dma-direction.h): BIDIRECTIONAL = 0, TO_DEVICE = 1,
 * FROM_DEVICE = 2, NONE = 3. The legacy PCI_DMA_* macros (pci-dma-compat.h, pre-5.18) were
 * defined as the DMA_* enumerators.
 */
const DIRECTION_BY_TEXT: ReadonlyMap<string, Direction> = new Map<string, Direction>([
  ['DMA_BIDIRECTIONAL', 'DMA_BIDIRECTIONAL'],
  ['DMA_TO_DEVICE', 'DMA_TO_DEVICE'],
  ['DMA_FROM_DEVICE', 'DMA_FROM_DEVICE'],
  ['DMA_NONE', 'DMA_NONE'],
  ['PCI_DMA_BIDIRECTIONAL', 'DMA_BIDIRECTIONAL'],
  ['PCI_DMA_TODEVICE', 'DMA_TO_DEVICE'],
  ['PCI_DMA_FROMDEVICE', 'DMA_FROM_DEVICE'],
  ['PCI_DMA_NONE', 'DMA_NONE'],
  ['0', 'DMA_BIDIRECTIONAL'],
  ['1', 'DMA_TO_DEVICE'],
  ['2', 'DMA_FROM_DEVICE'],
  ['3', 'DMA_NONE'],
]);

/** Direction named by a C argument's text (surrounding whitespace ignored); undefined otherwise. */
export function normaliseDirection(text: string): Direction | undefined {
  return DIRECTION_BY_TEXT.get(text.trim());
}

/**
 * For each mapping / allocation family, the release families that are correct at run time.
 * Anything outside the list is dma/unmap-type-mismatch (sg vs single, streaming vs coherent,
 * resource vs page, managed vs unmanaged, ...). Check and sync entries are not releases.
 *
 * single <-> page: dma_unmap_single_attrs() is dma_unmap_page_attrs() in 6.1 and dma-debug
 * records both as "single", so mixing them works; it is listed here as legal and flagged as a
 * style issue by UNMAP_STYLE_ONLY. The same holds for sg <-> sgtable provided the sg unmap is
 * given sgt->sgl and sgt->orig_nents (dma_unmap_sgtable() is exactly that call).
 */
export const UNMAP_FOR: Readonly<Record<ApiFamily, readonly ApiFamily[]>> = {
  single: ['single', 'page'],
  page: ['page', 'single'],
  sg: ['sg', 'sgtable'],
  sgtable: ['sgtable', 'sg'],
  resource: ['resource'],
  // dma_free_coherent / dma_free_attrs / dma_free_wc / pci_free_consistent all end in
  // dma_free_attrs().
  coherent: ['coherent'],
  // Normally not freed by hand at all; dmam_free_coherent() for early release only.
  'managed-coherent': ['managed-coherent'],
  pool: ['pool'],
  // dma_free_noncoherent() calls dma_free_pages(virt_to_page(vaddr)): a void * and a
  // struct page * are not interchangeable, so the families are kept apart.
  noncoherent: ['noncoherent'],
  pages: ['pages'],
  noncontiguous: ['noncontiguous'],
  // Transfer helpers create nothing to release.
  transfer: [],
};

/** Release pairs that work at run time but should use the matching call (style finding). */
export const UNMAP_STYLE_ONLY: Readonly<Partial<Record<ApiFamily, readonly ApiFamily[]>>> = {
  single: ['page'],
  page: ['single'],
  sg: ['sgtable'],
  sgtable: ['sg'],
};

export type ReleaseVerdict = 'ok' | 'style' | 'mismatch';

/** How releasing a `created` family with a `released` family should be judged. */
export function releaseVerdict(created: ApiFamily, released: ApiFamily): ReleaseVerdict {
  if (!UNMAP_FOR[created].includes(released)) return 'mismatch';
  return UNMAP_STYLE_ONLY[created]?.includes(released) === true ? 'style' : 'ok';
}
