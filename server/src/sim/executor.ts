import type { Platform } from '../../../shared/src/findings';
import type { Cfg, CfgEdge, CfgNode, FunctionInfo } from '../c/cfg-types';
import { platformModel } from './platforms';
import { CoherenceTracker } from './coherence';
import { AsyncTxTracker } from './async-tx';
import { chainOf } from '../asynctx/chain';
import { ASYNC_TX_WORDS } from '../asynctx/catalogue';
import type { FunctionScope } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import { pathValue, resolveDirection, resolveSize } from './constants';
import { extractEvents, subjectLoc, valueLoc, type ApiCallEvent, type AssignEvent, type DmaEvent, type EventContext, type UseEvent } from '../dma/events';
import { isIndexed, rootOf, stripValue, type LocKey } from '../dma/locations';
import { PHYS_ADDRESS_FUNCTIONS } from '../dma/vocabulary';
import { classifyExit } from './exits';
import { compileCondition, refine, tracksFacts, type Cond } from './conditions';
import type { ExitObservation, HandleUse, ResultTest, RuleHooks } from './hooks';
import { isLive, PathState, type IntFact, type MappingRecord } from './state';
import type { ApiEntry } from '../dma/catalogue-types';

/** Stands for the unknown call that made a foreign mapping. */
const FOREIGN_API: ApiEntry = { name: 'an unknown map call', kind: 'map', family: 'single', returns: 'handle' };
import { summaryKey, type FileSummary } from './summary';
import { siteRange } from '../engine/ranges';

/**
 * Path-sensitive walk of one function's CFG. States reaching a node are deduplicated by
 * signature (that is the merge at joins and the loop fixpoint: a loop body is re-walked
 * only while it produces states not seen before). Work is bounded by a step budget and a
 * cap on distinct states per node, past which integer facts are forgotten.
 */

export interface ExecutorInput {
  fn: FunctionInfo;
  cfg: Cfg;
  scope: FunctionScope;
  events: EventContext;
  hooks: RuleHooks[];
  summary: FileSummary;
  maxSteps: number;
  /** The chosen platforms, whose memory models the ownership simulation runs. */
  platforms: readonly Platform[];
  /** The document as written (annotations not blanked), for struct layouts. */
  source?: string;
}

export interface ExecutorResult {
  truncated: boolean;
  steps: number;
}

const STATES_PER_NODE = 12;

/** The other name of a scatterlist: `sgt->sgl` for the table `sgt` (`x.sgl` for `&x`), and back. */
function sgTwin(ev: ApiCallEvent, loc: LocKey): LocKey | null {
  if (ev.api.family === 'sgtable') return loc.startsWith('&') ? `${loc.slice(1)}.sgl` : `${loc}->sgl`;
  if (ev.api.family !== 'sg') return null;
  const m = /^(.*)(->|\.)sgl$/.exec(loc);
  return m ? `${m[2] === '.' ? '&' : ''}${m[1]}` : null;
}


/**
 * Wall-clock budget per function, on top of the step budget: a function with thousands of
 * map calls makes each step expensive (measured: 8,000 calls took 37 s), and the editor
 * must never wait on one function for long.
 */
const MS_PER_FUNCTION = 2000;

export function execute(input: ExecutorInput): ExecutorResult {
  const ex = new Executor(input);
  return ex.run();
}

class Executor {
  private nextId = 1;
  private steps = 0;
  private readonly seen = new Map<number, Set<string>>();
  /** Per node, the signatures seen without their async_tx part. */
  private readonly seenCore = new Map<number, Set<string>>();
  private readonly eventCache = new Map<number, DmaEvent[]>();
  private readonly conditions = new Map<number, Cond>();

  private readonly coherenceOf: CoherenceTracker;
  /** Only for functions that name the async_tx API. */
  private readonly asyncTx: AsyncTxTracker | null;

