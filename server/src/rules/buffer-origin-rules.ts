import type { Rule } from './rule';
import type { ApiCallEvent } from '../dma/events';
import type { HookContext } from '../sim/hooks';
import { bufferOrigin, type BufferOrigin } from '../sim/origins';
import { SPI_BUFFER_FIELDS, SPI_SUBMIT_FUNCTIONS } from '../dma/vocabulary';
import type { SyntaxNode } from '../c/syntax';
import { pathValue } from '../sim/constants';
import type { PathState } from '../sim/state';

/**
 * dma/stack-buffer, dma/vmalloc-buffer and dma/static-buffer ask one question of a
 * buffer argument (where its memory comes from), so they share the classification.
 */

/** Map calls whose buffer argument is a kernel virtual address (not a page or sg list). */
function mapsVirtualAddress(ev: ApiCallEvent): boolean {
  return ev.api.kind === 'map' && (ev.api.family === 'single') && ev.args.buffer !== undefined;
}

function classify(ev: ApiCallEvent, ctx: HookContext, st: PathState): BufferOrigin | null {
  if (!ev.args.buffer || ev.via) return null;
  if (!mapsVirtualAddress(ev) && ev.api.kind !== 'transfer') return null;
  const direct = bufferOrigin(ev.args.buffer.node, ctx.scope, ctx.vmallocAssigned);
  if (direct.kind !== 'unknown') return direct;
  // `buf = foo_static_buf;` earlier on this path
  const value = pathValue(ev.args.buffer.node, st);
  return value === ev.args.buffer.node ? direct : bufferOrigin(value, ctx.scope, ctx.vmallocAssigned);
}

/** `.tx_buf = x` / `xfer.rx_buf = x` in this function: SPI transfer buffers. */
function spiTransferBuffers(body: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const n of body.descendantsOfType(['initializer_pair', 'assignment_expression'])) {
    if (n.type === 'initializer_pair') {
      const field = n.childForFieldName('designator')?.text.replace(/^\./, '') ?? n.namedChildren[0]?.text.replace(/^\./, '');
      const value = n.childForFieldName('value');
      if (field && value && SPI_BUFFER_FIELDS.has(field)) out.push(value);
    } else {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      const field = left?.type === 'field_expression' ? left.childForFieldName('field')?.text : undefined;
      if (field && right && SPI_BUFFER_FIELDS.has(field)) out.push(right);
    }
  }
  return out;
}

export const stackBuffer: Rule = {
  id: 'dma/stack-buffer',
  create(ctx) {
    let spiChecked = false;
    return {
      onApi(ev, st) {
        const origin = classify(ev, ctx, st);
        if (origin?.kind === 'stack') {
          const what = ev.api.kind === 'transfer' ? `${ev.api.name}() may DMA its buffer` : `${ev.api.name}() maps`;
          ctx.reporter.report(
            'dma/stack-buffer',
            ev.args.buffer?.node ?? ev.call,
            `${what}, and '${origin.decl.name}' lives on the stack: with CONFIG_VMAP_STACK the stack is vmalloc memory that cannot be DMA-mapped, and the buffer shares cache lines with other locals; use kmalloc'd memory`,
            origin.via ? [{ node: origin.via, message: 'points into the stack here' }] : [],
          );
        }
        if (ev.api.kind === 'transfer' && ev.api.buffer === undefined && !spiChecked && SPI_SUBMIT_FUNCTIONS.has(ev.api.name)) {
          spiChecked = true;
          for (const buf of spiTransferBuffers(ctx.fn.body)) {
            const o = bufferOrigin(buf, ctx.scope, ctx.vmallocAssigned);
            if (o.kind !== 'stack') continue;
            ctx.reporter.report(
              'dma/stack-buffer',
              buf,
              `SPI transfer buffer '${o.decl.name}' lives on the stack; ${ev.api.name}() may DMA it (SPI controllers map tx_buf/rx_buf): use kmalloc'd memory`,
              [{ node: ev.call, message: 'transfer submitted here' }],
            );
          }
        }
      },
    };
  },
};

export const vmallocBuffer: Rule = {
  id: 'dma/vmalloc-buffer',
  create(ctx) {
    return {
      onApi(ev, st) {
        if (ev.api.kind !== 'map') return;
        const origin = classify(ev, ctx, st);
        if (origin?.kind !== 'vmalloc') return;
        // kvmalloc'd memory is fine when the driver bounces it whenever it is vmalloc space
        if (origin.allocator.startsWith('kv') && /\bis_vmalloc_addr\s*\(/.test(ctx.fn.node.tree.rootNode.text)) return;
        ctx.reporter.report(
          'dma/vmalloc-buffer',
          ev.args.buffer?.node ?? ev.call,
          `${ev.api.name}() on memory from ${origin.allocator}(): vmalloc memory is not physically contiguous, and dma_map_single_attrs() rejects it ("rejecting DMA map of vmalloc memory"); use kmalloc/alloc_pages, dma_alloc_*(), or map page by page with an sg table`,
          [{ node: origin.at, message: `allocated by ${origin.allocator}() here` }],
        );
      },
    };
  },
};

export const staticBuffer: Rule = {
  id: 'dma/static-buffer',
  create(ctx) {
    return {
      onApi(ev, st) {
        if (ev.api.kind !== 'map') return;
        const origin = classify(ev, ctx, st);
        if (!origin) return;
        const node = ev.args.buffer?.node ?? ev.call;
        if (origin.kind === 'literal') {
          ctx.reporter.report('dma/static-buffer', node, `${ev.api.name}() on a string literal: it lives in .rodata, which may not be DMA-able and must never be written by a device`);
        } else if (origin.kind === 'static') {
          const where = origin.why === 'const' ? 'a const object (.rodata)' : origin.why === 'static-local' ? 'a static local variable' : 'a global variable';
          ctx.reporter.report(
            'dma/static-buffer',
            node,
            `${ev.api.name}() on '${origin.decl.name}', ${where}: in a module, static data lives in vmalloc space and cannot be DMA-mapped, and it shares cache lines with unrelated data; use kmalloc'd memory`,
          );
        }
      },
    };
  },
};
