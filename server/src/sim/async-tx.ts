import type { TraceStep } from '../../../shared/src/findings';
import { QUIESCE_CALLS } from '../asynctx/catalogue';
import { overlaps, rebinds, type Chain, type CompletionEvent, type CpuAccess, type DescAssign, type FlagsAssign, type InitEvent, type OpEvent, type PageRef, type Rebind } from '../asynctx/chain';
import { assignFlags, evalFlags, UNKNOWN_FLAGS } from '../asynctx/flags';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import { AsyncTxState, type OperandMapping, type OpRun, type SubmitFacts } from './async-state';
import { label } from './coherence';
import type { AsyncTxObservation, RuleHooks } from './hooks';
import { deviceAccess, deviceView, traceStep, transition, type Hazard, type MemState, type SimState } from './memory';
import { cpuAccess, mapped, streamingDirection, type Versions } from './ownership';
import type { PlatformModel, StreamingDirection } from './platform-types';
import type { PathState } from './state';

/**
 * The executor's async_tx side (DMA-SEMANTICS.md 5): it replays, on each path, the events
 * server/src/asynctx/chain.ts found in each CFG node. An `async_*` call maps every operand
 * page with the catalogue's direction (one mapping per operand, owned by the device from
 * the call, through the same memory models as dma_map_page); a wait for the op's
 * descriptor, or for a descriptor that depends on it, or a wait_for_completion(), or the
 * NULL descriptor of the synchronous path, completes it and ends those mappings. What the
 * models find is told to the rules through onAsyncTx.
 */
export class AsyncTxTracker {
  private versionCounter = 1;
  private readonly versions: Versions = { next: () => this.versionCounter++ };

  constructor(
    private readonly chain: Chain,
    private readonly models: readonly PlatformModel[],
    private readonly hooks: (f: (h: RuleHooks) => void) => void,
  ) {}

  private tell(obs: AsyncTxObservation, st: PathState): void {
    this.hooks((h) => h.onAsyncTx?.(obs, st));
  }

  /** The async_tx events of one CFG node, in order. */
  apply(cfgNode: number, st: PathState): PathState {
    const events = this.chain.at(cfgNode);
    if (events.length === 0) return st;
    let a = st.asyncTx;
    for (const ev of events) {
      const now = st.with({ asyncTx: a });
      switch (ev.kind) {
        case 'flags':
          a = this.assignFlagsVar(ev, a);
          break;
        case 'desc':
          a = this.assignDesc(ev, a);
          break;
        case 'init':
          a = this.init(ev, a, now);
          break;
        case 'op':
          a = this.submit(ev, a, now);
          break;
        case 'completion':
          a = this.complete(ev, a, now);
          break;
        case 'cpu':
          a = this.cpuAccess(ev, a, now);
          break;
        case 'rebind':
          a = this.rebind(ev, a);
          break;
      }
    }
    return st.with({ asyncTx: forgetUnreachable(a) });
  }

  /**
   * A branch on a descriptor (`if (!tx)`, `tx == NULL`, `if (tx)`): the side where it is NULL
   * is the synchronous path, where the op (after its dependencies) already ran in software.
   */
  refine(cond: SyntaxNode | null, taken: boolean, st: PathState): PathState {
    const test = cond ? nullTest(cond) : null;
    if (!test || test.nullWhen !== taken) return st;
    const key = st.asyncTx.descs.get(test.name);
    if (key === undefined || !st.asyncTx.runs.has(key)) return st;
    return st.with({ asyncTx: this.completeRun(st.asyncTx, key) });
  }

  private assignFlagsVar(ev: FlagsAssign, a: AsyncTxState): AsyncTxState {
    const flagVars = new Map(a.flagVars);
    flagVars.set(ev.name, assignFlags(a.flagVars.get(ev.name), ev.operator, ev.value, a.flagVars));
    return a.with({ flagVars });
  }

