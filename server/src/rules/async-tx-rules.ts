import type { Rule } from './rule';
import type { HookContext, RelatedNode } from '../sim/hooks';
import type { FunctionInfo } from '../c/cfg-types';
import { buildCfg } from '../c/cfg';
import { ASYNC_FLAGS } from '../asynctx/catalogue';
import { callbackFunctions, extractChain, overlaps, type Chain, type OpEvent, type PageRef } from '../asynctx/chain';

/**
 * The async_tx chain rules (DMA-SEMANTICS.md 5, 6.F). They do not use the executor's
 * hooks: each builds (once per function, shared) the chain of async_tx events that
 * server/src/asynctx/chain.ts extracts and asks its questions of it when created.
 */

const chains = new WeakMap<FunctionInfo, Chain>();
function chainOf(fn: FunctionInfo): Chain {
  let c = chains.get(fn);
  if (!c) {
    c = extractChain(fn, buildCfg(fn));
    chains.set(fn, c);
  }
  return c;
}

const opName = (op: OpEvent) => `${op.spec.name}()`;
const lineOf = (op: OpEvent) => op.call.startPosition.row + 1;
const operands = (op: OpEvent): PageRef[] => [...op.reads, ...op.writes];
const shared = (writes: PageRef[], other: PageRef[]): PageRef | null => {
  for (const w of writes) for (const o of other) if (overlaps(w, o)) return w;
  return null;
};
const pageText = (p: PageRef) => (p.list ? `a page of '${p.list}'` : `'${p.node.text}'`);

/** Is `a` known complete (quiesced / waited for) somewhere between `a` and `at`? */
function completedBefore(chain: Chain, a: OpEvent, at: { cfg: number; order: number }): boolean {
  return chain.completions.some((c) => {
    if (!chain.before(a, c) || !chain.before(c, at)) return false;
    if (c.target === null) return true;
    if (!c.producer) return false;
    return c.producer === a || chain.ancestors(c.producer).has(a);
  });
}

function eachFn(ctx: HookContext, body: (chain: Chain) => void): Record<string, never> {
  const text = ctx.fn.body.text;
  if (/\basync_|init_async_submit/.test(text)) body(chainOf(ctx.fn));
  return {};
}

export const asyncTxMissingFence: Rule = {
  id: 'async-tx/missing-fence',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      for (const b of chain.ops) {
        const a = b.init?.dependProducer;
        if (!a || !a.init || !a.init.flagsKnown || a.init.flags.has(ASYNC_FLAGS.fence)) continue;
        if (!chain.before(a, b)) continue;
        const page = shared(a.writes, operands(b));
        if (!page) continue;
        const flags = a.init.flagsNode;
        const newText = /^\s*0\s*$/.test(flags.text) ? ASYNC_FLAGS.fence : `${flags.text} | ${ASYNC_FLAGS.fence}`;
        ctx.reporter.report(
          this.id,
          a.call,
          `${opName(a)} writes ${pageText(page)}, which the dependent ${opName(b)} (line ${lineOf(b)}) uses, but it is submitted without ASYNC_TX_FENCE: an engine that pipelines descriptors may start the consumer before this op's writes land (set the fence on the producer)`,
          [
            { node: b.call, message: `consumer of ${pageText(page)}, depends on it through depend_tx` },
            { node: flags, message: 'flags of the producer' },
          ],
          undefined,
          { title: `Add ${ASYNC_FLAGS.fence} to the producer's flags`, edits: [{ node: flags, newText }] },
        );
      }
    });
  },
};

export const asyncTxStaleIntermediate: Rule = {
  id: 'async-tx/stale-intermediate',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      for (const b of chain.ops) {
        const related: RelatedNode[] = [];
        let first: { a: OpEvent; page: PageRef } | null = null;
        for (const a of chain.ops) {
          if (a === b || !chain.before(a, b) || completedBefore(chain, a, b)) continue;
          const page = shared(a.writes, operands(b));
          if (!page) continue;
          first ??= { a, page };
          related.push({ node: a.call, message: `${opName(a)} writes ${pageText(page)} and is not known complete when the later op is submitted` });
        }
        if (!first) continue;
        ctx.reporter.report(
          this.id,
          b.call,
          `${opName(b)} maps ${pageText(first.page)}, which ${opName(first.a)} (line ${lineOf(first.a)}) writes and which has not completed yet: async_tx maps operands at submit time, so with swiotlb bouncing this op gets a bounce copy of the page taken before the producer's result is copied back (ASYNC_TX_FENCE does not help). Wait for the producer with async_tx_quiesce() or a completion signalled by its callback before submitting this op`,
          related,
          undefined,
          undefined,
          ['swiotlb'],
        );
      }
    });
  },
};

