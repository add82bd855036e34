import type { Cfg, CfgNode, FunctionInfo } from '../c/cfg-types';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import {
  ASYNC_OP_BY_NAME,
  COMPLETION_WAITS,
  CPU_COPY_CALLS,
  INIT_SUBMIT,
  KNOWN_FLAG_NAMES,
  PAGE_MAPPERS,
  QUIESCE_CALLS,
  type AsyncDir,
  HARD_IRQ_REGISTRARS,
  type AsyncOpSpec,
  type ListOperand,
} from './catalogue';

/**
 * async_tx chain extraction for one function.
 *
 * The walk is path-insensitive: it visits the CFG's evaluated nodes in source order (a
 * loop body once) and evaluates each statement's calls and assignments inside-out. It
 * tracks, per variable, which page a name stands for (`dq = blocks[faila]`), the slots of
 * `struct page *` arrays (`srcs[0] = dq`, `xor_srcs[count++] = ...`) and small integer
 * counters: that is how operand pages are named. Each event records its CFG node; the
 * executor replays the events node by node on every path (server/src/sim/async-tx.ts),
 * which is where flags values, depend_tx links, completions and mapped pages become path
 * facts. The static links kept here (the last `init_async_submit()` per submit variable,
 * the operation that last assigned each descriptor variable, `before` = reachable without
 * a back edge) serve the rules that ask about the chain's structure.
 */

/** A page as a rule sees it: normalised text, or "some slot of list L" when unknown. */
export interface PageRef {
  key: string;
  /** Set for a slot of a list whose contents are not known: overlaps any slot of the list. */
  list?: string;
  node: SyntaxNode;
  /** For an operand: the direction the operation maps it with (catalogue.ts). */
  dir?: AsyncDir;
  /** For an operand: the variables whose reassignment makes the expression name another page. */
  deps?: readonly string[];
}

export interface InitEvent {
  kind: 'init';
  call: SyntaxNode;
  order: number;
  cfg: number;
  submit: string;
  flags: Set<string>;
  /** False when the flags expression names something other than ASYNC_TX_* and 0. */
  flagsKnown: boolean;
  flagsNode: SyntaxNode;
  /** The depend_tx expression, null for NULL. */
  depend: SyntaxNode | null;
  dependKey: string | null;
  /** Identity of the descriptor depend_tx holds: `op#N` or `ext:<key>#<version>`. */
  dependId: string | null;
  dependProducer: OpEvent | null;
  callback: string | null;
}

export interface OpEvent {
  kind: 'op';
  id: number;
  spec: AsyncOpSpec;
  call: SyntaxNode;
  order: number;
  cfg: number;
  submit: string | null;
  init: InitEvent | null;
  reads: PageRef[];
  writes: PageRef[];
  /** Variable the returned descriptor is stored in. */
  descVar: string | null;
  /** For xor ops: what is known of the source list. */
  xor?: { dest: PageRef; sources: PageRef[] | null; first: string | null; listNode: SyntaxNode };
}

export interface CompletionEvent {
  kind: 'completion';
  call: SyntaxNode;
  order: number;
  cfg: number;
  /** quiesce / dma_wait_for_async_tx: the descriptor waited for; null for wait_for_completion. */
  target: string | null;
  targetNode: SyntaxNode | null;
  producer: OpEvent | null;
  how: string;
}

export interface CpuAccess {
  kind: 'cpu';
  node: SyntaxNode;
  order: number;
  cfg: number;
  page: PageRef;
  write: boolean;
}

/**
 * An assignment to a variable that init_async_submit() takes its flags from
 * (`flags = ASYNC_TX_ACK;`, `flags |= ASYNC_TX_FENCE;`): the executor evaluates it per path.
 */
export interface FlagsAssign {
  kind: 'flags';
  node: SyntaxNode;
  order: number;
  cfg: number;
  name: string;
  /** `=` (also a declaration's initialiser), `|=` or `&=`; `none` for a declaration without one. */
  operator: '=' | '|=' | '&=' | 'none';
  value: SyntaxNode | null;
}

