/**
 * Shape of one DMA API entry point in the catalogue (catalogue.ts holds the data).
 * Argument positions are 0-based indexes into the call's argument list.
 */

export type ApiKind =
  | 'map' // creates a streaming mapping; result or out-param is the handle / count
  | 'unmap'
  | 'sync'
  | 'check' // dma_mapping_error() and friends: returns non-zero when the mapping failed
  | 'alloc' // coherent / pool / non-coherent allocation: returns a CPU pointer, handle via out-param
  | 'free'
  | 'transfer'; // bus helper that may DMA its buffer argument (spi_write, usb_bulk_msg, ...)

/** API families: unmapping with another family is dma/unmap-type-mismatch. */
export type ApiFamily =
  | 'single'
  | 'page'
  | 'sg'
  | 'sgtable'
  | 'resource'
  | 'coherent'
  | 'managed-coherent' // dmam_alloc_*: released at detach, never freed by hand with dma_free_*
  | 'pool'
  | 'noncoherent'
  | 'pages'
  | 'noncontiguous'
  | 'transfer';

/** What the call returns, which decides how a failure must be tested. */
export type ApiReturn =
  | 'handle' // dma_addr_t: test with dma_mapping_error()
  | 'count' // dma_map_sg: 0 on failure
  | 'errno' // dma_map_sgtable: negative errno on failure, 0 on success
  | 'pointer' // CPU pointer / page / sg_table: NULL on failure
  | 'bool' // dma_mapping_error
  | 'void'
  | 'int'; // transfer helpers

export type Direction = 'DMA_BIDIRECTIONAL' | 'DMA_TO_DEVICE' | 'DMA_FROM_DEVICE' | 'DMA_NONE';

export interface ApiEntry {
  name: string;
  kind: ApiKind;
  family: ApiFamily;
  returns: ApiReturn;
  dev?: number;
  /** Buffer or page (map), CPU pointer (free), data buffer (transfer). */
  buffer?: number;
  /** Offset into the page / handle (dma_map_page, sync_single_range). */
  offset?: number;
  size?: number;
  dir?: number;
  attrs?: number;
  /** Handle argument (unmap, sync, check, free) or handle out-parameter (alloc: `&h`). */
  handle?: number;
  /** Original entry count (map_sg, unmap_sg, sync_sg). */
  nents?: number;
  /** Pool argument (dma_pool_alloc / free). */
  pool?: number;
  /** For sync: which way ownership moves. */
  syncFor?: 'cpu' | 'device';
  /** Deprecated wrappers (pci_*): their PCI_DMA_* direction constants map to DMA_*. */
  legacy?: boolean;
}
