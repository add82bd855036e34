import type { SyntaxNode } from '../c/syntax';
import { iteratorHeadArgs, resolveApiCall, valueLoc, type ApiCallEvent, type EventContext } from '../dma/events';
import { isIndexed, stripValue, type LocKey } from '../dma/locations';
import type { ResultTest } from './hooks';
import { isLive, type MappingRecord, type PathState } from './state';

/**
 * Refines a path state by the truth of a branch condition. A condition is compiled once
 * (reading the syntax tree is the expensive part) and then evaluated against each state
 * reaching the branch. Evaluation returns the states in which the condition can have the
 * given truth value; none means the edge is infeasible on that path.
 */

const TRANSPARENT = new Set(['unlikely', 'likely', 'WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE']);
const CONSTANT = /^([A-Z_][A-Z0-9_]*|-?\d+)$/;

export interface RefineContext extends EventContext {
  onTest(test: ResultTest, st: PathState): void;
}

/** A tested value: a location, or a DMA API call evaluated in the condition itself. */
interface Atom {
  node: SyntaxNode;
  loc: LocKey | null;
  api: Omit<ApiCallEvent, 'result' | 'resultNode' | 'returned'> | null;
  /** Start of the call, for calls evaluated in the condition (`if (!dma_map_sg(...))`). */
  callStart: number;
  text: string;
}

type Cond =
  | { k: 'not'; node: SyntaxNode; arg: Cond; atom: Atom | null }
  /** rightCalls: map calls inside the right operand, which short-circuiting may skip. */
  | { k: 'and' | 'or'; left: Cond; right: Cond; rightCalls: number[] }
  | { k: 'eqzero'; node: SyntaxNode; eq: boolean; subject: Atom; sub: Cond }
  | { k: 'eqconst'; node: SyntaxNode; eq: boolean; subject: Atom; other: string; otherLoc: LocKey | null }
  /** `x OP bound` with a non-negative integer bound, normalised so x is on the left. */
  | { k: 'order'; node: SyntaxNode; op: '<' | '<=' | '>' | '>='; subject: Atom; bound: number }
  | { k: 'atom'; atom: Atom }
  | { k: 'opaque' };

function atomOf(node: SyntaxNode, ctx: EventContext): Atom {
  const e = stripValue(node);
  const api = e.type === 'call_expression' ? resolveApiCall(e, ctx) : null;
  return { node: e, loc: valueLoc(e), api, callStart: e.startIndex, text: e.text };
}

function isZeroText(t: string): boolean {
  const s = t.replace(/\s+/g, '');
  return s === '0' || s === 'NULL' || s === '0UL' || s === '0ULL' || s === '(dma_addr_t)0';
}

const FLIP: Record<string, '<' | '<=' | '>' | '>='> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function boundOf(n: SyntaxNode): number | null {
  const t = stripValue(n).text.replace(/\s+/g, '').replace(/[uUlL]+$/, '');
  if (isZeroText(t)) return 0;
  return /^\d+$/.test(t) ? Number(t) : null;
}

export function compileCondition(cond: SyntaxNode, ctx: EventContext, depth = 0): Cond {
  if (depth > 50) return { k: 'opaque' };
  const c = stripValue(cond);
  switch (c.type) {
    case 'unary_expression': {
      const arg = c.childForFieldName('argument');
      if (c.child(0)?.text !== '!' || !arg) return { k: 'opaque' };
      return { k: 'not', node: c, arg: compileCondition(arg, ctx, depth + 1), atom: atomOf(arg, ctx) };
    }
    case 'binary_expression': {
      const op = c.childForFieldName('operator')?.text ?? '';
      const left = c.childForFieldName('left');
      const right = c.childForFieldName('right');
      if (!left || !right) return { k: 'opaque' };
      if (op === '&&' || op === '||') {
        const rightCalls = right
          .descendantsOfType('call_expression')
          .filter((call) => {
            const api = resolveApiCall(call, ctx);
            return !!api && (api.api.kind === 'map' || api.api.kind === 'alloc');
          })
          .map((call) => call.startIndex);
        return { k: op === '&&' ? 'and' : 'or', left: compileCondition(left, ctx, depth + 1), right: compileCondition(right, ctx, depth + 1), rightCalls };
      }
      const lz = isZeroText(stripValue(left).text);
      const rz = isZeroText(stripValue(right).text);
      if (op === '==' || op === '!=') {
        if (lz || rz) {
          const subject = lz ? right : left;
          return { k: 'eqzero', node: c, eq: op === '==', subject: atomOf(subject, ctx), sub: compileCondition(subject, ctx, depth + 1) };
        }
        const other = stripValue(right).text;
        return { k: 'eqconst', node: c, eq: op === '==', subject: atomOf(left, ctx), other, otherLoc: valueLoc(right) };
      }
      if (op === '<' || op === '<=' || op === '>' || op === '>=') {
        const rb = boundOf(right);
        const lb = boundOf(left);
        if (rb !== null) return { k: 'order', node: c, op, subject: atomOf(left, ctx), bound: rb };
        if (lb !== null) return { k: 'order', node: c, op: FLIP[op], subject: atomOf(right, ctx), bound: lb };
      }
      return { k: 'opaque' };
    }
    case 'call_expression': {
      const name = c.childForFieldName('function')?.text ?? '';
      const args = c.childForFieldName('arguments')?.namedChildren ?? [];
      if (TRANSPARENT.has(name) && args.length === 1) return compileCondition(args[0], ctx, depth + 1);
      if (name === 'IS_ERR' || name === 'IS_ERR_OR_NULL') return { k: 'opaque' };
      return { k: 'atom', atom: atomOf(c, ctx) };
    }
    case 'identifier':
    case 'field_expression':
    case 'subscript_expression':
      return { k: 'atom', atom: atomOf(c, ctx) };
    case 'comma_expression': {
      // a masked loop-head macro (`for_each_sg(sgl, sg, n, i)`): its last argument is no test
      if (iteratorHeadArgs(c)) return { k: 'opaque' };
      const right = c.childForFieldName('right');
      return right ? compileCondition(right, ctx, depth + 1) : { k: 'opaque' };
    }
    default:
      return { k: 'opaque' };
  }
}