/** An assignment to a descriptor variable that is not an async_* call (`tx = NULL`, `tx = t2`). */
export interface DescAssign {
  kind: 'desc';
  node: SyntaxNode;
  order: number;
  cfg: number;
  name: string;
  /** The descriptor variable copied (`tx = t2`), null for anything else. */
  from: string | null;
}

/**
 * An assignment that may make an operand expression of an earlier op name another page
 * (`bio_page = bvl.bv_page`, `k++` for `pages[k]`, `*page = p`): in a loop, the op of the
 * previous iteration mapped a page this text no longer names.
 */
export interface Rebind {
  kind: 'rebind';
  node: SyntaxNode;
  order: number;
  cfg: number;
  /** A variable (matched against operands' deps), or the text of another lvalue (matched whole). */
  name: string;
  whole: boolean;
}

export type ChainEvent = InitEvent | OpEvent | CompletionEvent | CpuAccess | FlagsAssign | DescAssign | Rebind;

export interface Chain {
  events: ChainEvent[];
  ops: OpEvent[];
  inits: InitEvent[];
  completions: CompletionEvent[];
  cpu: CpuAccess[];
  /** a is before b: reachable in the CFG without back edges (same node: source order). */
  before(a: { cfg: number; order: number }, b: { cfg: number; order: number }): boolean;
  /** The events of one CFG node, in evaluation order (what the executor replays on each path). */
  at(cfg: number): readonly ChainEvent[];
}

const norm = (s: string) => s.replace(/\s+/g, '');

const EVALUATED: ReadonlySet<CfgNode['kind']> = new Set(['stmt', 'branch', 'return']);

function callName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' ? fn.text : '';
}

function argsOf(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
}

function isNull(n: SyntaxNode): boolean {
  const t = norm(stripValue(n).text);
  return t === 'NULL' || t === '0';
}

function insideLoop(node: SyntaxNode, body: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n && n.id !== body.id; n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement' || n.type === 'do_statement') return true;
  }
  return false;
}

interface ListState {
  slots: Map<string, PageRef>;
  /** A slot was assigned with an index the walk could not evaluate. */
  unknownSlots: boolean;
}