  /**
   * An operand's text now names another page (a loop moved on): the mapping made earlier
   * is still there, but nothing this function names any more can be that page.
   */
  private rebind(ev: Rebind, a: AsyncTxState): AsyncTxState {
    let runs: Map<string, OpRun> | null = null;
    for (const run of a.runs.values()) {
      const kept = run.mappings.filter((m) => !rebinds(m.page, ev.name, ev.whole));
      if (kept.length === run.mappings.length) continue;
      runs ??= new Map(a.runs);
      runs.set(run.key, { ...run, mappings: kept });
    }
    return runs ? a.with({ runs }) : a;
  }

  private assignDesc(ev: DescAssign, a: AsyncTxState): AsyncTxState {
    const descs = new Map(a.descs);
    const from = ev.from === null ? undefined : a.descs.get(ev.from);
    if (from === undefined) descs.delete(ev.name);
    else descs.set(ev.name, from);
    return a.with({ descs });
  }

  private init(ev: InitEvent, a: AsyncTxState, st: PathState): AsyncTxState {
    const flags = evalFlags(ev.flagsNode, a.flagVars);
    const depend = ev.dependKey === null ? null : (a.descs.get(ev.dependKey) ?? null);
    const run = depend === null ? null : (a.runs.get(depend) ?? null);
    this.tell({ kind: 'init', init: ev, flags, depend: run }, st);
    const submits = new Map(a.submits);
    submits.set(ev.submit, { init: ev, flags, depend });
    return a.with({ submits });
  }

  private submit(op: OpEvent, before: AsyncTxState, st: PathState): AsyncTxState {
    const key = String(op.call.startIndex);
    let a = this.retire(before, key);
    const facts: SubmitFacts | undefined = op.submit === null ? undefined : a.submits.get(op.submit);
    const flags = facts?.flags ?? UNKNOWN_FLAGS;
    const depend = facts?.depend ?? null;
    const producer = depend === null ? null : (a.runs.get(depend) ?? null);
    this.tell({ kind: 'submit', op, init: facts?.init ?? null, flags, depend: producer }, st);

    const mappings = this.mapOperands(op);
    for (const prior of a.runs.values()) {
      if (prior.done) continue;
      const stale = this.staleSnapshot(prior, op, mappings);
      if (stale) this.tell({ kind: 'stale-snapshot', op, producer: prior, ...stale }, st);
    }
    const runs = new Map(a.runs);
    runs.set(key, { key, op, init: facts?.init ?? null, flags, depend, done: false, mappings });
    a = a.with({ runs });
    if (op.descVar) {
      const descs = new Map(a.descs);
      descs.set(op.descVar, key);
      a = a.with({ descs });
    }
    return a;
  }

  /**
   * The same call again (a loop): a run of it still in flight becomes the previous
   * iteration's (key + `'`, replacing an older one), a completed one is forgotten, and
   * whatever named it follows.
   */
  private retire(a: AsyncTxState, key: string): AsyncTxState {
    const prev = a.runs.get(key);
    if (!prev) return a;
    const older = `${key}'`;
    const to = prev.done ? null : older;
    const runs = new Map(a.runs);
    runs.delete(key);
    if (to !== null) {
      runs.delete(older);
      runs.set(older, { ...prev, key: older });
    }
    const follow = (k: string | null) => (k === key ? to : k === older && to !== null ? older : k);
    for (const [k, r] of runs) if (r.depend === key) runs.set(k, { ...r, depend: follow(r.depend) });
    const descs = new Map<string, string>();
    for (const [name, k] of a.descs) {
      const f = follow(k);
      if (f !== null) descs.set(name, f);
    }
    const submits = new Map<string, SubmitFacts>();
    for (const [name, s] of a.submits) submits.set(name, s.depend === key ? { ...s, depend: follow(s.depend) } : s);
    return a.with({ runs, descs, submits });
  }