/** How a record's result must be read: which truth value of the tested value means failure. */
function failureWhenTruthy(rec: MappingRecord): boolean | null {
  switch (rec.api.returns) {
    case 'errno':
      return true; // dma_map_sgtable: non-zero is a failure
    case 'count':
      return false; // dma_map_sg: zero entries mapped is the failure
    case 'bool':
      return true;
    case 'pointer':
      return false; // NULL CPU pointer
    case 'handle':
      return false; // a wrong test: `!h` treats 0 as the failure
    default:
      return null;
  }
}

function setStatus(st: PathState, rec: MappingRecord, failed: boolean): PathState {
  if (!isLive(rec) && rec.status !== 'failed') return st;
  return st.updateRecord(rec.id, { status: failed ? 'failed' : 'ok' });
}

interface Tested {
  rec: MappingRecord;
  failWhenTrue: boolean;
  kind: 'check' | 'result';
}

/** `x` tested for truth: which records does x speak for, and how. */
function recordsTestedBy(a: Atom, st: PathState): Tested[] {
  if (a.api?.api.kind === 'check') {
    const loc = a.api.args.handle?.loc;
    if (!loc) return [];
    let recs = st.recordsAt(loc).filter((r) => r.status !== 'released');
    // `ring[i]` checked right after mapping it: the newest mapping of the slot
    if (isIndexed(loc) && recs.length > 1) recs = [recs.reduce((x, y) => (y.id > x.id ? y : x))];
    return recs.map((rec) => ({ rec, failWhenTrue: true, kind: 'check' as const }));
  }
  if (a.api && (a.api.api.kind === 'map' || a.api.api.kind === 'alloc')) {
    const id = st.callRecord.get(a.callStart);
    const rec = id === undefined ? undefined : st.records.get(id);
    if (!rec) return [];
    const f = failureWhenTruthy(rec);
    return f === null ? [] : [{ rec, failWhenTrue: f, kind: 'result' }];
  }
  const loc = a.loc;
  if (loc === null) return [];
  const link = st.resultOf.get(loc);
  if (link !== undefined) {
    const rec = st.records.get(link.id);
    if (!rec) return [];
    // `err = dma_mapping_error(...)`: err is a verdict, tested the right way by any truth test
    if (link.check) return [{ rec, failWhenTrue: true, kind: 'check' }];
    const f = failureWhenTruthy(rec);
    return f === null ? [] : [{ rec, failWhenTrue: f, kind: 'result' }];
  }
  // the handle or CPU pointer itself tested for zero / NULL
  return st
    .recordsAt(loc)
    .filter((r) => !r.foreign && ((r.api.returns === 'handle' && r.api.kind === 'map') || (r.api.returns === 'pointer' && r.resultLoc === loc)))
    .map((rec) => ({ rec, failWhenTrue: false, kind: 'result' as const }));
}