export function extractChain(fn: FunctionInfo, cfg: Cfg): Chain {
  const aliases = new Map<string, string>();
  const ptrAliases = new Map<string, PageRef>();
  const lists = new Map<string, ListState>();
  const ints = new Map<string, number | undefined>();
  const lastInit = new Map<string, InitEvent>();
  const descs = new Map<string, { producer: OpEvent | null; version: number }>();
  const events: ChainEvent[] = [];
  let opId = 0;
  let cfgId = 0;

  const descIdOf = (key: string): { id: string; producer: OpEvent | null } => {
    const d = descs.get(key);
    if (d?.producer) return { id: `op#${d.producer.id}`, producer: d.producer };
    return { id: `ext:${key}#${d?.version ?? 0}`, producer: null };
  };
  const assignDesc = (key: string, producer: OpEvent | null) => {
    const d = descs.get(key);
    descs.set(key, { producer, version: (d?.version ?? 0) + 1 });
  };

  const pageKey = (expr: SyntaxNode): string => {
    const n = stripValue(expr);
    if (n.type === 'identifier') return aliases.get(n.text) ?? n.text;
    if (n.type === 'subscript_expression') {
      const base = n.childForFieldName('argument');
      const index = n.childForFieldName('index');
      if (base && index) {
        const b = norm(stripValue(base).text);
        const idx = intValue(index);
        const slot = lists.get(b)?.slots.get(idx === undefined ? norm(index.text) : String(idx));
        if (slot && !slot.list) return slot.key;
        return `${b}[${idx === undefined ? norm(index.text) : String(idx)}]`;
      }
    }
    if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
      const arg = n.childForFieldName('argument');
      if (arg) return `&${pageKey(arg)}`;
    }
    return norm(n.text);
  };

  /** Value of an integer expression; evaluates `c++` (and increments c). */
  function intValue(index: SyntaxNode): number | undefined {
    const n = stripValue(index);
    if (/^\d+$/.test(n.text)) return Number(n.text);
    if (n.type === 'identifier') return ints.get(n.text);
    if (n.type === 'update_expression') {
      const arg = n.childForFieldName('argument');
      if (arg?.type !== 'identifier') return undefined;
      const v = ints.get(arg.text);
      const post = n.child(0)?.id === arg.id;
      const inc = n.text.includes('++') ? 1 : -1;
      const next = v === undefined || insideLoop(n, fn.body) ? undefined : v + inc;
      ints.set(arg.text, next);
      return post ? v : next;
    }
    return undefined;
  }

  const listOf = (key: string): ListState => {
    let l = lists.get(key);
    if (!l) {
      l = { slots: new Map(), unknownSlots: false };
      lists.set(key, l);
    }
    return l;
  };

  /** Pages of a list operand: known slots, and a symbolic slot unless the list is fully known. */
  const listPages = (op: ListOperand, args: SyntaxNode[], forDest: boolean): { pages: PageRef[]; complete: boolean } => {
    const arg = args[op.arg];
    if (!arg) return { pages: [], complete: false };
    const key = norm(stripValue(arg).text);
    const l = lists.get(key);
    const countArg = op.countArg === null ? undefined : args[op.countArg];
    const count = countArg ? intValue(countArg) : undefined;
    if (forDest && op.destTail) {
      const out: PageRef[] = [];
      for (const t of op.destTail) {
        const byCount = count !== undefined ? l?.slots.get(String(count - t.fromEnd)) : undefined;
        const byText = countArg ? l?.slots.get(norm(`${countArg.text}-${t.fromEnd}`)) : undefined;
        const slot = byCount ?? byText;
        out.push(slot && !slot.list ? slot : { key: `${key}[${countArg ? norm(countArg.text) : 'n'}-${t.fromEnd}]`, list: key, node: arg });
      }
      return { pages: out, complete: false };
    }
    const pages: PageRef[] = [];
    let complete = false;
    if (l && count !== undefined && !l.unknownSlots) {
      complete = true;
      for (let i = 0; i < count; i++) {
        const s = l.slots.get(String(i));
        if (!s) complete = false;
        else if (s.key !== 'NULL') pages.push(s);
      }
    } else if (l) {
      for (const s of l.slots.values()) if (s.key !== 'NULL') pages.push(s);
    }
    if (!complete) pages.push({ key: `${key}[]`, list: key, node: arg });
    return { pages, complete };
  };

  const { flagNames, descNames } = variablesOf(fn.body);

  // the nodes whose syntax the executor evaluates (a label's syntax spans the statement it
  // labels, which is a node of its own)
  const cfgOrder = [...cfg.nodes].filter((n) => n.syntax && EVALUATED.has(n.kind)).sort((a, b) => (a.syntax?.startIndex ?? 0) - (b.syntax?.startIndex ?? 0));
  const seen = new Set<number>();

  const assignTo = (left: SyntaxNode, right: SyntaxNode | null, at: SyntaxNode) => {
    const l = stripValue(left);
    let r = right ? stripValue(right) : null;
    // `a = b[i] = x`: a gets x
    while (r?.type === 'assignment_expression') {
      const inner = r.childForFieldName('right');
      r = inner ? stripValue(inner) : null;
    }
    const loop = insideLoop(at, fn.body);
    if (l.type === 'identifier') {
      const name = l.text;
      noteVariable(name, at, right);
      // integers
      if (r && /^\d+$/.test(r.text) && !loop) ints.set(name, Number(r.text));
      else ints.set(name, undefined);
      // descriptors
      const opCall = r?.type === 'call_expression' ? ASYNC_OP_BY_NAME.get(callName(r)) : undefined;
      if (opCall && r) {
        const op = events.find((e): e is OpEvent => e.kind === 'op' && e.call.id === r.id);
        if (op) op.descVar = name;
        assignDesc(name, op ?? null);
      } else {
        assignDesc(name, null);
      }
      // pages and CPU pointers
      if (r && r.type === 'call_expression' && PAGE_MAPPERS.has(callName(r))) {
        const a = argsOf(r)[0];
        if (a) ptrAliases.set(name, { key: pageKey(a), node: a });
        aliases.delete(name);
      } else if (r && r.type === 'binary_expression' && r.childForFieldName('left')?.type === 'call_expression' && PAGE_MAPPERS.has(callName(stripValue(r.childForFieldName('left') as SyntaxNode)))) {
        const a = argsOf(stripValue(r.childForFieldName('left') as SyntaxNode))[0];
        if (a) ptrAliases.set(name, { key: pageKey(a), node: a });
      } else if (r && (r.type === 'identifier' || r.type === 'subscript_expression' || r.type === 'field_expression' || r.type === 'pointer_expression')) {
        aliases.set(name, pageKey(r));
        ptrAliases.delete(name);
        if (lists.has(name)) lists.delete(name);
      } else {
        aliases.delete(name);
        ptrAliases.delete(name);
        lists.delete(name);
      }
      return;
    }
    if (l.type === 'subscript_expression') {
      const base = l.childForFieldName('argument');
      const index = l.childForFieldName('index');
      if (!base || !index) return;
      events.push({ kind: 'rebind', node: at, order: at.startIndex, cfg: cfgId, name: norm(stripValue(base).text), whole: false });
      const list = listOf(norm(stripValue(base).text));
      const idx = loop ? undefined : intValue(index);
      if (loop) intValue(index);
      const page: PageRef = r ? { key: pageKey(r), node: r } : { key: '?', node: l };
      if (idx === undefined) {
        list.unknownSlots = true;
        list.slots.set(norm(index.text), page);
      } else {
        list.slots.set(String(idx), page);
      }
      return;
    }
    const key = norm(l.text);
    events.push({ kind: 'rebind', node: at, order: at.startIndex, cfg: cfgId, name: key, whole: true });
    assignDesc(key, null);
  };

  /** Flags and descriptor variables: their values are path facts, replayed by the executor. */
  const noteVariable = (name: string, at: SyntaxNode, right: SyntaxNode | null) => {
    events.push({ kind: 'rebind', node: at, order: at.startIndex, cfg: cfgId, name, whole: false });
    const opText = at.type === 'assignment_expression' ? (at.childForFieldName('operator')?.text ?? '=') : '=';
    if (flagNames.has(name)) {
      // `flags |= X` reaches here with no right side (it is not a copy): take X from the node
      const value = at.type === 'assignment_expression' ? at.childForFieldName('right') : right;
      const operator = opText === '|=' || opText === '&=' ? opText : opText === '=' ? (value ? '=' : 'none') : null;
      events.push({ kind: 'flags', node: at, order: at.startIndex, cfg: cfgId, name, operator: operator ?? '=', value: operator ? value : null });
    }
    const r = right ? stripValue(right) : null;
    if (descNames.has(name) && !(r?.type === 'call_expression' && ASYNC_OP_BY_NAME.has(callName(r)))) {
      events.push({ kind: 'desc', node: at, order: at.startIndex, cfg: cfgId, name, from: r?.type === 'identifier' ? r.text : null });
    }
  };

  const handleCall = (call: SyntaxNode, cfgNode: number) => {
    const name = callName(call);
    const args = argsOf(call);
    const order = call.startIndex;
    if (name === INIT_SUBMIT.name && args.length >= 4) {
      const submit = pageKey(args[INIT_SUBMIT.submitArg]).replace(/^&/, '');
      const flagsNode = args[INIT_SUBMIT.flagsArg];
      const ids = flagsNode.descendantsOfType('identifier').map((n) => n.text);
      const flags = new Set(ids.filter((i) => KNOWN_FLAG_NAMES.has(i)));
      const flagsKnown = ids.every((i) => KNOWN_FLAG_NAMES.has(i)) && !/[a-z]/.test(flagsNode.text.replace(/ASYNC_TX_\w+/g, ''));
      const dependNode = args[INIT_SUBMIT.dependArg];
      const depend = isNull(dependNode) ? null : dependNode;
      const dependKey = depend ? pageKey(depend) : null;
      const d = dependKey ? descIdOf(dependKey) : null;
      const cb = args[INIT_SUBMIT.callbackArg] ? stripValue(args[INIT_SUBMIT.callbackArg]) : null;
      const ev: InitEvent = {
        kind: 'init',
        call,
        order,
        cfg: cfgNode,
        submit,
        flags,
        flagsKnown,
        flagsNode,
        depend,
        dependKey,
        dependId: d?.id ?? null,
        dependProducer: d?.producer ?? null,
        callback: cb && cb.type === 'identifier' && cb.text !== 'NULL' ? cb.text : null,
      };
      lastInit.set(submit, ev);
      events.push(ev);
      return;
    }
    const spec = ASYNC_OP_BY_NAME.get(name);
    if (spec) {
      const submitNode = args[spec.submitArg];
      const submit = submitNode ? pageKey(submitNode).replace(/^&/, '') : null;
      const reads: PageRef[] = [];
      const writes: PageRef[] = [];
      let listInfo: { pages: PageRef[]; complete: boolean } | null = null;
      for (const o of spec.sources) {
        if (o.kind === 'page') {
          if (args[o.arg] && !isNull(args[o.arg])) reads.push({ key: pageKey(args[o.arg]), node: args[o.arg], dir: o.dir });
        } else {
          listInfo = listPages(o, args, false);
          reads.push(...listInfo.pages.map((p) => ({ ...p, dir: o.dir })));
        }
      }
      for (const o of spec.dests) {
        if (o.kind === 'page') {
          if (args[o.arg] && !isNull(args[o.arg])) writes.push({ key: pageKey(args[o.arg]), node: args[o.arg], dir: o.dir });
        } else {
          // P and Q of a syndrome are the list's tail slots, in destTail order
          const tail = o.destTail;
          writes.push(...listPages(o, args, true).pages.map((p, i) => ({ ...p, dir: tail?.[i]?.dir ?? o.dir })));
        }
      }
      for (const p of [...reads, ...writes]) p.deps = depsOf(p);
      const op: OpEvent = { kind: 'op', id: opId++, spec, call, order, cfg: cfgNode, submit, init: submit ? (lastInit.get(submit) ?? null) : null, reads, writes, descVar: null };
      if ((name === 'async_xor' || name === 'async_xor_offs') && writes[0]) {
        const listArg = args[(spec.sources[0] as ListOperand).arg];
        const first = listArg ? (lists.get(norm(stripValue(listArg).text))?.slots.get('0')?.key ?? null) : null;
        op.xor = { dest: writes[0], sources: listInfo?.complete ? listInfo.pages : null, first, listNode: listArg };
      }
      events.push(op);
      return;
    }
    const q = QUIESCE_CALLS.get(name);
    if (q && args[q.arg]) {
      let t = stripValue(args[q.arg]);
      if (q.addressOf) {
        if (t.type === 'pointer_expression' && t.child(0)?.text === '&') t = t.childForFieldName('argument') ?? t;
        else return;
      }
      const key = pageKey(t);
      const d = descIdOf(key);
      events.push({ kind: 'completion', call, order, cfg: cfgNode, target: key, targetNode: t, producer: d.producer, how: `${name}()` });
      if (q.addressOf) assignDesc(key, null);
      return;
    }
    if (COMPLETION_WAITS.test(name)) {
      events.push({ kind: 'completion', call, order, cfg: cfgNode, target: null, targetNode: null, producer: null, how: `${name}()` });
      return;
    }
    const copy = CPU_COPY_CALLS.get(name);
    if (copy) {
      const pageOf = (a: SyntaxNode): PageRef | null => {
        let n = stripValue(a);
        if (n.type === 'binary_expression') n = stripValue(n.childForFieldName('left') ?? n);
        if (n.type === 'call_expression' && PAGE_MAPPERS.has(callName(n))) {
          const p = argsOf(n)[0];
          return p ? { key: pageKey(p), node: p } : null;
        }
        if (n.type === 'identifier') return ptrAliases.get(n.text) ?? null;
        return null;
      };
      for (const [idxs, write] of [[copy.write, true], [copy.read, false]] as const) {
        for (const i of idxs) {
          const a = args[i];
          const p = a ? pageOf(a) : null;
          if (a && p) events.push({ kind: 'cpu', node: a, order: a.startIndex, cfg: cfgNode, page: p, write });
        }
      }
    }
  };

  const visit = (node: SyntaxNode): void => {
    if (seen.has(node.id)) return;
    if (node.type === 'assignment_expression') {
      seen.add(node.id);
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (right) visit(right);
      if (left && left.type !== 'identifier') for (const c of left.namedChildren) if (c.type === 'call_expression') visit(c);
      if (left) assignTo(left, node.childForFieldName('operator')?.text === '=' ? right : null, node);
      return;
    }
    if (node.type === 'init_declarator') {
      seen.add(node.id);
      const value = node.childForFieldName('value');
      if (value) visit(value);
      let decl = node.childForFieldName('declarator');
      while (decl && decl.type !== 'identifier') decl = decl.childForFieldName('declarator');
      if (decl) assignTo(decl, value, node);
      return;
    }
    if (node.type === 'declaration') {
      for (const d of node.childrenForFieldName('declarator')) {
        if (d.type === 'identifier' && flagNames.has(d.text)) noteVariable(d.text, d, null);
        else visit(d);
      }
      return;
    }
    if (node.type === 'update_expression') {
      seen.add(node.id);
      const arg = node.childForFieldName('argument');
      if (arg?.type === 'identifier') {
        events.push({ kind: 'rebind', node, order: node.startIndex, cfg: cfgId, name: arg.text, whole: false });
        const v = ints.get(arg.text);
        ints.set(arg.text, v === undefined || insideLoop(node, fn.body) ? undefined : v + (node.text.includes('++') ? 1 : -1));
      }
      return;
    }
    if (node.type === 'call_expression') {
      seen.add(node.id);
      for (const a of argsOf(node)) visit(a);
      handleCall(node, cfgId);
      return;
    }
    if (node.type === 'function_definition') return;
    for (const c of node.namedChildren) visit(c);
  };

  for (const n of cfgOrder) {
    cfgId = n.id;
    if (n.syntax) visit(n.syntax);
  }

  // reachability without back edges
  const reach = new Map<number, Set<number>>();
  const reachFrom = (start: number): Set<number> => {
    const cached = reach.get(start);
    if (cached) return cached;
    const out = new Set<number>();
    const stack = [start];
    while (stack.length) {
      const cur = stack.pop() as number;
      for (const e of cfg.nodes[cur]?.succs ?? []) {
        if (e.back || out.has(e.to)) continue;
        out.add(e.to);
        stack.push(e.to);
      }
    }
    reach.set(start, out);
    return out;
  };
  const before = (a: { cfg: number; order: number }, b: { cfg: number; order: number }) =>
    a.cfg === b.cfg ? a.order < b.order : reachFrom(a.cfg).has(b.cfg);

  const ops = events.filter((e): e is OpEvent => e.kind === 'op');
  // only assignments that touch an operand expression matter
  const operandDeps = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'op') continue;
    for (const p of [...e.reads, ...e.writes]) {
      for (const d of p.deps ?? []) operandDeps.add(d);
      operandDeps.add(p.key);
      operandDeps.add(norm(p.node.text));
    }
  }
  const byNode = new Map<number, ChainEvent[]>();
  for (const e of events) {
    if (e.kind === 'rebind' && !operandDeps.has(e.name)) continue;
    byNode.set(e.cfg, [...(byNode.get(e.cfg) ?? []), e]);
  }
  for (const list of byNode.values()) list.sort((a, b) => a.order - b.order);
  return {
    events,
    ops,
    inits: events.filter((e): e is InitEvent => e.kind === 'init'),
    completions: events.filter((e): e is CompletionEvent => e.kind === 'completion'),
    cpu: events.filter((e): e is CpuAccess => e.kind === 'cpu'),
    before,
    at: (id) => byNode.get(id) ?? [],
  };
}