  constructor(private readonly input: ExecutorInput) {
    const models = input.platforms.map(platformModel);
    this.coherenceOf = new CoherenceTracker(models, input.scope, (f) => this.hooks(f), (st, loc, ids) => this.bindLoc(st, loc, ids, true), input.source ?? '');
    this.asyncTx = ASYNC_TX_WORDS.test(input.fn.body.text) ? new AsyncTxTracker(chainOf(input.fn, () => input.cfg), models, (f) => this.hooks(f)) : null;
  }

  /** States were dropped past the per-node cap: some paths were never walked. */
  private dropped = false;

  run(): ExecutorResult {
    const result = this.walk();
    this.hooks((h) => h.onFunctionEnd?.(!result.truncated && !this.dropped));
    return result;
  }

  private walk(): ExecutorResult {
    const { cfg } = this.input;
    const work: { node: number; st: PathState }[] = [{ node: cfg.entry, st: new PathState() }];
    const started = Date.now();
    while (work.length > 0) {
      if (++this.steps > this.input.maxSteps) return { truncated: true, steps: this.steps };
      if ((this.steps & 255) === 0 && Date.now() - started > MS_PER_FUNCTION) return { truncated: true, steps: this.steps };
      const item = work.pop();
      if (!item) break;
      const node = cfg.nodes[item.node];
      const st = this.admit(node, item.st);
      if (!st) continue;
      for (const next of this.step(node, st)) work.push(next);
    }
    return { truncated: false, steps: this.steps };
  }

  /** Dedup by signature; past the per-node cap, forget integer facts before comparing. */
  private admit(node: CfgNode, st: PathState): PathState | null {
    let set = this.seen.get(node.id);
    if (!set) {
      set = new Set();
      this.seen.set(node.id, set);
    }
    let core = this.seenCore.get(node.id);
    if (!core) {
      core = new Set();
      this.seenCore.set(node.id, core);
    }
    let state = st;
    let sig = state.signature(true);
    if (set.has(sig)) return null;
    const coreSig = state.coreSignature();
    // past the cap, a state that differs from one already walked only in its async_tx part
    // is not walked: forgetting integer facts for it would open infeasible paths
    if (set.size >= STATES_PER_NODE && core.has(coreSig)) return null;
    core.add(coreSig);
    if (set.size >= STATES_PER_NODE) {
      // relations between locations (`src == dst`) are few and decide whole branches: kept;
      // so is what a branch said about a parameter the function never assigns (`frombio`):
      // it holds on every later iteration, and forgetting it joins exclusive branches
      const relations = new Map([...state.ints].filter(([k]) => k.startsWith('rel:') || this.isFixedParam(k)));
      state = state.with({ ints: relations, values: new Map() });
      sig = state.signature(true);
      if (set.size >= STATES_PER_NODE * 4) {
        this.dropped = true;
        return null;
      }
    }
    if (set.has(sig)) return null;
    set.add(sig);
    return state;
  }

  private step(node: CfgNode, st: PathState): { node: number; st: PathState }[] {
    const out = this.successors(node, st);
    for (const next of out) {
      const to = this.input.cfg.nodes[next.node];
      const edge = next.edge;
      if (to?.kind === 'label' && edge) this.hooks((h) => h.onLabelEntry?.({ label: to, from: node, edge }, next.st));
    }
    return out;
  }

  private successors(node: CfgNode, st: PathState): { node: number; st: PathState; edge?: CfgEdge }[] {
    const { cfg } = this.input;
    switch (node.kind) {
      case 'exit':
        return [];
      case 'stmt':
        st = this.applyEvents(node, st);
        break;
      case 'return': {
        const after = this.applyEvents(node, st);
        this.exit(node.syntax, node.value ?? null, after);
        return [];
      }
      case 'branch': {
        const after = this.applyEvents(node, st);
        const out: { node: number; st: PathState; edge: CfgEdge }[] = [];
        for (const e of node.succs) {
          if ((e.label === 'true' || e.label === 'false') && node.syntax) {
            const taken = e.label === 'true';
            for (const s of refine(this.conditionOf(node), taken, after, this.refineContext())) {
              out.push({ node: e.to, st: this.asyncTx ? this.asyncTx.refine(node.syntax, taken, s) : s, edge: e });
            }
          } else {
            out.push({ node: e.to, st: after, edge: e });
          }
        }
        return out;
      }
      default:
        break;
    }
    const out: { node: number; st: PathState; edge: CfgEdge }[] = [];
    for (const e of node.succs) {
      if (e.to === cfg.exit) this.exit(null, null, st);
      out.push({ node: e.to, st, edge: e });
    }
    return out;
  }