  /** One mapping per operand page, with the catalogue's direction: the device owns it now. */
  private mapOperands(op: OpEvent): OperandMapping[] {
    const out: OperandMapping[] = [];
    const add = (page: PageRef, role: OperandMapping['role']) => {
      const dir = streamingDirection(page.dir === 'none' ? undefined : page.dir);
      if (!dir) return;
      out.push({ page, dir, role, own: mapped(this.models, dir, false, label(op.call, `${op.spec.name}() maps ${pageName(page)} ${dir}`)) });
    };
    for (const p of op.writes) add(p, 'dest');
    for (const p of op.reads) add(p, 'source');
    return out;
  }

  /**
   * Does `op`'s device read a page `prior` writes from a copy taken before prior's result
   * reached it? The worst legal order: prior's engine has written (it may, any time before
   * it completes), then `op` maps the page; the models say where each device looks.
   */
  private staleSnapshot(prior: OpRun, op: OpEvent, mappings: readonly OperandMapping[]): { page: PageRef; hazards: Hazard[]; trace: readonly TraceStep[] } | null {
    for (const w of prior.mappings) {
      if (w.dir === 'DMA_TO_DEVICE') continue;
      for (const r of mappings) {
        if (r.dir === 'DMA_FROM_DEVICE' || !overlaps(w.page, r.page)) continue;
        const id = this.versions.next();
        const hazards: Hazard[] = [];
        const written: MemState[] = [];
        const snapped: MemState[] = [];
        this.models.forEach((model, i) => {
          const after = deviceAccess(model, w.own.sims[i], w.dir, id, true).state;
          written.push(after.mem);
          const snap = mapAgain(model, after, r.dir);
          snapped.push(snap.mem);
          if (deviceView(model, snap.mem).id !== snap.latest.id) {
            hazards.push({
              platform: model.name,
              kind: 'device-stale-read',
              detail: model.bounces
                ? `the bounce copy taken at this call holds the page from before ${prior.op.spec.name}() wrote it; that result reaches the page only when ${prior.op.spec.name}() completes`
                : 'the device reads the page without the earlier operation\u2019s write',
            });
          }
        });
        if (hazards.length === 0) continue;
        const trace = [
          ...w.own.trace,
          this.traceAt(prior.op.call, `the engine runs ${prior.op.spec.name}() and writes ${pageName(w.page)}`, written),
          this.traceAt(op.call, `${op.spec.name}() maps ${pageName(r.page)} ${r.dir}`, snapped),
        ];
        return { page: r.page, hazards, trace };
      }
    }
    return null;
  }

  private traceAt(node: SyntaxNode, event: string, mems: readonly MemState[]): TraceStep {
    const at = label(node, event);
    return {
      line: at.line,
      event: at.event,
      places: this.models.map((m, i) => {
        const t = traceStep(at.event, m.name, mems[i]);
        return { platform: t.platform, cache: t.cache, ram: t.ram, bounce: t.bounce };
      }),
    };
  }

  /** A wait: the run it names and every run that one depends on are complete; unmapped. */
  private complete(ev: CompletionEvent, a: AsyncTxState, st: PathState): AsyncTxState {
    if (ev.target === null) {
      let out = a;
      for (const k of a.runs.keys()) out = this.completeRun(out, k);
      return out;
    }
    const key = a.descs.get(ev.target);
    if (key === undefined) return a;
    const run = a.runs.get(key);
    if (run) this.tell({ kind: 'wait', completion: ev, run }, st);
    let out = this.completeRun(a, key);
    // async_tx_quiesce(&tx) sets tx to NULL
    if (QUIESCE_CALLS.get(ev.how.replace(/\(\)$/, ''))?.addressOf) {
      const descs = new Map(out.descs);
      descs.delete(ev.target);
      out = out.with({ descs });
    }
    return out;
  }