/**
 * Names whose value is a path fact: flags variables (an identifier in a flags argument of
 * init_async_submit()) and descriptor variables (assigned an async_* result).
 */
function variablesOf(body: SyntaxNode): { flagNames: Set<string>; descNames: Set<string> } {
  const flagNames = new Set<string>();
  const descNames = new Set<string>();
  for (const call of body.descendantsOfType('call_expression')) {
    const name = callName(call);
    if (name === INIT_SUBMIT.name) {
      const flags = argsOf(call)[INIT_SUBMIT.flagsArg];
      for (const id of flags?.descendantsOfType('identifier') ?? []) if (!KNOWN_FLAG_NAMES.has(id.text)) flagNames.add(id.text);
      if (flags?.type === 'identifier' && !KNOWN_FLAG_NAMES.has(flags.text)) flagNames.add(flags.text);
      continue;
    }
    if (!ASYNC_OP_BY_NAME.has(name)) continue;
    const parent = call.parent;
    const target = parent?.type === 'assignment_expression' ? parent.childForFieldName('left') : parent?.type === 'init_declarator' ? parent.childForFieldName('declarator') : null;
    if (target?.type === 'identifier') descNames.add(target.text);
  }
  return { flagNames, descNames };
}

/** One chain per function, shared by the executor (which replays it per path) and the rules. */
const chains = new WeakMap<FunctionInfo, Chain>();
export function chainOf(fn: FunctionInfo, cfg: () => Cfg): Chain {
  let c = chains.get(fn);
  if (!c) {
    c = extractChain(fn, cfg());
    chains.set(fn, c);
  }
  return c;
}

