import type { Rule } from './rule';
import type { SyntaxNode } from '../c/syntax';
import { resolveApiCall, subjectLoc, type EventContext } from '../dma/events';
import { isIndexed, rootOf, type LocKey } from '../dma/locations';
import { isLive } from '../sim/state';

const ID = 'dma/leak-on-error-path';

/**
 * Locations released inside a loop somewhere in the function: an unwind loop
 * (`while (--i >= 0) dma_unmap_single(dev, addrs[i], ...)`). Which slots it reaches
 * depends on the counter, which the executor does not track, so mappings made by earlier
 * iterations of a loop are trusted to it.
 */
function releasedInLoops(body: SyntaxNode, events: EventContext): Set<LocKey> {
  const out = new Set<LocKey>();
  for (const loop of body.descendantsOfType(['for_statement', 'while_statement', 'do_statement'])) {
    for (const call of loop.descendantsOfType('call_expression')) {
      const api = resolveApiCall(call, events);
      if (!api || (api.api.kind !== 'unmap' && api.api.kind !== 'free')) continue;
      const loc = subjectLoc({ ...api, result: null, resultNode: null, returned: false });
      if (loc !== null) out.add(loc);
      // a handle rebuilt from an array (`((u64)d[n].hi << 32) | d[n].lo`): the array is unwound
      const handle = api.args.handle?.node;
      if (handle) for (const sub of handle.descendantsOfType('subscript_expression')) out.add(`root:${rootOf(sub.text)}`);
    }
  }
  return out;
}

export const leakOnErrorPath: Rule = {
  id: ID,
  create(ctx) {
    let unwound: Set<LocKey> | null = null;
    return {
      onExit(exit, st) {
        if (exit.kind !== 'error' || !exit.node) return;
        for (const rec of st.records.values()) {
          if (!isLive(rec) || rec.escaped || rec.managed) continue;
          if (rec.api.kind !== 'map' && rec.api.kind !== 'alloc') continue;
          if (rec.earlierIteration || [...st.bind].some(([loc, ids]) => ids.includes(rec.id) && isIndexed(loc))) {
            unwound ??= releasedInLoops(ctx.fn.body, ctx.events);
            const homes = [...st.bind].filter(([, ids]) => ids.includes(rec.id)).map(([loc]) => loc);
            if (homes.some((h) => unwound?.has(h) || (isIndexed(h) && unwound?.has(`root:${rootOf(h)}`)))) continue;
          }
          const verb = rec.api.kind === 'alloc' ? 'allocated' : 'mapped';
          const release = rec.api.kind === 'alloc' ? 'freed' : 'unmapped';
          const earlier = rec.earlierIteration ? ' (by an earlier iteration of the loop)' : '';
          ctx.reporter.report(
            ID,
            rec.call,
            `buffer ${verb} here${earlier} is neither ${release} nor handed off when ${ctx.fn.name}() returns an error on this path: ` +
              `${rec.api.kind === 'alloc' ? 'free it' : `release it with ${releaseFor(rec.api.name)}()`} on that path, usually by jumping to (or adding) the unwind label that does, in reverse order of setup. ` +
              `No automatic fix: whether every path to that return holds the mapping is not certain`,
            [{ node: exit.node, message: `error return without ${rec.api.kind === 'alloc' ? 'freeing' : 'unmapping'}` }],
          );
        }
      },
    };
  },
};

/** The call that releases what `api` created, for the message. */
function releaseFor(api: string): string {
  if (/map_sgtable/.test(api)) return 'dma_unmap_sgtable';
  if (/map_sg/.test(api)) return api.startsWith('ib_') ? 'ib_dma_unmap_sg' : 'dma_unmap_sg';
  if (/map_page|frag_dma_map/.test(api)) return 'dma_unmap_page';
  if (/map_resource/.test(api)) return 'dma_unmap_resource';
  if (/pool_/.test(api)) return 'dma_pool_free';
  if (/alloc/.test(api)) return 'dma_free_coherent';
  return api.startsWith('ib_') ? 'ib_dma_unmap_single' : 'dma_unmap_single';
}