  private facts: Set<LocKey> | null = null;

  /**
   * Locations whose integer facts can matter: the ones returned (they decide error exits)
   * and the ones tested in a condition (flags like `mapped`). Tracking every assignment
   * would split paths no rule tells apart.
   */
  private factLocs(): Set<LocKey> {
    if (this.facts) return this.facts;
    const out = new Set<LocKey>();
    for (const n of this.input.cfg.nodes) {
      if (n.kind === 'return' && n.value) {
        const loc = valueLoc(n.value);
        if (loc !== null) out.add(loc);
      }
      if (n.kind === 'branch' && n.syntax) {
        for (const id of n.syntax.descendantsOfType(['identifier', 'field_expression', 'call_expression'])) {
          const loc = valueLoc(id);
          if (loc !== null) out.add(loc);
        }
        const loc = valueLoc(n.syntax);
        if (loc !== null) out.add(loc);
      }
    }
    this.facts = out;
    return out;
  }

  private conditionOf(node: CfgNode): Cond {
    let c = this.conditions.get(node.id);
    if (!c) {
      c = node.syntax ? compileCondition(node.syntax, this.input.events) : { k: 'opaque' };
      this.conditions.set(node.id, c);
    }
    return c;
  }

  private refineContext() {
    return {
      wrappers: this.input.events.wrappers,
      onTest: (t: ResultTest, s: PathState) => this.hooks((h) => h.onTest?.(t, s)),
    };
  }

  private hooks(f: (h: RuleHooks) => void): void {
    for (const h of this.input.hooks) f(h);
  }

  private exit(node: SyntaxNode | null, value: SyntaxNode | null, st: PathState): void {
    const returnedLocs: LocKey[] = [];
    let s = st;
    if (value) {
      const loc = valueLoc(value);
      if (loc !== null) {
        returnedLocs.push(loc);
        for (const r of s.recordsAt(loc)) s = s.updateRecord(r.id, { escaped: true, returnedToCaller: true });
        const via = s.resultOf.get(loc);
        if (via !== undefined) s = s.updateRecord(via.id, { returnedToCaller: true });
      }
    }
    this.coherenceOf.exiting(s);
    const obs: ExitObservation = {
      node,
      kind: node ? classifyExit(value, s, this.input.fn) : 'unknown',
      returnedLocs,
    };
    this.hooks((h) => h.onExit?.(obs, s));
  }

  private eventsOf(node: CfgNode): DmaEvent[] {
    const cached = this.eventCache.get(node.id);
    if (cached) return cached;
    const evs = node.syntax && node.syntax.type !== 'ERROR' ? extractEvents(node.syntax, this.input.events) : [];
    this.eventCache.set(node.id, evs);
    return evs;
  }

  private applyEvents(node: CfgNode, st: PathState): PathState {
    let s = st;
    for (const ev of this.eventsOf(node)) {
      switch (ev.kind) {
        case 'api':
          s = this.applyApi(ev, s);
          break;
        case 'assign':
          s = this.applyAssign(ev, s);
          break;
        case 'use':
          s = this.applyUse(ev, s);
          break;
        case 'cpu':
          s = this.coherenceOf.cpuAccess(ev, s);
          break;
        case 'view':
          s = this.coherenceOf.viewed(ev, s, s);
          break;
      }
    }
    return this.asyncTx ? this.asyncTx.apply(node.id, s) : s;
  }

