import type { Rule } from './rule';
import type { SyntaxNode } from '../c/syntax';
import type { HookContext } from '../sim/hooks';
import type { MappingRecord } from '../sim/state';
import { resolveApiCall } from '../dma/events';

/**
 * dma/skip-cpu-sync-without-manual-sync: `DMA_ATTR_SKIP_CPU_SYNC` moves the cache
 * maintenance to the driver (DMA-SEMANTICS 2.4). Two cases, both within one function and
 * both only where the code between the two events is straight-line enough to be sure no
 * sync happens on any path:
 *
 * Map side: a streaming map of a TO_DEVICE or BIDIRECTIONAL buffer whose attrs text
 * contains DMA_ATTR_SKIP_CPU_SYNC, whose handle then reaches the device (an MMIO write such
 * as `writel(lower_32_bits(h), ...)`, or a dmaengine prep call), with no sync in between.
 * Stores (`priv->dma = h`) and calls to other functions are not device uses here: they may
 * sync later (page_pool-style refill). Not reported when the function has any sync call, or
 * another map of the same buffer, before the map (the buffer may have been cleaned by it,
 * e.g. the same buffer mapped for a second device), nor for the zero page (`ZERO_PAGE(0)`),
 * which the CPU never writes.
 *
 * Unmap side: an unmap whose attrs text contains DMA_ATTR_SKIP_CPU_SYNC of a FROM_DEVICE or
 * BIDIRECTIONAL mapping made in this function, with no sync in between, where the unmap is
 * a plain statement of the same block as the map and the mapped buffer expression is used
 * again by a later statement of that block before any return/goto (the CPU reads what the
 * device wrote). A buffer that is only freed or dropped afterwards (teardown, error paths)
 * needs no sync, and unmaps in conditional branches are not judged.
 *
 * "Straight-line" (how the CFG question is answered without per-path sync facts): the
 * later event lies in a statement S of the block B that directly contains the map's
 * statement, S is the map statement or after it, no label lies between the map and the
 * event, and no goto between them jumps back before the map. Every path from the map to
 * the event then runs only through the source text between them, so if no call in that
 * text can be a sync (a name containing "sync", or a wrapper of a sync), no path syncs.
 */

const ID = 'dma/skip-cpu-sync-without-manual-sync';
const SKIP = /\bDMA_ATTR_SKIP_CPU_SYNC\b/;
const FREEING = /free|put_page|release|destroy|recycle/;
const NEVER_WRITTEN = /^(ZERO_PAGE\(.*\)|empty_zero_page|virt_to_page\(empty_zero_page\))$/;

function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn ? fn.text : '';
}

function walk(node: SyntaxNode, visit: (n: SyntaxNode) => boolean | void): void {
  if (visit(node) === false) return;
  for (const c of node.namedChildren) walk(c, visit);
}

function functionBody(node: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'function_definition') return n.childForFieldName('body');
  return null;
}

/** The ancestor of `node` that is a direct child of a compound statement, and that block. */
function blockStatement(node: SyntaxNode): { block: SyntaxNode; stmt: SyntaxNode } | null {
  for (let n: SyntaxNode | null = node; n && n.parent; n = n.parent) {
    if (n.type === 'function_definition') return null;
    if (n.parent.type === 'compound_statement') return { block: n.parent, stmt: n };
  }
  return null;
}

function childOf(block: SyntaxNode, node: SyntaxNode): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n && n.parent; n = n.parent) if (n.parent.id === block.id) return n;
  return null;
}

function isSyncCall(call: SyntaxNode, ctx: HookContext): boolean {
  if (/sync/i.test(calleeName(call))) return true;
  const api = resolveApiCall(call, ctx.events);
  return api?.api.kind === 'sync';
}

/**
 * Whether every path from `from` (the map call) to `to` runs through the text between them
 * only, and no call there may sync.
 */
function straightLineWithoutSync(from: SyntaxNode, to: SyntaxNode, ctx: HookContext): boolean {
  const home = blockStatement(from);
  const body = functionBody(from);
  if (!home || !body || to.startIndex < from.endIndex) return false;
  const later = childOf(home.block, to);
  if (!later || later.startIndex < home.stmt.startIndex) return false;
  const labels = new Map<string, number>();
  walk(body, (n) => {
    if (n.type === 'labeled_statement') labels.set(n.childForFieldName('label')?.text ?? '', n.startIndex);
  });
  let ok = true;
  walk(body, (n) => {
    // only what overlaps the text between the two events matters
    if (!ok || n.endIndex <= from.endIndex || n.startIndex >= to.startIndex) return false;
    if (n.startIndex < from.endIndex) return undefined;
    if (n.type === 'labeled_statement') ok = false;
    else if (n.type === 'goto_statement') {
      const at = labels.get(n.childForFieldName('label')?.text ?? '');
      if (at === undefined || at < from.startIndex) ok = false;
    } else if (n.type === 'call_expression' && isSyncCall(n, ctx)) ok = false;
    return undefined;
  });
  return ok;
}