export const asyncTxCpuAccessBeforeCompletion: Rule = {
  id: 'async-tx/cpu-access-before-completion',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      for (const x of chain.cpu) {
        for (const a of chain.ops) {
          if (!chain.before(a, x) || completedBefore(chain, a, x)) continue;
          const hitWrite = a.writes.some((w) => overlaps(w, x.page));
          const hitRead = a.reads.some((r) => overlaps(r, x.page));
          if (!(hitWrite || (x.write && hitRead))) continue;
          const what = hitWrite ? (x.write ? 'writes a destination' : 'reads a destination') : 'writes a source';
          ctx.reporter.report(
            this.id,
            x.node,
            `CPU ${what} ('${x.page.node.text}') of ${opName(a)} (line ${lineOf(a)}) before the operation is known complete: the page is mapped for the engine from the async_* call until the descriptor completes; wait with async_tx_quiesce(), dma_wait_for_async_tx() or the callback first${hitWrite ? '' : ' (CPU writes to a source belong before the call)'}`,
            [{ node: a.call, message: 'operation submitted here' }],
          );
          break;
        }
      }
    });
  },
};

export const asyncTxAckThenDepend: Rule = {
  id: 'async-tx/ack-then-depend',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      const acked = (a: OpEvent | null) => !!a?.init?.flags.has(ASYNC_FLAGS.ack);
      for (const i of chain.inits) {
        const a = i.dependProducer;
        if (!a || !acked(a) || !i.depend || !chain.before(a, i)) continue;
        ctx.reporter.report(
          this.id,
          i.depend,
          `'${i.depend.text}' comes from ${opName(a)} (line ${lineOf(a)}), submitted with ASYNC_TX_ACK: the engine may already have recycled the descriptor, and async_tx_submit() BUG()s on an acked parent; drop ASYNC_TX_ACK from the producer (a dependency acks it)`,
          [{ node: a.init?.flagsNode ?? a.call, message: 'ASYNC_TX_ACK here' }],
        );
      }
      for (const c of chain.completions) {
        const a = c.producer;
        if (!a || !acked(a) || !c.targetNode || !chain.before(a, c) || !c.how.startsWith('async_tx_quiesce')) continue;
        ctx.reporter.report(
          this.id,
          c.call,
          `async_tx_quiesce() of the descriptor from ${opName(a)} (line ${lineOf(a)}), submitted with ASYNC_TX_ACK: async_tx_quiesce() BUG()s on an acked descriptor, which may already be recycled; drop ASYNC_TX_ACK (quiesce acks it)`,
          [{ node: a.init?.flagsNode ?? a.call, message: 'ASYNC_TX_ACK here' }],
        );
      }
    });
  },
};

export const asyncTxFanoutDependency: Rule = {
  id: 'async-tx/fanout-dependency',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      for (const b of chain.ops) {
        const id = b.init?.dependId;
        if (!id || !b.init?.depend) continue;
        const earlier = chain.ops.find((a) => a !== b && a.init !== b.init && a.init?.dependId === id && chain.before(a, b));
        if (!earlier) continue;
        ctx.reporter.report(
          this.id,
          b.init.depend,
          `${opName(b)} depends on '${b.init.depend.text}', which ${opName(earlier)} (line ${lineOf(earlier)}) already depends on: a descriptor may have only one child (async_tx_submit() BUG()s on txd_next with CONFIG_ASYNC_TX_ENABLE_CHANNEL_SWITCH); chain the second op on the first one's descriptor instead`,
          [{ node: earlier.call, message: 'first dependent' }],
        );
      }
    });
  },
};

export const asyncTxXorDstFlags: Rule = {
  id: 'async-tx/xor-dst-flags',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      for (const op of chain.ops) {
        const x = op.xor;
        const init = op.init;
        if (!x || !init || !init.flagsKnown) continue;
        const drop = init.flags.has(ASYNC_FLAGS.dropDst);
        const zero = init.flags.has(ASYNC_FLAGS.zeroDst);
        const destIsFirst = x.first !== null && x.first === x.dest.key;
        const destAmong = x.sources?.some((s) => s.key === x.dest.key) ?? null;
        let msg: string | null = null;
        if (destIsFirst && !drop) {
          msg = `the destination is src_list[0] but the flags lack ASYNC_TX_XOR_DROP_DST: the software fallback (do_sync_xor_offs()) always uses dest as an implied source, so it XORs the destination with itself and the result is wrong`;
        } else if (destAmong === false && !zero) {
          msg = `the destination is not one of the sources but the flags lack ASYNC_TX_XOR_ZERO_DST: the software fallback XORs into the old contents of dest instead of zeroing it first`;
        } else if (destAmong === false && drop && !destIsFirst) {
          msg = `ASYNC_TX_XOR_DROP_DST although the destination is not src_list[0]: the software fallback drops the first real source`;
        }
        if (!msg) continue;
        ctx.reporter.report(this.id, op.call, `${opName(op)}: ${msg} (only the synchronous path is affected; the engine path ignores both flags)`, [
          { node: init.flagsNode, message: 'flags set here' },
        ]);
      }
    });
  },
};

export const asyncTxSubmitInCallback: Rule = {
  id: 'async-tx/submit-in-callback',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      if (!callbackFunctions(ctx.fn.node.tree.rootNode).has(ctx.fn.name)) return;
      for (const op of chain.ops) {
        ctx.reporter.report(
          this.id,
          op.call,
          `${opName(op)} in ${ctx.fn.name}(), which this file passes to init_async_submit() as a completion callback: callbacks must not submit new operations (Documentation/crypto/async-tx-api.rst 3.6; the synchronous path recurses, the engine path may deadlock on the channel lock)`,
        );
      }
    });
  },
};