  private isFixedParam(loc: LocKey): boolean {
    const v = this.input.scope.vars.get(loc);
    return !!v && v.param && !this.input.scope.isAssigned(loc);
  }

  /** A location that is one of this function's own (non-static) variables, not memory behind a pointer. */
  private isOwnVariable(loc: LocKey): boolean {
    // `sg_dma_address(sg) = h` writes the scatterlist entry sg points to
    if (loc.startsWith('*') || loc.startsWith('&') || loc.includes('->') || loc.startsWith('sg_dma_address(')) return false;
    const v = this.input.scope.vars.get(rootOf(loc));
    if (!v || v.param || v.isStatic || v.global) return false;
    // a local pointer indexed (`ring[i]` with `dma_addr_t *ring`) writes through the pointer
    return !(v.pointer && loc.includes('['));
  }

  private bindLoc(st: PathState, loc: LocKey, ids: number[], replace: boolean): PathState {
    const bind = new Map(st.bind);
    const old = replace ? [] : (bind.get(loc) ?? []);
    bind.set(loc, [...new Set([...old, ...ids])]);
    return st.with({ bind });
  }

  /** `p = next;` also forgets what `p->dma` and `p.x` held: they now name other memory. */
  private unbindLoc(st: PathState, loc: LocKey): PathState {
    const under = (key: LocKey) => {
      const k = key.replace(/^buf:@?/, '');
      return k === loc || k.startsWith(`${loc}->`) || k.startsWith(`${loc}.`) || k.startsWith(`${loc}[`);
    };
    const bindKeys = [...st.bind.keys()].filter(under);
    const resultKeys = [...st.resultOf.keys()].filter(under);
    if (bindKeys.length === 0 && resultKeys.length === 0) return st;
    const bind = new Map(st.bind);
    for (const k of bindKeys) bind.delete(k);
    const resultOf = new Map(st.resultOf);
    for (const k of resultKeys) resultOf.delete(k);
    return st.with({ bind, resultOf });
  }

  private keyLoc(ev: ApiCallEvent): LocKey | null {
    return subjectLoc(ev);
  }

  /** A record standing for a mapping some other function made. */
  private foreignRecord(st: PathState, ev: ApiCallEvent | null, loc: LocKey, at: SyntaxNode): { st: PathState; rec: MappingRecord } {
    const rec: MappingRecord = {
      id: this.nextId++,
      site: -at.startIndex - 1,
      api: ev?.api ?? FOREIGN_API,
      call: at,
      resultLoc: loc,
      status: 'ok',
      wrongTest: false,
      escaped: true,
      returnedToCaller: false,
      earlierIteration: false,
      managed: false,
      foreign: true,
    };
    const records = new Map(st.records);
    records.set(rec.id, rec);
    return { st: this.bindLoc(st.with({ records }), loc, [rec.id], true), rec };
  }

  private applyApi(ev: ApiCallEvent, st: PathState): PathState {
    this.hooks((h) => h.onApi?.(ev, st));
    switch (ev.api.kind) {
      case 'map':
      case 'alloc':
        return this.applyMap(ev, st);
      case 'unmap':
      case 'free':
        return this.applyRelease(ev, st);
      case 'sync':
        return this.applySync(ev, st);
      case 'check': {
        if (ev.returned) {
          // `return dma_mapping_error(dev, p->dma);`: the caller receives the verdict
          let s = st;
          for (const r of ev.args.handle?.loc ? st.recordsAt(ev.args.handle.loc) : []) s = s.updateRecord(r.id, { returnedToCaller: true });
          return s;
        }
        if (ev.result === null) return st;
        const loc = ev.args.handle?.loc;
        const rec = loc ? st.recordsAt(loc).find((r) => r.status !== 'released') : undefined;
        if (!rec) return st;
        const resultOf = new Map(st.resultOf);
        resultOf.set(ev.result, { id: rec.id, check: true });
        // `ret = dma_mapping_error(...)` checks through `ret`: the record itself stays as it is
        return this.unbindInts(st.with({ resultOf }), ev.result);
      }
      default:
        return st;
    }
  }