export function refine(cond: Cond, truth: boolean, st: PathState, ctx: RefineContext): PathState[] {
  switch (cond.k) {
    case 'not':
      if (cond.atom) testShape(cond.atom, cond.node, st, ctx, true);
      return refine(cond.arg, !truth, st, ctx);
    case 'and': {
      // left false: the right operand, and any map call in it, never ran
      const skipped = refine(cond.left, false, st, ctx).map((s) => dropCalls(s, cond.rightCalls));
      if (truth) return refine(cond.left, true, st, ctx).flatMap((s) => refine(cond.right, true, s, ctx));
      return [...skipped, ...refine(cond.left, true, st, ctx).flatMap((s) => refine(cond.right, false, s, ctx))];
    }
    case 'or': {
      const skipped = refine(cond.left, true, st, ctx).map((s) => dropCalls(s, cond.rightCalls));
      if (!truth) return refine(cond.left, false, st, ctx).flatMap((s) => refine(cond.right, false, s, ctx));
      return [...skipped, ...refine(cond.left, false, st, ctx).flatMap((s) => refine(cond.right, true, s, ctx))];
    }
    case 'eqzero':
      testShape(cond.subject, cond.node, st, ctx, cond.eq);
      // `x == 0` holds exactly when `x` is falsy
      return refine(cond.sub, cond.eq ? !truth : truth, st, ctx);
    case 'eqconst':
      return refineEqConst(cond, truth, st, ctx);
    case 'order':
      return refineOrder(cond.node, cond.subject, cond.op, cond.bound, truth, st, ctx);
    case 'atom':
      return applyTruth(cond.atom, truth, st);
    case 'opaque':
      return [st];
  }
}

function refineEqConst(cond: Extract<Cond, { k: 'eqconst' }>, truth: boolean, st: PathState, ctx: RefineContext): PathState[] {
  const holds = cond.eq ? truth : !truth; // subject == other on this edge
  const known = constantEquality(cond.subject, cond.other, st);
  if (known !== null && known !== holds) return [];
  if (cond.subject.loc !== null && cond.otherLoc !== null && !CONSTANT.test(cond.other)) {
    // `if (src != dst)` then later `if (dst != src)`: the same relation, decided once per path
    const key = relationKey(cond.subject.loc, cond.otherLoc);
    const fact = st.ints.get(key);
    if ((fact === 'zero' && !holds) || (fact === 'nonzero' && holds)) return [];
    const ints = new Map(st.ints);
    ints.set(key, holds ? 'zero' : 'nonzero');
    return [st.with({ ints })];
  }
  if (/^[1-9]\d*$/.test(cond.other)) {
    // `if (n != 1) return -EIO;` after dma_map_sg(): the continuing side has a count
    let out = st;
    for (const t of recordsTestedBy(cond.subject, st).filter((x) => x.rec.api.returns === 'count' && x.kind === 'result')) {
      out = setStatus(out, out.records.get(t.rec.id) ?? t.rec, !holds);
    }
    return [out];
  }
  if (cond.other !== 'DMA_MAPPING_ERROR') return [st];
  let out = st;
  for (const t of recordsTestedBy(cond.subject, st).filter((x) => x.rec.api.returns === 'handle')) {
    ctx.onTest({ node: cond.node, record: t.rec, shape: 'handle-eq-error-constant' }, st);
    out = setStatus(out.updateRecord(t.rec.id, { wrongTest: true }), out.records.get(t.rec.id) ?? t.rec, holds);
  }
  return [out];
}

/** Records made by map calls of a short-circuited operand never existed on this path. */
function dropCalls(st: PathState, sites: number[]): PathState {
  if (sites.length === 0) return st;
  let records: Map<number, MappingRecord> | null = null;
  const callRecord = new Map(st.callRecord);
  for (const site of sites) {
    const id = st.callRecord.get(site);
    if (id === undefined) continue;
    records ??= new Map(st.records);
    records.delete(id);
    callRecord.delete(site);
  }
  return records ? st.with({ records, callRecord }) : st;
}

/**
 * Reports the wrong-test shapes visible from `!x`, `x == 0`, `x != 0`. A test only stands
 * in for the right one while the mapping is still untested: `if (!dma[i])` before mapping
 * slot i, or `addr == 0` after dma_mapping_error() passed, are tests of something else.
 */
function testShape(subject: Atom, node: SyntaxNode, st: PathState, ctx: RefineContext, zeroIsFailure: boolean): void {
  for (const t of recordsTestedBy(subject, st)) {
    if (t.rec.status !== 'unchecked') continue;
    if (t.rec.api.returns === 'handle' && t.kind === 'result') {
      ctx.onTest({ node, record: t.rec, shape: node.type === 'unary_expression' ? 'not-handle' : 'handle-eq-zero' }, st);
    }
    if (t.rec.api.returns === 'errno' && t.kind === 'result' && zeroIsFailure && consequenceLooksLikeFailure(node)) {
      ctx.onTest({ node, record: t.rec, shape: 'errno-zero-as-failure' }, st);
    }
  }
}