/**
 * The variables an operand's text is built from (not field names). Not its resolved key:
 * `dp = blocks[faila]; blocks[faila] = NULL;` leaves dp naming the same page.
 */
function depsOf(p: PageRef): string[] {
  const ids = p.node.text.match(/(?<![.>\w])[A-Za-z_]\w*/g) ?? [];
  return [...new Set(ids.filter((i) => i !== 'NULL'))];
}

/** Does an assignment to `name` (a variable, or a whole lvalue) change which page `p` names? */
export function rebinds(p: PageRef, name: string, whole: boolean): boolean {
  if (whole) return p.key === name || norm(p.node.text) === name;
  return p.deps?.includes(name) ?? false;
}

/** Two pages may be the same memory. */
export function overlaps(a: PageRef, b: PageRef): boolean {
  if (a.key === b.key && a.key !== '?') return true;
  if (a.list && (b.list === a.list || b.key.startsWith(`${a.list}[`))) return true;
  if (b.list && a.key.startsWith(`${b.list}[`)) return true;
  return false;
}

// per parse tree: the rule asks once per function, and comparing the file's text each time
// would cost a copy and a scan of the whole file on every keystroke
const callbackCache = new WeakMap<object, Set<string>>();

/** Names of functions passed as `cb_fn` to init_async_submit() anywhere in the file. */
export function callbackFunctions(root: SyntaxNode): Set<string> {
  const cached = callbackCache.get(root.tree);
  if (cached) return cached;
  const names = new Set<string>();
  for (const call of root.descendantsOfType('call_expression')) {
    if (callName(call) !== INIT_SUBMIT.name) continue;
    const cb = argsOf(call)[INIT_SUBMIT.callbackArg];
    const n = cb ? stripValue(cb) : null;
    if (n?.type === 'identifier' && n.text !== 'NULL') names.add(n.text);
  }
  callbackCache.set(root.tree, names);
  return names;
}