  private unbindInts(st: PathState, loc: LocKey): PathState {
    if (!st.ints.has(loc)) return st;
    const ints = new Map(st.ints);
    ints.delete(loc);
    return st.with({ ints });
  }

  private applyMap(ev: ApiCallEvent, st: PathState): PathState {
    let s = st;
    const site = ev.call.startIndex;
    const dirText = ev.args.dir?.text;
    const managed = ev.api.family === 'managed-coherent';
    // an earlier record of this site still live: an earlier loop iteration's mapping
    const records = new Map(s.records);
    for (const r of s.records.values()) {
      if (r.site !== site) continue;
      if (isLive(r) && !r.escaped && !r.earlierIteration) records.set(r.id, { ...r, earlierIteration: true });
      else records.delete(r.id);
    }
    s = s.with({ records });
    const rec: MappingRecord = {
      id: this.nextId++,
      site,
      api: ev.api,
      call: ev.call,
      dir: resolveDirection(ev.args.dir ? pathValue(ev.args.dir.node, s).text : undefined, this.input.scope),
      dirText,
      sizeText: ev.args.size?.text,
      sizeValue: resolveSize(ev.args.size?.text, this.input.scope),
      nentsText: ev.args.nents?.text,
      resultLoc: ev.result,
      status: 'unchecked',
      wrongTest: false,
      escaped: ev.returned,
      returnedToCaller: ev.returned,
      earlierIteration: false,
      managed,
      foreign: false,
    };
    const started = this.coherenceOf.mapped(ev, rec, s);
    Object.assign(rec, started.patch);
    s = started.st;
    const withRec = new Map(s.records);
    withRec.set(rec.id, rec);
    s = s.with({ records: withRec });
    const callRecord = new Map(s.callRecord);
    callRecord.set(site, rec.id);
    s = s.with({ callRecord });

    const key = this.keyLoc(ev);
    if (key !== null) s = this.bindLoc(s, key, [rec.id], !isIndexed(key));
    // an sg_table, or a scatterlist embedded in a long-lived object (`&port->sg_tx`), carries
    // its mapped state with it: whoever tears the object down unmaps it
    const embeddedList = ev.api.family === 'sg' && key !== null && key.startsWith('&');
    if ((ev.api.family === 'sgtable' || embeddedList) && key !== null && !this.isOwnVariable(key.replace(/^&/, ''))) {
      s = s.updateRecord(rec.id, { escaped: true });
    }
    if (ev.result !== null && !this.isOwnVariable(ev.result)) s = this.store(s, rec, ev.result, ev.resultNode ?? ev.call, false);
    if (ev.api.kind === 'alloc' && ev.args.handle?.loc) {
      const h = ev.args.handle.loc.startsWith('&') ? ev.args.handle.loc.slice(1) : ev.args.handle.loc;
      s = this.bindLoc(s, h, [rec.id], !isIndexed(h));
      if (!this.isOwnVariable(h)) s = this.store(s, s.records.get(rec.id) ?? rec, h, ev.call, false);
    }
    if (ev.result !== null && key !== ev.result) {
      // count of dma_map_sg, errno of dma_map_sgtable, CPU pointer of an allocation
      const resultOf = new Map(s.resultOf);
      resultOf.set(ev.result, { id: rec.id, check: false });
      s = this.unbindInts(s.with({ resultOf }), ev.result);
      if (ev.api.kind === 'alloc') s = this.bindLoc(s, ev.result, [rec.id], true);
    }
    const made = s.records.get(rec.id) ?? rec;
    this.hooks((h) => h.onMap?.(ev, made, s));
    return s;
  }