/** The `if` whose condition this is jumps to an error exit when it holds. */
function consequenceLooksLikeFailure(node: SyntaxNode): boolean {
  let n: SyntaxNode | null = node;
  for (let i = 0; n && i < 6; i++) {
    if (n.type === 'if_statement') {
      const cons = n.childForFieldName('consequence');
      return !!cons && /\bgoto\b|\breturn\s*-|\breturn\s+(ret|err|rc)\b/.test(cons.text);
    }
    n = n.parent;
  }
  return false;
}

function applyTruth(a: Atom, truth: boolean, st: PathState): PathState[] {
  let out = st;
  for (const t of recordsTestedBy(a, st)) {
    const rec = out.records.get(t.rec.id) ?? t.rec;
    const failed = t.failWhenTrue ? truth : !truth;
    if (t.kind === 'result' && rec.api.returns === 'handle') {
      // a zero test of a handle is no failure test: it neither proves success nor failure
      if (rec.status === 'unchecked') out = out.updateRecord(rec.id, { wrongTest: true });
      continue;
    }
    out = setStatus(out, rec, failed);
  }
  const loc = a.loc;
  if (loc !== null && tracksFacts(loc)) {
    const fact = out.ints.get(loc);
    if (truth && fact === 'zero') return [];
    if (!truth && (fact === 'neg' || fact === 'nonzero')) return [];
    const ints = new Map(out.ints);
    if (truth) {
      if (fact !== 'neg') ints.set(loc, 'nonzero');
    } else ints.set(loc, 'zero');
    out = out.with({ ints });
  }
  return [out];
}

function refineOrder(
  node: SyntaxNode,
  subject: Atom,
  o: '<' | '<=' | '>' | '>=',
  bound: number,
  truth: boolean,
  st: PathState,
  ctx: RefineContext,
): PathState[] {
  let out = st;
  for (const t of recordsTestedBy(subject, st)) {
    const rec = out.records.get(t.rec.id) ?? t.rec;
    if (rec.api.returns === 'count' && t.kind === 'result') {
      if (o === '<' && bound === 0) {
        ctx.onTest({ node, record: rec, shape: 'count-negative' }, st);
        // the count is never negative: this branch cannot be taken
        if (truth) return [];
        out = out.updateRecord(rec.id, { wrongTest: true });
        continue;
      }
      // which side holds the failure value 0: `n < 1`, `n <= 0` contain it, `n > 0`, `n >= 1` do not
      const zeroSatisfies = o === '<' ? 0 < bound : o === '<=' ? true : o === '>' ? false : bound === 0;
      if (o === '>=' && bound === 0) continue;
      // the side with 0 is a failure only if 0 is all it holds (`n < 1`, `n <= 0`); the side
      // of `n > 8` that fails (0..8) says nothing new after `!n` was ruled out
      const onlyZero = (o === '<' && bound <= 1) || (o === '<=' && bound === 0) || (o === '>' && bound === 0) || (o === '>=' && bound === 1);
      const zeroSide = zeroSatisfies ? truth : !truth;
      if (zeroSide && !onlyZero) continue;
      out = setStatus(out, rec, zeroSide);
    } else if (rec.api.returns === 'errno' && t.kind === 'result' && bound === 0) {
      if (o === '<') out = setStatus(out, rec, truth);
      else if (o === '>=') out = setStatus(out, rec, !truth);
    }
  }
  const loc = subject.loc;
  if (loc !== null && tracksFacts(loc) && bound === 0) {
    const fact = out.ints.get(loc);
    const negative = (o === '<' && truth) || (o === '>=' && !truth);
    const nonNegative = (o === '<' && !truth) || (o === '>=' && truth);
    if (negative && fact === 'zero') return [];
    if (nonNegative && fact === 'neg') return [];
    if (negative) {
      const ints = new Map(out.ints);
      ints.set(loc, 'neg');
      out = out.with({ ints });
    }
  }
  return [out];
}

/** Integer facts are kept for variables and fields, not for array slots (which slot?). */
export function tracksFacts(loc: string): boolean {
  return !isIndexed(loc) && !loc.startsWith('&');
}

/**
 * Whether `subject == other` is known on this path: the subject is a local whose last
 * assignment here was a named constant (`dir = DMA_NONE`). Null when unknown.
 */
function constantEquality(subject: Atom, other: string, st: PathState): boolean | null {
  if (subject.node.type !== 'identifier' || !CONSTANT.test(other)) return null;
  const v = st.values.get(subject.text);
  if (!v) return null;
  const value = stripValue(v).text;
  return CONSTANT.test(value) ? value === other : null;
}

export type { Cond };

/** The fact key of `a == b` (`zero`: equal, `nonzero`: different); symmetric. */
export function relationKey(a: LocKey, b: LocKey): string {
  return `rel:${[a, b].sort().join('==')}`;
}
