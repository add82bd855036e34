import type { Platform, TraceStep } from '../../../shared/src/findings';
import type { Rule } from './rule';
import type { AsyncTxObservation, HookContext, RelatedNode, RuleHooks } from '../sim/hooks';
import type { FlagsValue } from '../asynctx/flags';
import { ASYNC_FLAGS, ASYNC_TX_WORDS } from '../asynctx/catalogue';
import { callbackFunctions, hardIrqHandlers, chainOf, overlaps, type Chain, type OpEvent, type PageRef } from '../asynctx/chain';
import type { Hazard } from '../sim/memory';
import { platformsOf } from '../sim/ownership';

/**
 * The async_tx rules (DMA-SEMANTICS.md 5, 6.F). The executor replays each function's
 * async_tx chain (server/src/asynctx/chain.ts) on every path (server/src/sim/async-tx.ts):
 * an async_* call maps its operands through the memory models of the chosen platforms and
 * a completion unmaps them. stale-intermediate and cpu-access-before-completion report
 * what the models find on a path; missing-fence, ack-then-depend and xor-dst-flags judge
 * the flags value and the depend_tx link the path has (flags held in variables included);
 * fanout-dependency and submit-in-callback stay questions about the chain's structure.
 */

const opName = (op: OpEvent) => `${op.spec.name}()`;
const lineOf = (op: OpEvent) => op.call.startPosition.row + 1;
const operands = (op: OpEvent): PageRef[] => [...op.reads, ...op.writes];
const shared = (writes: PageRef[], other: PageRef[]): PageRef | null => {
  for (const w of writes) for (const o of other) if (overlaps(w, o)) return w;
  return null;
};
const pageText = (p: PageRef) => (p.list ? `a page of '${p.list}'` : `'${p.node.text}'`);
const lacks = (f: FlagsValue, flag: string) => f.exact && !f.set.has(flag);

function eachFn(ctx: HookContext, body: (chain: Chain) => void): Record<string, never> {
  const text = ctx.fn.body.text;
  if (ASYNC_TX_WORDS.test(text)) body(chainOf(ctx.fn, () => ctx.cfg));
  return {};
}

/** The executor's async_tx observations of one kind. */
function onAsync<K extends AsyncTxObservation['kind']>(kind: K, f: (obs: Extract<AsyncTxObservation, { kind: K }>) => void): RuleHooks {
  return {
    onAsyncTx(obs) {
      if (obs.kind === kind) f(obs as Extract<AsyncTxObservation, { kind: K }>);
    },
  };
}

/** One detail per kind, with its platforms: "swiotlb: the bounce copy ...". */
function details(hazards: readonly Hazard[]): string {
  const byDetail = new Map<string, Platform[]>();
  for (const h of hazards) byDetail.set(h.detail, [...new Set([...(byDetail.get(h.detail) ?? []), h.platform])]);
  return [...byDetail].map(([d, ps]) => `${ps.join(', ')}: ${d}`).join('; ');
}

export const asyncTxMissingFence: Rule = {
  id: 'async-tx/missing-fence',
  create(ctx) {
    return onAsync('submit', ({ op: b, depend }) => {
      if (!depend || !lacks(depend.flags, ASYNC_FLAGS.fence)) return;
      const a = depend.op;
      // what the producer still has mapped as a destination on this path, under names that still denote it
      const page = shared(depend.mappings.filter((m) => m.role === 'dest').map((m) => m.page), operands(b));
      if (!page) return;
      const flags = depend.init?.flagsNode;
      const newText = flags && /^\s*0\s*$/.test(flags.text) ? ASYNC_FLAGS.fence : `${flags?.text} | ${ASYNC_FLAGS.fence}`;
      ctx.reporter.report(
        this.id,
        a.call,
        `${opName(a)} writes ${pageText(page)}, which the dependent ${opName(b)} (line ${lineOf(b)}) uses, but it is submitted without ASYNC_TX_FENCE: an engine that pipelines descriptors may start the consumer before this op's writes land (set the fence on the producer)`,
        [{ node: b.call, message: `consumer of ${pageText(page)}, depends on it through depend_tx` }, ...(flags ? [{ node: flags, message: 'flags of the producer' }] : [])],
        undefined,
        flags ? { title: `Add ${ASYNC_FLAGS.fence} to the producer's flags`, edits: [{ node: flags, newText }] } : undefined,
      );
    });
  },
};

/** A producer whose result the consumer's bounce copy misses, with the proof for it. */
interface StaleProducer {
  op: OpEvent;
  page: PageRef;
  trace: readonly TraceStep[];
}

