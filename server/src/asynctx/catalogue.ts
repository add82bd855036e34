/**
 * The async_tx API (include/linux/async_tx.h, crypto/async_tx/*.c, Linux 6.1) as data:
 * which argument of each operation is a destination, which are sources, where the
 * `struct async_submit_ctl *` goes, and the direction each operand is mapped with inside
 * the call (every operand is `dma_map_page()`d at *submit* time on the channel's device and
 * unmapped when the descriptor completes: DMA-SEMANTICS.md 5.2, 5.3). Data only.
 */

export type AsyncDir = 'DMA_TO_DEVICE' | 'DMA_FROM_DEVICE' | 'DMA_BIDIRECTIONAL' | 'none';

/** One page operand: a single `struct page *` argument. */
export interface PageOperand {
  kind: 'page';
  arg: number;
  dir: AsyncDir;
}

/**
 * A `struct page **` list argument with its count argument. `destTail` names list slots
 * the operation writes, counted from the end (`async_gen_syndrome`: P is
 * `blocks[disks-2]`, Q is `blocks[disks-1]`), `dir` is the direction of the other slots.
 */
export interface ListOperand {
  kind: 'list';
  arg: number;
  countArg: number | null;
  /** Count adjustment: the list holds `count + countPlus` entries (`disks` already counts P/Q). */
  dir: AsyncDir;
  destTail?: { fromEnd: number; dir: AsyncDir }[];
}

export type Operand = PageOperand | ListOperand;

export interface AsyncOpSpec {
  name: string;
  /** Pages the operation writes (its destinations). */
  dests: Operand[];
  /** Pages the operation reads. A destination that is also read appears in both. */
  sources: Operand[];
  submitArg: number;
  /** Pointer arguments the operation writes at completion (`enum sum_check_flags *`). */
  resultArgs: number[];
  /** Where in crypto/async_tx/ the mapping is done (for documentation and messages). */
  mappedIn: string;
  /** Static helpers of async_raid6_recov.c: only met when that file itself is analysed. */
  internal?: boolean;
}

const page = (arg: number, dir: AsyncDir): PageOperand => ({ kind: 'page', arg, dir });
const list = (arg: number, countArg: number | null, dir: AsyncDir, destTail?: { fromEnd: number; dir: AsyncDir }[]): ListOperand => ({
  kind: 'list',
  arg,
  countArg,
  dir,
  ...(destTail ? { destTail } : {}),
});

export const ASYNC_OPS: readonly AsyncOpSpec[] = [
  {
    // async_memcpy(): src DMA_TO_DEVICE, dest DMA_FROM_DEVICE (async_memcpy.c, async_memcpy())
    name: 'async_memcpy',
    dests: [page(0, 'DMA_FROM_DEVICE')],
    sources: [page(1, 'DMA_TO_DEVICE')],
    submitArg: 5,
    resultArgs: [],
    mappedIn: 'async_memcpy() in crypto/async_tx/async_memcpy.c',
  },
  {
    // async_xor() -> async_xor_offs(): each source DMA_TO_DEVICE, dest DMA_BIDIRECTIONAL
    // ("may be re-used as a source", async_xor.c, async_xor_offs())
    name: 'async_xor',
    dests: [page(0, 'DMA_BIDIRECTIONAL')],
    sources: [list(1, 3, 'DMA_TO_DEVICE')],
    submitArg: 5,
    resultArgs: [],
    mappedIn: 'async_xor_offs() in crypto/async_tx/async_xor.c',
  },
  {
    name: 'async_xor_offs',
    dests: [page(0, 'DMA_BIDIRECTIONAL')],
    sources: [list(2, 4, 'DMA_TO_DEVICE')],
    submitArg: 6,
    resultArgs: [],
    mappedIn: 'async_xor_offs() in crypto/async_tx/async_xor.c',
  },
  {
    // async_xor_val_offs(): every source DMA_TO_DEVICE, dest not mapped; the software path
    // XORs into dest (= src_list[0]) (async_xor.c, async_xor_val_offs())
    name: 'async_xor_val',
    dests: [],
    sources: [list(1, 3, 'DMA_TO_DEVICE')],
    submitArg: 6,
    resultArgs: [5],
    mappedIn: 'async_xor_val_offs() in crypto/async_tx/async_xor.c',
  },
  {
    name: 'async_xor_val_offs',
    dests: [],
    sources: [list(2, 4, 'DMA_TO_DEVICE')],
    submitArg: 7,
    resultArgs: [6],
    mappedIn: 'async_xor_val_offs() in crypto/async_tx/async_xor.c',
  },
  {
    // async_gen_syndrome(): data blocks DMA_TO_DEVICE, P and Q DMA_BIDIRECTIONAL
    // (async_pq.c, async_gen_syndrome())
    name: 'async_gen_syndrome',
    dests: [list(0, 2, 'none', [{ fromEnd: 2, dir: 'DMA_BIDIRECTIONAL' }, { fromEnd: 1, dir: 'DMA_BIDIRECTIONAL' }])],
    sources: [list(0, 2, 'DMA_TO_DEVICE')],
    submitArg: 4,
    resultArgs: [],
    mappedIn: 'async_gen_syndrome() in crypto/async_tx/async_pq.c',
  },
  {
    // async_syndrome_val(): data, P and Q all DMA_TO_DEVICE; `spare` is written only by the
    // software path (async_pq.c, async_syndrome_val())
    name: 'async_syndrome_val',
    dests: [],
    sources: [list(0, 2, 'DMA_TO_DEVICE')],
    submitArg: 7,
    resultArgs: [4],
    mappedIn: 'async_syndrome_val() in crypto/async_tx/async_pq.c',
  },
  {
    // composite: failed data pages (blocks[faila], blocks[failb]) are used as scratch and
    // receive the result; the others are read (async_raid6_recov.c, async_raid6_2data_recov())
    name: 'async_raid6_2data_recov',
    dests: [list(4, 0, 'DMA_BIDIRECTIONAL')],
    sources: [list(4, 0, 'DMA_TO_DEVICE')],
    submitArg: 6,
    resultArgs: [],
    mappedIn: 'async_raid6_2data_recov() in crypto/async_tx/async_raid6_recov.c',
  },
  {
    // composite: blocks[faila] and P are written (async_raid6_recov.c, async_raid6_datap_recov())
    name: 'async_raid6_datap_recov',
    dests: [list(3, 0, 'DMA_BIDIRECTIONAL')],
    sources: [list(3, 0, 'DMA_TO_DEVICE')],
    submitArg: 5,
    resultArgs: [],
    mappedIn: 'async_raid6_datap_recov() in crypto/async_tx/async_raid6_recov.c',
  },
  {
    // no operand: an interrupt descriptor after depend_tx (async_tx.c, async_trigger_callback())
    name: 'async_trigger_callback',
    dests: [],
    sources: [],
    submitArg: 0,
    resultArgs: [],
    mappedIn: 'async_trigger_callback() in crypto/async_tx/async_tx.c',
  },
  {
    // static: src DMA_TO_DEVICE, dest DMA_BIDIRECTIONAL (async_raid6_recov.c, async_mult())
    name: 'async_mult',
    dests: [page(0, 'DMA_BIDIRECTIONAL')],
    sources: [page(2, 'DMA_TO_DEVICE')],
    submitArg: 6,
    resultArgs: [],
    mappedIn: 'async_mult() in crypto/async_tx/async_raid6_recov.c',
    internal: true,
  },
  {
    // static: srcs[0], srcs[1] DMA_TO_DEVICE, dest DMA_BIDIRECTIONAL (async_sum_product())
    name: 'async_sum_product',
    dests: [page(0, 'DMA_BIDIRECTIONAL')],
    sources: [list(2, null, 'DMA_TO_DEVICE')],
    submitArg: 6,
    resultArgs: [],
    mappedIn: 'async_sum_product() in crypto/async_tx/async_raid6_recov.c',
    internal: true,
  },
];

