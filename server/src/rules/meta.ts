import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../../shared/src/findings';

/**
 * The rule catalogue: ids, default severities and one-line descriptions, exactly as in
 * the design's RULES.md (ids are the public interface). `implemented` is false for rules
 * whose analysis does not exist yet: the tool lists them as such and never pretends.
 */
export interface RuleMeta {
  id: string;
  severity: Severity;
  description: string;
  implemented: boolean;
}

const rule = (id: string, severity: Severity, description: string, implemented: boolean): RuleMeta => ({
  id,
  severity,
  description,
  implemented,
});

export const RULES: readonly RuleMeta[] = [
  // Mapping lifecycle
  rule('dma/unchecked-map', 'error', 'DMA handle used on a path with no dma_mapping_error() test (or sg count / sgtable result not tested)', true),
  rule('dma/wrong-error-test', 'error', 'mapping result tested the wrong way (!h, h == 0, dma_map_sg() < 0, dma_map_sgtable() == 0)', true),
  rule('dma/leak-on-error-path', 'error', 'successful mapping or coherent allocation reaches an error exit neither released nor handed off', true),
  rule('dma/double-unmap', 'error', 'the same mapping unmapped twice on a path', true),
  rule('dma/use-after-unmap', 'error', 'handle synced or used after it was unmapped', true),
  rule('dma/unmap-error-handle', 'error', 'unmap or sync of a handle whose mapping failed', true),
  rule('dma/unmap-direction-mismatch', 'error', 'unmap direction differs from the map direction', true),
  rule('dma/unmap-size-mismatch', 'error', 'unmap size provably differs from the mapped size', true),
  rule('dma/unmap-type-mismatch', 'error', 'unmapped with another API family than it was mapped with', true),
  rule('dma/direction-none', 'error', 'DMA_NONE passed to map, unmap or sync', true),
  // Ownership and synchronisation
  rule('dma/cpu-access-while-device-owned', 'error', 'CPU accesses a buffer while the device owns it', true),
  rule('dma/missing-sync-for-device', 'error', 'device restarted on a mapping the CPU owns', true),
  rule('dma/cpu-write-from-device-buffer', 'warning', 'CPU writes a FROM_DEVICE mapping between sync_for_cpu and the next hand-back', true),
  rule('dma/sync-direction-mismatch', 'error', 'sync direction differs from the map direction', true),
  rule('dma/sync-out-of-range', 'error', 'sync offset + size beyond the mapping', true),
  rule('dma/sync-non-dma-handle', 'error', 'sync or unmap given something that is not a DMA handle', true),
  rule('dma/sync-coherent-memory', 'warning', 'streaming sync on coherent or pool memory', true),
  rule('dma/skip-cpu-sync-without-manual-sync', 'warning', 'DMA_ATTR_SKIP_CPU_SYNC with no explicit sync where one is needed', true),
  // Memory that must not be mapped
  rule('dma/stack-buffer', 'error', 'stack memory mapped or passed to a transfer helper that may DMA it', true),
  rule('dma/vmalloc-buffer', 'error', 'vmalloc memory passed to dma_map_single', true),
  rule('dma/static-buffer', 'error', 'global, static, string literal or const object mapped', true),
  rule('dma/cacheline-sharing', 'warning', 'device-written struct member not isolated to ARCH_DMA_MINALIGN', true),
  // Scatter-gather and overlap
  rule('dma/sg-nents-mismatch', 'error', 'dma_unmap_sg / dma_sync_sg_* given the mapped count instead of the original nents', true),
  rule('dma/sg-iterate-wrong-count', 'error', 'DMA addresses iterated over the original nents instead of the mapped count', false),
  rule('dma/overlap-conflict', 'error', 'two live mappings of the same bytes, at least one device-writable', true),
  rule('dma/coherent-free-mismatch', 'error', 'dma_free_coherent with a different size, handle or pointer than the allocation, or twice', true),
  // async_tx chains
  rule('async-tx/missing-fence', 'error', 'op N+1 reads what op N writes and op N was submitted without ASYNC_TX_FENCE', true),
  rule('async-tx/stale-intermediate', 'error', 'a later op maps a buffer an earlier, uncompleted op writes (stale under swiotlb)', true),
  rule('async-tx/cpu-access-before-completion', 'error', 'CPU touches an operand after the async_* call and before completion', true),
  rule('async-tx/ack-then-depend', 'error', 'descriptor submitted with ASYNC_TX_ACK later used as a dependency', true),
  rule('async-tx/fanout-dependency', 'warning', 'two operations depend on the same descriptor', true),
  rule('async-tx/xor-dst-flags', 'warning', 'async_xor destination and flags inconsistent', true),
  rule('async-tx/submit-in-callback', 'warning', 'async_* call from a completion callback or hard-IRQ context', true),
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/**
 * Each rule's page ships with the server (docs/rules/), so diagnostics link to the copy
 * installed next to it: it always exists and always matches the running version.
 */
const DOCS_DIR =
  [join(__dirname, '..', '..', '..', '..', 'docs', 'rules'), join(__dirname, '..', '..', '..', 'docs', 'rules')].find((d) => existsSync(d)) ??
  join(__dirname, '..', '..', '..', '..', 'docs', 'rules');

export function ruleDocsPath(id: string): string {
  return join(DOCS_DIR, `${id.replace('/', '-')}.md`);
}

export function ruleDocsUrl(id: string): string {
  return pathToFileURL(ruleDocsPath(id)).href;
}