export const asyncTxStaleIntermediate: Rule = {
  id: 'async-tx/stale-intermediate',
  create(ctx) {
    // every producer that leaves a stale copy, on any path, is named with the one finding
    const found = new Map<number, { op: OpEvent; producers: Map<number, StaleProducer>; hazards: Hazard[] }>();
    const id = this.id;
    return {
      ...onAsync('stale-snapshot', (obs) => {
        const f = found.get(obs.op.call.id) ?? { op: obs.op, producers: new Map<number, StaleProducer>(), hazards: [] };
        if (!f.producers.has(obs.producer.op.call.id)) f.producers.set(obs.producer.op.call.id, { op: obs.producer.op, page: obs.page, trace: obs.trace });
        f.hazards.push(...obs.hazards);
        found.set(obs.op.call.id, f);
      }),
      onFunctionEnd() {
        for (const { op: b, producers, hazards } of found.values()) {
          const ps = [...producers.values()].sort((x, y) => x.op.call.startIndex - y.op.call.startIndex);
          const first = ps[0];
          const platforms = platformsOf(hazards);
          const related: RelatedNode[] = ps.map((p) => ({ node: p.op.call, message: `${opName(p.op)} writes ${pageText(p.page)} and is not known complete when the later op is submitted` }));
          ctx.reporter.report(
            id,
            b.call,
            `${opName(b)} maps ${pageText(first.page)}, which ${opName(first.op)} (line ${lineOf(first.op)}) writes and which has not completed yet: async_tx maps operands at submit time, so with ${platforms.join(', ')} bouncing this op gets a bounce copy of the page taken before the producer's result is copied back (ASYNC_TX_FENCE does not help). Wait for the producer with async_tx_quiesce() or a completion signalled by its callback before submitting this op`,
            related,
            undefined,
            undefined,
            platforms,
            first.trace,
          );
        }
      },
    };
  },
};

export const asyncTxCpuAccessBeforeCompletion: Rule = {
  id: 'async-tx/cpu-access-before-completion',
  create(ctx) {
    return onAsync('cpu-access-in-flight', ({ access: x, run, mapping, hazards, trace }) => {
      const a = run.op;
      const dest = mapping.role === 'dest';
      const what = dest ? (x.write ? 'writes a destination' : 'reads a destination') : 'writes a source';
      ctx.reporter.report(
        this.id,
        x.node,
        `CPU ${what} ('${x.page.node.text}') of ${opName(a)} (line ${lineOf(a)}) before the operation is known complete: the page is mapped ${mapping.dir} for the engine from the async_* call until the descriptor completes; corrupts on ${platformsOf(hazards).join(', ')} (${details(hazards)}); wait with async_tx_quiesce(), dma_wait_for_async_tx() or the callback first${dest ? '' : ' (CPU writes to a source belong before the call)'}`,
        [{ node: a.call, message: 'operation submitted here' }],
        undefined,
        undefined,
        platformsOf(hazards),
        trace,
      );
    });
  },
};

export const asyncTxAckThenDepend: Rule = {
  id: 'async-tx/ack-then-depend',
  create(ctx) {
    const acked = (f: FlagsValue) => f.set.has(ASYNC_FLAGS.ack);
    return {
      onAsyncTx: (obs) => {
        if (obs.kind === 'init') {
          const { init: i, depend } = obs;
          if (!depend || !i.depend || !acked(depend.flags)) return;
          const a = depend.op;
          ctx.reporter.report(
            this.id,
            i.depend,
            `'${i.depend.text}' comes from ${opName(a)} (line ${lineOf(a)}), submitted with ASYNC_TX_ACK: the engine may already have recycled the descriptor, and async_tx_submit() BUG()s on an acked parent; drop ASYNC_TX_ACK from the producer (a dependency acks it)`,
            [{ node: depend.init?.flagsNode ?? a.call, message: 'ASYNC_TX_ACK here' }],
          );
        } else if (obs.kind === 'wait') {
          const { completion: c, run } = obs;
          if (!acked(run.flags) || !c.how.startsWith('async_tx_quiesce')) return;
          const a = run.op;
          ctx.reporter.report(
            this.id,
            c.call,
            `async_tx_quiesce() of the descriptor from ${opName(a)} (line ${lineOf(a)}), submitted with ASYNC_TX_ACK: async_tx_quiesce() BUG()s on an acked descriptor, which may already be recycled; drop ASYNC_TX_ACK (quiesce acks it)`,
            [{ node: run.init?.flagsNode ?? a.call, message: 'ASYNC_TX_ACK here' }],
          );
        }
      },
    };
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
    return onAsync('submit', ({ op, init, flags }) => {
      const x = op.xor;
      if (!x || !init || !flags.exact) return;
      const drop = flags.set.has(ASYNC_FLAGS.dropDst);
      const zero = flags.set.has(ASYNC_FLAGS.zeroDst);
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
      if (!msg) return;
      ctx.reporter.report(this.id, op.call, `${opName(op)}: ${msg} (only the synchronous path is affected; the engine path ignores both flags)`, [{ node: init.flagsNode, message: 'flags set here' }]);
    });
  },
};

export const asyncTxSubmitInCallback: Rule = {
  id: 'async-tx/submit-in-callback',
  create(ctx) {
    return eachFn(ctx, (chain) => {
      const callback = callbackFunctions(ctx.fn.node.tree.rootNode).has(ctx.fn.name);
      const irq = !callback && hardIrqHandlers(ctx.source).has(ctx.fn.name);
      if (!callback && !irq) return;
      const why = callback
        ? `which this file passes to init_async_submit() as a completion callback: callbacks must not submit new operations (Documentation/crypto/async-tx-api.rst 3.6; the synchronous path recurses, the engine path may deadlock on the channel lock)`
        : `which this file registers as a hard-IRQ handler: async_* calls must not be made from IRQ context (Documentation/crypto/async-tx-api.rst 3.6; the synchronous fallback runs the whole operation, and the engine path takes channel locks, in the handler); submit from a threaded handler or a work item`;
      for (const op of chain.ops) ctx.reporter.report(this.id, op.call, `${opName(op)} in ${ctx.fn.name}(), ${why}`);
    });
  },
};