  /** The record a release or sync acts on: the live one if any, else the most telling. */
  private target(ev: ApiCallEvent, st: PathState): MappingRecord | undefined {
    const loc = this.keyLoc(ev);
    if (loc === null) return undefined;
    let recs = st.recordsAt(loc);
    // dma_free_coherent(dev, size, cpu, handle): the allocation is known by either
    if (recs.length === 0 && ev.api.kind === 'free' && ev.args.handle?.loc) recs = st.recordsAt(ev.args.handle.loc);
    // a list mapped as `sgt->sgl` and synced or unmapped as its table `sgt`, or the reverse
    const twin = recs.length === 0 ? sgTwin(ev, loc) : null;
    if (twin !== null) recs = st.recordsAt(twin);
    // several live mappings under one indexed location (`um->addr[]`): the one the call's
    // direction names is the likelier subject
    const dir = recs.length > 1 ? resolveDirection(ev.args.dir?.text, this.input.scope) : undefined;
    const sameDir = dir ? recs.find((r) => isLive(r) && r.dir === dir) : undefined;
    return sameDir ?? recs.find((r) => isLive(r)) ?? recs.find((r) => r.status === 'failed') ?? recs.find((r) => r.status === 'released');
  }

  private applyRelease(ev: ApiCallEvent, st: PathState): PathState {
    const loc = this.keyLoc(ev);
    let target = this.target(ev, st);
    let s = st;
    if (!target && loc !== null) {
      this.noteForeignRelease(ev, loc);
      ({ st: s, rec: target } = this.foreignRecord(s, ev, loc, ev.call));
      // nothing to compare a foreign mapping with here; the file summary does that
      return s.updateRecord(target.id, this.releasePatch(ev));
    }
    this.hooks((h) => h.onRelease?.(ev, target, s));
    if (!target || target.status === 'released') return s;
    s = this.coherenceOf.released(ev, target, s);
    return s.updateRecord(target.id, this.releasePatch(ev));
  }

  /**
   * A release or sync of a handle this function did not map: the file summary pairs it with
   * the map that stored the handle in the same struct field, in another function.
   */
  private noteForeignRelease(ev: ApiCallEvent, loc: LocKey): void {
    const key = summaryKey(loc, this.input.scope);
    if (!key) return;
    this.input.summary.addRelease({
      key,
      fn: this.input.fn.name,
      api: ev.api,
      dirText: ev.args.dir?.text,
      sizeText: ev.args.size?.text,
      nentsText: ev.args.nents?.text,
      dir: resolveDirection(ev.args.dir?.text, this.input.scope),
      sizeValue: resolveSize(ev.args.size?.text, this.input.scope),
      nentsKey: ev.args.nents?.loc ? (summaryKey(ev.args.nents.loc, this.input.scope) ?? undefined) : undefined,
      at: siteRange(ev.call),
      site: ev.call.startIndex,
    });
  }

  private releasePatch(ev: ApiCallEvent): Partial<MappingRecord> {
    const subject =
      ev.api.family === 'sg' || ev.api.family === 'sgtable' ? ev.args.buffer : ev.api.kind === 'free' ? (ev.args.buffer ?? ev.args.handle) : (ev.args.handle ?? ev.args.buffer);
    return {
      status: 'released',
      releasedAt: ev.call,
      releasedKind: ev.api.kind === 'free' ? 'free' : 'unmap',
      releasedText: subject?.text.replace(/\s+/g, ''),
    };
  }

  private applySync(ev: ApiCallEvent, st: PathState): PathState {
    const loc = this.keyLoc(ev);
    let target = this.target(ev, st);
    let s = st;
    if (!target && loc !== null) {
      this.noteForeignRelease(ev, loc);
      ({ st: s, rec: target } = this.foreignRecord(s, ev, loc, ev.call));
      return s;
    }
    this.hooks((h) => h.onSync?.(ev, target, s));
    return target ? this.coherenceOf.synced(ev, target, s) : s;
  }

