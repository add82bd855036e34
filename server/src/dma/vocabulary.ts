/**
 * Names of ordinary kernel functions that matter to the analysis but are not DMA API
 * entry points. Data only.
 */

/** Value transformers: the handle passes through them unchanged for our purposes. */
export const VALUE_FUNCTIONS = new Set([
  'lower_32_bits', 'upper_32_bits', 'cpu_to_le16', 'cpu_to_le32', 'cpu_to_le64',
  'cpu_to_be16', 'cpu_to_be32', 'cpu_to_be64', 'le32_to_cpu', 'le64_to_cpu',
  'unlikely', 'likely', 'READ_ONCE', 'sg_dma_address', 'sg_dma_len',
]);

/** MMIO writes: the handle goes to the hardware (a use, not a hand-off of ownership). */
export const HARDWARE_WRITES = new Set([
  'writel', 'writel_relaxed', 'writeq', 'writeq_relaxed', 'writew', 'writeb', 'iowrite32',
  'iowrite64', 'iowrite32be', 'lo_hi_writeq', 'hi_lo_writeq', 'lo_hi_writeq_relaxed', '__raw_writel',
  '__raw_writeq', 'outl', 'regmap_write', 'ioread32', 'readl',
]);

/** Logging and assertions: reading a handle there neither uses nor hands it off. */
export const NEUTRAL_CALLS = new Set([
  'dev_err', 'dev_warn', 'dev_info', 'dev_dbg', 'dev_err_ratelimited', 'dev_warn_ratelimited',
  'dev_dbg_ratelimited', 'netdev_err', 'netdev_warn', 'netdev_info', 'netdev_dbg', 'netif_err',
  'netif_warn', 'netif_info', 'netif_dbg', 'pr_err', 'pr_warn', 'pr_info', 'pr_debug', 'printk',
  'WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE', 'BUG_ON', 'trace_printk', 'dev_err_probe',
  'sizeof', 'ARRAY_SIZE', 'memset', 'dma_need_sync',
  // accessors that only read a field (include/linux/dma-mapping.h, skbuff.h, scatterlist.h)
  'dma_unmap_addr', 'dma_unmap_len', 'skb_frag_size', 'skb_frag_off', 'skb_frag_page', 'skb_headlen',
  'sg_page', 'sg_virt', 'sg_next', 'page_address', 'virt_to_page', 'offset_in_page', 'dev_name',
  'netdev_priv', 'platform_get_drvdata', 'pci_get_drvdata', 'dev_get_drvdata', 'to_pci_dev',
  'container_of', 'min', 'max', 'min_t', 'max_t', 'ALIGN', 'PTR_ALIGN', 'IS_ERR', 'PTR_ERR',
]);

/** Allocators whose memory is virtually contiguous only: never dma_map_single() it. */
export const VMALLOC_ALLOCATORS = new Set([
  'vmalloc', 'vzalloc', 'vmalloc_user', 'vmalloc_node', 'vzalloc_node', 'vmalloc_32', 'vmalloc_array',
  'vcalloc', 'kvmalloc', 'kvzalloc', 'kvcalloc', 'kvmalloc_array', 'kvmalloc_node', 'kvzalloc_node',
  'vmap', 'kvrealloc', '__vmalloc',
]);

/** Functions that turn a CPU address into a physical one: not a DMA handle. */
export const PHYS_ADDRESS_FUNCTIONS = new Set([
  'virt_to_phys', '__pa', 'page_to_phys', 'virt_to_bus', '__pa_symbol', 'sg_phys', 'slow_virt_to_phys',
]);

/** Functions that return an error pointer or code: `return ERR_PTR(-E...)` is an error exit. */
export const ERROR_VALUE_FUNCTIONS = new Set(['ERR_PTR', 'ERR_CAST', 'PTR_ERR']);

/**
 * SPI transfer-descriptor fields that name buffers the controller may DMA
 * (include/linux/spi/spi.h, struct spi_transfer).
 */
export const SPI_BUFFER_FIELDS = new Set(['tx_buf', 'rx_buf']);

/** Calls that submit spi_transfer descriptors (the buffers inside may be DMA'd). */
export const SPI_SUBMIT_FUNCTIONS = new Set(['spi_sync_transfer', 'spi_sync', 'spi_async', 'spi_sync_locked']);

/** CPU accesses through a pointer: neither a use of a handle nor a hand-off of a mapping. */
export const CPU_ACCESS_CALLS = new Set([
  'memcpy', 'memset', 'memmove', 'memcmp', 'memcpy_toio', 'memcpy_fromio', 'strcpy', 'strncpy',
  'strscpy', 'strlcpy', 'sprintf', 'snprintf', 'scnprintf', 'print_hex_dump', 'print_hex_dump_bytes',
  'skb_put_data', 'skb_copy_to_linear_data', 'skb_copy_from_linear_data', 'get_unaligned_le32',
  'put_unaligned_le32', 'kfree', 'kfree_sensitive', 'sg_copy_to_buffer', 'sg_pcopy_to_buffer',
  'sg_copy_from_buffer', 'sg_pcopy_from_buffer', 'sg_zero_buffer',
]);

/**
 * Functions that use a mapping without taking it over: a dmaengine descriptor refers to the
 * sg list or address but never unmaps it (include/linux/dmaengine.h).
 */
export const BORROWING_CALLS = /^(dmaengine_prep_|device_prep_|dmaengine_submit$|sg_dma_)/;

/**
 * CPU views of the memory of a page or a scatterlist entry: `page_address(page)`,
 * `kmap_local_page(page)`, `sg_virt(sg)` (include/linux/mm.h, highmem.h, scatterlist.h,
 * skbuff.h). The argument is the page or entry; the result points into its memory.
 */
export const PAGE_VIEW_FUNCTIONS = new Set([
  'page_address', 'lowmem_page_address', 'kmap', 'kmap_atomic', 'kmap_local_page', 'sg_virt',
  'skb_frag_address', 'skb_frag_address_safe',
]);

/**
 * Functions from a page or scatterlist entry to another way of naming the same mapped
 * memory: the page of an entry (`sg_page(sg)`) and the next entry of one list (`sg_next(sg)`).
 */
export const SAME_MAPPING_STEPS = new Set(['sg_page', 'sg_next']);

/**
 * Copies between a scatterlist and a flat buffer (lib/scatterlist.c): which argument is the
 * list, whether the CPU reads or writes the list's memory, and the flat buffer's argument.
 */
export const SG_COPY_CALLS: Readonly<Record<string, { list: number; writesList: boolean; buffer?: number }>> = {
  sg_copy_to_buffer: { list: 0, writesList: false, buffer: 2 },
  sg_pcopy_to_buffer: { list: 0, writesList: false, buffer: 2 },
  sg_copy_from_buffer: { list: 0, writesList: true, buffer: 2 },
  sg_pcopy_from_buffer: { list: 0, writesList: true, buffer: 2 },
  sg_zero_buffer: { list: 0, writesList: true },
};