/** Some sync call, or another map of `buffer`, before the map call `call`. */
function maintainedBefore(call: SyntaxNode, buffer: string | undefined, ctx: HookContext): boolean {
  const body = functionBody(call);
  if (!body) return true;
  const want = buffer?.replace(/\s+/g, '');
  let found = false;
  walk(body, (n) => {
    if (found || n.startIndex >= call.startIndex) return false;
    if (n.type !== 'call_expression') return undefined;
    if (isSyncCall(n, ctx)) found = true;
    const api = resolveApiCall(n, ctx.events);
    if (api && api.api.kind === 'map' && want !== undefined && api.args.buffer?.text.replace(/\s+/g, '') === want) found = true;
    return undefined;
  });
  return found;
}

function mapAttrs(rec: MappingRecord, ctx: HookContext): { attrs?: string; buffer?: string } {
  const api = resolveApiCall(rec.call, ctx.events);
  return { attrs: api?.args.attrs?.text, buffer: api?.args.buffer?.text };
}

/** `buffer` read by a statement after `stmt` in its block, before control leaves it. */
function usedAfter(stmt: SyntaxNode, buffer: string): boolean {
  const want = buffer.replace(/\s+/g, '');
  const block = stmt.parent;
  if (!block) return false;
  let used = false;
  for (const s of block.namedChildren) {
    if (s.startIndex <= stmt.startIndex || s.type === 'comment') continue;
    walk(s, (n) => {
      if (used) return false;
      if (n.text.replace(/\s+/g, '') !== want || !['identifier', 'field_expression', 'subscript_expression', 'pointer_expression'].includes(n.type)) return undefined;
      const p = n.parent;
      // `buf = NULL;` and `kfree(buf)` read nothing the device wrote
      if (p && p.type === 'assignment_expression' && p.childForFieldName('left')?.id === n.id) return false;
      const call = p && p.type === 'argument_list' ? p.parent : null;
      if (call && call.type === 'call_expression' && FREEING.test(calleeName(call))) return false;
      used = true;
      return false;
    });
    if (used) return true;
    if (['return_statement', 'goto_statement', 'break_statement', 'continue_statement'].includes(s.type)) return false;
  }
  return false;
}

export const skipCpuSyncWithoutManualSync: Rule = {
  id: ID,
  create(ctx) {
    const reported = new Set<number>();
    return {
      onUse(use, rec) {
        if (use.how !== 'hardware' && use.how !== 'borrow') return;
        if (rec.foreign || rec.earlierIteration || rec.api.kind !== 'map' || rec.status === 'released' || rec.status === 'failed') return;
        if (rec.dir !== 'DMA_TO_DEVICE' && rec.dir !== 'DMA_BIDIRECTIONAL') return;
        if (reported.has(rec.site)) return;
        const { attrs, buffer } = mapAttrs(rec, ctx);
        if (!attrs || !SKIP.test(attrs)) return;
        // the zero page is never written by the CPU: nothing to clean (spi fill buffers)
        if (buffer !== undefined && NEVER_WRITTEN.test(buffer.trim())) return;
        if (!straightLineWithoutSync(rec.call, use.node, ctx) || maintainedBefore(rec.call, buffer, ctx)) return;
        reported.add(rec.site);
        ctx.reporter.report(
          ID,
          use.node,
          `the device is given ${rec.resultLoc ?? 'the handle'}, mapped ${rec.dir} with DMA_ATTR_SKIP_CPU_SYNC, with no dma_sync_*_for_device() since the map: the attribute makes dma_direct_map_page() skip arch_sync_dma_for_device(), so on non-coherent armv7/arm64 the device reads stale memory while the CPU's writes sit in the cache. Call dma_sync_single_for_device() after the CPU last writes the buffer, or drop DMA_ATTR_SKIP_CPU_SYNC`,
          [{ node: rec.call, message: 'mapped with DMA_ATTR_SKIP_CPU_SYNC here' }],
        );
      },
      onRelease(ev, target) {
        if (ev.api.kind !== 'unmap' || !target) return;
        const attrs = ev.args.attrs?.text;
        if (!attrs || !SKIP.test(attrs)) return;
        if (target.foreign || target.earlierIteration || target.api.kind !== 'map' || target.status === 'released' || target.status === 'failed') return;
        if (target.dir !== 'DMA_FROM_DEVICE' && target.dir !== 'DMA_BIDIRECTIONAL') return;
        const mapHome = blockStatement(target.call);
        const unmapHome = blockStatement(ev.call);
        if (!mapHome || !unmapHome || mapHome.block.id !== unmapHome.block.id || unmapHome.stmt.type !== 'expression_statement') return;
        const { buffer } = mapAttrs(target, ctx);
        if (!buffer || !straightLineWithoutSync(target.call, ev.call, ctx) || !usedAfter(unmapHome.stmt, buffer)) return;
        ctx.reporter.report(
          ID,
          ev.call,
          `${ev.api.name}() with DMA_ATTR_SKIP_CPU_SYNC on a ${target.dir} mapping that was not synced for the CPU, and ${buffer} is used afterwards: the attribute skips arch_sync_dma_for_cpu() and swiotlb's copy-back from the bounce slot, so the CPU reads stale cache lines or the pre-DMA contents. Call dma_sync_single_for_cpu() before the unmap, or drop DMA_ATTR_SKIP_CPU_SYNC`,
          [{ node: target.call, message: `mapped ${target.dir} here` }],
        );
      },
    };
  },
};