  /**
   * `foo_realloc(hw)` may map `hw->tmp_dma` afresh: what this path knew to be released
   * (or never knew the origin of) below an argument of an unknown call is forgotten, so a
   * later sync of `hw->tmp_dma` is not taken for a use after unmap.
   */
  private forgetReleasedUnder(st: PathState, loc: LocKey): PathState {
    const base = loc.startsWith('&') ? loc.slice(1) : loc;
    let s = st;
    for (const k of [...st.bind.keys()]) {
      if (!(k.startsWith(`${base}->`) || k.startsWith(`${base}.`) || (loc.startsWith('&') && k === base))) continue;
      const recs = st.recordsAt(k);
      if (recs.length > 0 && recs.every((r) => r.status === 'released' || r.foreign)) s = this.unbindLoc(s, k);
    }
    return s;
  }

  /** A handle written to memory that outlives the function: a hand-off, and a use. */
  private store(st: PathState, rec: MappingRecord, loc: LocKey, node: SyntaxNode, report: boolean): PathState {
    const key = rec.foreign ? null : summaryKey(loc, this.input.scope);
    if (key) {
      this.input.summary.addStore({
        key,
        fn: this.input.fn.name,
        api: rec.api,
        dir: rec.dir,
        sizeText: rec.sizeText,
        sizeValue: rec.sizeValue,
        nentsText: rec.nentsText,
        at: siteRange(rec.call),
        site: rec.site,
      });
    }
    const use: HandleUse = { node, loc, how: 'store' };
    if (report) this.hooks((h) => h.onUse?.(use, rec, st));
    return st.updateRecord(rec.id, { escaped: true, storedAt: rec.status === 'unchecked' ? node : rec.storedAt });
  }

  private applyAssign(ev: AssignEvent, st: PathState): PathState {
    let s = st;
    const lhs = ev.lhs;
    const recs = ev.rhsLoc !== null ? s.recordsAt(ev.rhsLoc) : [];
    if (lhs !== null) {
      s = this.unbindLoc(s, lhs);
      s = this.assignInt(s, lhs, ev.rhs);
      s = this.assignValue(s, lhs, ev.rhs);
      if (ev.rhsLoc !== null && s.resultOf.has(ev.rhsLoc)) {
        const resultOf = new Map(s.resultOf);
        const link = s.resultOf.get(ev.rhsLoc);
        if (link) resultOf.set(lhs, link);
        s = s.with({ resultOf });
      }
    }
    if (lhs !== null && ev.rhs && this.isOwnVariable(lhs)) {
      // `u8 *p = buf + 4;` makes p another way to touch a mapped buffer
      const base = ev.rhs.type === 'binary_expression' ? valueLoc(ev.rhs.childForFieldName('left')) : ev.rhsLoc;
      const bufIds = base !== null ? s.bind.get(`buf:${base}`) : undefined;
      if (bufIds) s = this.bindLoc(s, `buf:${lhs}`, [...bufIds], true);
    }
    if (ev.view) s = this.coherenceOf.viewed(ev.view, st, s);
    if (recs.length === 0 && lhs !== null && ev.rhsLoc !== null && this.isOwnVariable(lhs) && !this.isOwnVariable(ev.rhsLoc) && this.holdsHandle(lhs)) {
      // `dma_addr_t h = priv->rx_dma[i];`: h and the field now name one (foreign) mapping
      const made = this.foreignRecord(s, null, ev.rhsLoc, ev.node);
      return this.bindLoc(made.st, lhs, [made.rec.id], true);
    }
    if (recs.length === 0) return s;
    if (lhs !== null && this.isOwnVariable(lhs)) {
      return this.bindLoc(s, lhs, recs.map((r) => r.id), !isIndexed(lhs));
    }
    for (const r of recs) {
      const cur = s.records.get(r.id) ?? r;
      s = this.store(s, cur, lhs ?? '?', ev.node, true);
      if (lhs !== null) s = this.bindLoc(s, lhs, [r.id], !isIndexed(lhs));
    }
    return s;
  }