/** The arguments of the call whose `(` is at `open`, split at top-level commas; null if unbalanced. */
function argumentTexts(text: string, open: number): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length && i < open + 4000; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        out.push(text.slice(start, i).trim());
        return out;
      }
    } else if (ch === ',' && depth === 1) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

/**
 * Names of functions this file registers as primary (hard-IRQ) interrupt handlers. Read
 * from the text: probe functions that register them often name no DMA API, and the
 * parser leaves such bodies out.
 */
let irqCache: { text: string; names: Set<string> } | null = null;
export function hardIrqHandlers(text: string): Set<string> {
  if (irqCache && irqCache.text === text) return irqCache.names;
  const names = new Set<string>();
  const call = /\b((?:devm_)?request_(?:threaded_|any_context_|percpu_)?irq)\s*\(/g;
  for (let m = call.exec(text); m; m = call.exec(text)) {
    const arg = HARD_IRQ_REGISTRARS.get(m[1]);
    const args = arg === undefined ? null : argumentTexts(text, m.index + m[0].length - 1);
    const handler = args && arg !== undefined ? args[arg]?.replace(/^\(\s*irq_handler_t\s*\)\s*/, '').replace(/^&/, '') : undefined;
    if (handler && /^[A-Za-z_]\w*$/.test(handler) && handler !== 'NULL') names.add(handler);
  }
  irqCache = { text, names };
  return names;
}