  private completeRun(a: AsyncTxState, key: string): AsyncTxState {
    const runs = new Map(a.runs);
    const seen = new Set<string>();
    for (let k: string | null = key; k !== null && !seen.has(k); ) {
      seen.add(k);
      const r = runs.get(k);
      if (!r) break;
      if (!r.done) runs.set(k, { ...r, done: true, mappings: [] });
      k = r.depend;
    }
    return a.with({ runs });
  }

  /** The CPU touching an operand page while an op that mapped it is in flight. */
  private cpuAccess(x: CpuAccess, a: AsyncTxState, st: PathState): AsyncTxState {
    let runs: Map<string, OpRun> | null = null;
    for (const run of a.runs.values()) {
      if (run.done) continue;
      let mappings: OperandMapping[] | null = null;
      run.mappings.forEach((m, i) => {
        if (!overlaps(m.page, x.page)) return;
        const step = cpuAccess(this.models, m.own, !x.write, x.write, this.versions, label(x.node, `CPU ${x.write ? 'writes' : 'reads'} ${x.node.text.slice(0, 40)}`));
        mappings ??= [...run.mappings];
        mappings[i] = { ...m, own: step.own };
        if (step.hazards.length > 0) this.tell({ kind: 'cpu-access-in-flight', access: x, run, mapping: m, hazards: step.hazards, trace: step.proof ?? step.own.trace }, st);
      });
      if (mappings) {
        runs ??= new Map(a.runs);
        runs.set(run.key, { ...run, mappings });
      }
    }
    return runs ? a.with({ runs }) : a;
  }
}

/**
 * A run nothing can reach any more is dropped: no page it mapped is still named, and no
 * descriptor variable or submit control holds it. Keeping it would only split states (a
 * loop would carry every earlier iteration's flags) without changing any answer.
 */
function forgetUnreachable(a: AsyncTxState): AsyncTxState {
  const held = new Set<string>([...a.descs.values()]);
  for (const s of a.submits.values()) if (s.depend !== null) held.add(s.depend);
  let runs: Map<string, OpRun> | null = null;
  for (const r of a.runs.values()) {
    if (r.mappings.length > 0 || held.has(r.key)) continue;
    runs ??= new Map(a.runs);
    runs.delete(r.key);
  }
  return runs ? a.with({ runs }) : a;
}

/** A second mapping of the page, taken now: the map transition from what the page holds. */
function mapAgain(model: PlatformModel, page: SimState, dir: StreamingDirection): SimState {
  const start: SimState = { mem: { cache: page.mem.cache, ram: page.mem.ram, bounce: null }, latest: page.latest };
  return transition(model, start, 'map', dir, false).state;
}

function pageName(p: PageRef): string {
  return p.list ? `a page of '${p.list}'` : `'${p.node.text}'`;
}

/** `!tx`, `tx == NULL`, `NULL != tx`, `tx`: which variable, and on which side it is NULL. */
function nullTest(cond: SyntaxNode): { name: string; nullWhen: boolean } | null {
  let n = stripValue(cond);
  if (n.type === 'condition_clause') n = stripValue(n.namedChildren[0] ?? n);
  if (n.type === 'identifier') return { name: n.text, nullWhen: false };
  if (n.type === 'unary_expression' && n.child(0)?.text === '!') {
    const arg = n.childForFieldName('argument');
    const inner = arg ? stripValue(arg) : null;
    return inner?.type === 'identifier' ? { name: inner.text, nullWhen: true } : null;
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    if (op !== '==' && op !== '!=') return null;
    const l = stripValue(n.childForFieldName('left') ?? n);
    const r = stripValue(n.childForFieldName('right') ?? n);
    const isNull = (x: SyntaxNode) => x.text === 'NULL' || x.text === '0';
    const v = l.type === 'identifier' && isNull(r) ? l : r.type === 'identifier' && isNull(l) ? r : null;
    return v ? { name: v.text, nullWhen: op === '==' } : null;
  }
  return null;
}