  /** Remembers what a direction, handle or pointer local was last set to on this path. */
  private assignValue(st: PathState, lhs: LocKey, rhs: SyntaxNode | null): PathState {
    if (!/^\w+$/.test(lhs)) return st;
    const v = this.input.scope.vars.get(lhs);
    const tracked = !!v && !v.param && !v.global && !v.isStatic && !!rhs && this.telling(rhs, v.pointer);
    if (!tracked && !st.values.has(lhs)) return st;
    const values = new Map(st.values);
    if (tracked && rhs) values.set(lhs, rhs);
    else values.delete(lhs);
    return st.with({ values });
  }

  /**
   * Values worth remembering per path: a direction constant, or a pointer into static or
   * stack storage or from a physical-address function. Remembering every pointer
   * assignment would split paths that no rule tells apart.
   */
  private telling(rhs: SyntaxNode, pointer: boolean): boolean {
    const r = stripValue(rhs);
    if (/^(PCI_)?DMA_(TO_DEVICE|FROM_DEVICE|BIDIRECTIONAL|NONE|TODEVICE|FROMDEVICE)$/.test(r.text)) return true;
    if (r.type === 'call_expression') return PHYS_ADDRESS_FUNCTIONS.has(r.childForFieldName('function')?.text ?? '');
    if (!pointer) return false;
    if (r.type === 'string_literal') return true;
    const root = /^&?\s*(\w+)/.exec(r.text)?.[1];
    const d = root ? this.input.scope.lookup(root) : undefined;
    return !!d && !d.param && (d.global || d.isStatic || d.array || r.text.startsWith('&')) && !d.pointer;
  }

  /** `s = next;` ends what this path knew about `s == d`. */
  private forgetRelations(st: PathState, lhs: LocKey): PathState {
    let ints: Map<string, IntFact> | null = null;
    for (const k of st.ints.keys()) {
      if (!k.startsWith('rel:')) continue;
      if (k.slice(4).split('==').some((op) => op === lhs || op.startsWith(`${lhs}->`) || op.startsWith(`${lhs}.`))) {
        ints ??= new Map(st.ints);
        ints.delete(k);
      }
    }
    return ints ? st.with({ ints }) : st;
  }

  private holdsHandle(loc: LocKey): boolean {
    const v = this.input.scope.vars.get(rootOf(loc));
    return !!v && /^dma_addr_t$/.test(v.baseType) && !v.pointer;
  }

  private assignInt(st: PathState, lhs: LocKey, rhs: SyntaxNode | null): PathState {
    st = this.forgetRelations(st, lhs);
    if (!tracksFacts(lhs) || !this.factLocs().has(lhs)) return st;
    const text = rhs ? rhs.text.replace(/\s+/g, '') : '';
    let fact: IntFact | undefined;
    if (/^-E[A-Z0-9]+$|^-\d+$|^PTR_ERR\(/.test(text)) fact = 'neg';
    else if (text === '0' || text === 'false' || text === 'NULL') fact = 'zero';
    else if (text === 'true' || /^[1-9]\d*$/.test(text)) fact = 'nonzero';
    const ints = new Map(st.ints);
    if (fact) ints.set(lhs, fact);
    else ints.delete(lhs);
    return st.with({ ints });
  }

  private applyUse(ev: UseEvent, st: PathState): PathState {
    if (ev.how === 'neutral') return st;
    if (ev.how === 'hardware' && ev.loc === '') {
      this.coherenceOf.deviceKick(ev, st);
      return st;
    }
    let s = ev.how === 'call' ? this.forgetReleasedUnder(st, ev.loc) : st;
    for (const r of s.recordsAt(ev.loc)) {
      const use: HandleUse = { node: ev.node, loc: ev.loc, how: ev.how, callee: ev.callee };
      this.hooks((h) => h.onUse?.(use, r, s));
      // passed to another function: it may keep it (a hand-off we cannot see past)
      if (ev.how === 'call') s = s.updateRecord(r.id, { escaped: true });
    }
    return s;
  }
}