export const ASYNC_OP_BY_NAME: ReadonlyMap<string, AsyncOpSpec> = new Map(ASYNC_OPS.map((o) => [o.name, o]));

/** `init_async_submit(args, flags, tx, cb_fn, cb_param, scribble)` (include/linux/async_tx.h). */
export const INIT_SUBMIT = {
  name: 'init_async_submit',
  submitArg: 0,
  flagsArg: 1,
  dependArg: 2,
  callbackArg: 3,
  callbackParamArg: 4,
  scribbleArg: 5,
} as const;

/** `enum async_tx_flags` (include/linux/async_tx.h). */
export const ASYNC_FLAGS = {
  zeroDst: 'ASYNC_TX_XOR_ZERO_DST',
  dropDst: 'ASYNC_TX_XOR_DROP_DST',
  ack: 'ASYNC_TX_ACK',
  fence: 'ASYNC_TX_FENCE',
  pqXorDst: 'ASYNC_TX_PQ_XOR_DST',
} as const;

export const KNOWN_FLAG_NAMES: ReadonlySet<string> = new Set(Object.values(ASYNC_FLAGS));

/**
 * Completion points. `async_tx_quiesce(&tx)` waits for `tx` and acks it;
 * `dma_wait_for_async_tx(tx)` waits (include/linux/dmaengine.h); both cover the whole
 * dependency chain ending at `tx`. `wait_for_completion*()` waits for a completion that a
 * callback completes: it covers every operation submitted before it.
 */
export const QUIESCE_CALLS: ReadonlyMap<string, { arg: number; addressOf: boolean }> = new Map([
  ['async_tx_quiesce', { arg: 0, addressOf: true }],
  ['dma_wait_for_async_tx', { arg: 0, addressOf: false }],
]);

export const COMPLETION_WAITS = /^wait_for_completion(_\w+)?$/;

/** A function body that may hold an async_tx chain: only those are replayed and checked. */
export const ASYNC_TX_WORDS = /\basync_|\binit_async_submit\b/;

/** CPU accesses to a page's contents: the page is the first argument. */
export const PAGE_MAPPERS = new Set(['page_address', 'kmap', 'kmap_atomic', 'kmap_local_page', 'lowmem_page_address']);

/** CPU copy helpers: destination argument written, source argument read. */
export const CPU_COPY_CALLS: ReadonlyMap<string, { write: number[]; read: number[] }> = new Map([
  ['memcpy', { write: [0], read: [1] }],
  ['memmove', { write: [0], read: [1] }],
  ['memset', { write: [0], read: [] }],
  ['memcmp', { write: [], read: [0, 1] }],
  ['copy_page', { write: [0], read: [1] }],
  ['clear_page', { write: [0], read: [] }],
  ['xor_blocks', { write: [2], read: [2] }],
]);

/**
 * IRQ registration calls and the argument that is the primary (hard-IRQ) handler
 * (include/linux/interrupt.h, 6.1). A threaded handler (the next argument of the threaded
 * variants) runs in a kernel thread and is not listed; request_any_context_irq() may run
 * its handler in hard-IRQ context.
 */
export const HARD_IRQ_REGISTRARS: ReadonlyMap<string, number> = new Map([
  ['request_irq', 1],
  ['request_threaded_irq', 1],
  ['request_any_context_irq', 1],
  ['request_percpu_irq', 1],
  ['devm_request_irq', 2],
  ['devm_request_threaded_irq', 2],
  ['devm_request_any_context_irq', 2],
]);
