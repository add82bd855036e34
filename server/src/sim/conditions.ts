import type { SyntaxNode } from '../c/syntax';
import { resolveApiCall, valueLoc, type EventContext } from '../dma/events';
import { isIndexed, stripValue } from '../dma/locations';
import { pathValue } from './constants';
import type { ResultTest } from './hooks';
import { isLive, type MappingRecord, type PathState } from './state';

/**
 * Refines a path state by the truth of a branch condition. Returns the states in which
 * the condition can have that truth value (none: the edge is infeasible on this path).
 */

const TRANSPARENT = new Set(['unlikely', 'likely', 'WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE', '!!']);

export interface RefineContext extends EventContext {
  onTest(test: ResultTest, st: PathState): void;
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

/** `x` tested for truth: which records does x speak for, and how. */
function recordsTestedBy(expr: SyntaxNode, st: PathState, ctx: RefineContext): { rec: MappingRecord; failWhenTrue: boolean; kind: 'check' | 'result' }[] {
  const e = stripValue(expr);
  if (e.type === 'call_expression') {
    const api = resolveApiCall(e, ctx);
    if (api && api.api.kind === 'check') {
      const loc = api.args.handle?.loc;
      if (!loc) return [];
      let recs = st.recordsAt(loc).filter((r) => r.status !== 'released');
      // `ring[i]` checked right after mapping it: the newest mapping of the slot
      if (isIndexed(loc) && recs.length > 1) recs = [recs.reduce((a, b) => (b.id > a.id ? b : a))];
      return recs.map((rec) => ({ rec, failWhenTrue: true, kind: 'check' as const }));
    }
    if (api && (api.api.kind === 'map' || api.api.kind === 'alloc')) {
      const id = st.callRecord.get(e.startIndex);
      const rec = id === undefined ? undefined : st.records.get(id);
      if (!rec) return [];
      const f = failureWhenTruthy(rec);
      return f === null ? [] : [{ rec, failWhenTrue: f, kind: 'result' }];
    }
  }
  const loc = valueLoc(e);
  if (loc === null) return [];
  const viaResult = st.resultOf.get(loc);
  if (viaResult !== undefined) {
    const rec = st.records.get(viaResult);
    if (!rec) return [];
    if (rec.api.kind === 'check') return [];
    const f = rec.api.returns === 'handle' && rec.resultLoc !== loc ? true : failureWhenTruthy(rec);
    return f === null ? [] : [{ rec, failWhenTrue: f, kind: 'result' }];
  }
  // the handle or CPU pointer itself tested for zero / NULL
  return st
    .recordsAt(loc)
    .filter((r) => !r.foreign && ((r.api.returns === 'handle' && r.api.kind === 'map') || (r.api.returns === 'pointer' && r.resultLoc === loc)))
    .map((rec) => ({ rec, failWhenTrue: false, kind: 'result' as const }));
}

function isZero(n: SyntaxNode): boolean {
  const t = stripValue(n).text.replace(/\s+/g, '');
  return t === '0' || t === 'NULL' || t === '0UL' || t === '0ULL' || t === '(dma_addr_t)0';
}

export function refine(cond: SyntaxNode, truth: boolean, st: PathState, ctx: RefineContext, depth = 0): PathState[] {
  if (depth > 50) return [st];
  const c = stripValue(cond);
  switch (c.type) {
    case 'unary_expression': {
      const op = c.child(0)?.text;
      const arg = c.childForFieldName('argument');
      if (op === '!' && arg) {
        testShape(arg, c, st, ctx);
        return refine(arg, !truth, st, ctx, depth + 1);
      }
      return [st];
    }
    case 'binary_expression': {
      const op = c.childForFieldName('operator')?.text ?? '';
      const left = c.childForFieldName('left');
      const right = c.childForFieldName('right');
      if (!left || !right) return [st];
      if (op === '&&') {
        if (truth) return refine(left, true, st, ctx, depth + 1).flatMap((s) => refine(right, true, s, ctx, depth + 1));
        return [
          ...refine(left, false, st, ctx, depth + 1),
          ...refine(left, true, st, ctx, depth + 1).flatMap((s) => refine(right, false, s, ctx, depth + 1)),
        ];
      }
      if (op === '||') {
        if (!truth) return refine(left, false, st, ctx, depth + 1).flatMap((s) => refine(right, false, s, ctx, depth + 1));
        return [
          ...refine(left, true, st, ctx, depth + 1),
          ...refine(left, false, st, ctx, depth + 1).flatMap((s) => refine(right, true, s, ctx, depth + 1)),
        ];
      }
      if (op === '==' || op === '!=') {
        const [subject, other] = isZero(right) ? [left, right] : isZero(left) ? [right, left] : [left, right];
        if (isZero(other)) {
          testShape(subject, c, st, ctx);
          // `x == 0` holds exactly when `x` is falsy
          return refine(subject, op === '==' ? !truth : truth, st, ctx, depth + 1);
        }
        const known = constantEquality(subject, other, st);
        if (known !== null && (op === '==') === truth ? known === false : known === true) return [];
        if (/^DMA_MAPPING_ERROR$/.test(stripValue(other).text)) {
          const tested = recordsTestedBy(subject, st, ctx).filter((t) => t.rec.api.returns === 'handle');
          let out = st;
          for (const t of tested) {
            ctx.onTest({ node: c, record: t.rec, shape: 'handle-eq-error-constant' }, st);
            out = setStatus(out.updateRecord(t.rec.id, { wrongTest: true }), out.records.get(t.rec.id) ?? t.rec, op === '==' ? truth : !truth);
          }
          return [out];
        }
        return [st];
      }
      if (op === '<' || op === '<=' || op === '>' || op === '>=') return refineOrder(c, left, op, right, truth, st, ctx);
      return [st];
    }
    case 'call_expression': {
      const name = c.childForFieldName('function')?.text ?? '';
      const args = c.childForFieldName('arguments')?.namedChildren ?? [];
      if (TRANSPARENT.has(name) && args.length === 1) return refine(args[0], truth, st, ctx, depth + 1);
      if ((name === 'IS_ERR' || name === 'IS_ERR_OR_NULL') && args.length === 1) return [st];
      return applyTruth(c, truth, st, ctx);
    }
    case 'identifier':
    case 'field_expression':
    case 'subscript_expression':
      return applyTruth(c, truth, st, ctx);
    case 'comma_expression': {
      const right = c.childForFieldName('right');
      return right ? refine(right, truth, st, ctx, depth + 1) : [st];
    }
    default:
      return [st];
  }
}

/** Reports the wrong-test shapes that are visible from a `!x` / `x == 0` test. */
function testShape(subject: SyntaxNode, node: SyntaxNode, st: PathState, ctx: RefineContext): void {
  for (const t of recordsTestedBy(subject, st, ctx)) {
    if (t.rec.api.returns === 'handle' && t.kind === 'result') {
      ctx.onTest({ node, record: t.rec, shape: node.type === 'unary_expression' ? 'not-handle' : 'handle-eq-zero' }, st);
    }
    if (t.rec.api.returns === 'errno' && t.kind === 'result' && consequenceLooksLikeFailure(node)) {
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

function applyTruth(e: SyntaxNode, truth: boolean, st: PathState, ctx: RefineContext): PathState[] {
  const tested = recordsTestedBy(e, st, ctx);
  let out = st;
  for (const t of tested) {
    const rec = out.records.get(t.rec.id) ?? t.rec;
    const failed = t.failWhenTrue ? truth : !truth;
    const wrong = t.kind === 'result' && rec.api.returns === 'handle';
    out = setStatus(wrong ? out.updateRecord(rec.id, { wrongTest: true }) : out, rec, failed);
  }
  const loc = valueLoc(e);
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
  left: SyntaxNode,
  op: string,
  right: SyntaxNode,
  truth: boolean,
  st: PathState,
  ctx: RefineContext,
): PathState[] {
  // normalise to `x OP 0`
  let subject = left;
  let o = op;
  if (isZero(left) && !isZero(right)) {
    subject = right;
    o = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' }[op] ?? op;
  } else if (!isZero(right)) {
    return [st];
  }
  const tested = recordsTestedBy(subject, st, ctx);
  let out = st;
  for (const t of tested) {
    const rec = out.records.get(t.rec.id) ?? t.rec;
    if (rec.api.returns === 'count') {
      if (o === '<') {
        ctx.onTest({ node, record: rec, shape: 'count-negative' }, st);
        // the count is never negative: this branch cannot be taken
        if (truth) return [];
        out = out.updateRecord(rec.id, { wrongTest: true });
      } else if (o === '<=') {
        out = setStatus(out, rec, truth);
      } else if (o === '>') {
        out = setStatus(out, rec, !truth);
      }
    } else if (rec.api.returns === 'errno') {
      if (o === '<') out = setStatus(out, rec, truth);
      else if (o === '>=') out = setStatus(out, rec, !truth);
    }
  }
  const loc = valueLoc(subject);
  if (loc !== null && tracksFacts(loc)) {
    const fact = out.ints.get(loc);
    const negative = (o === '<' && truth) || (o === '>=' && !truth);
    const nonNegative = (o === '<' && !truth) || (o === '>=' && truth);
    if (negative && fact === 'zero') return [];
    if (nonNegative && fact === 'neg') return [];
    const ints = new Map(out.ints);
    if (negative) ints.set(loc, 'neg');
    out = out.with({ ints });
  }
  return [out];
}

/** Integer facts are kept for variables and fields, not for array slots (which slot?). */
export function tracksFacts(loc: string): boolean {
  return !isIndexed(loc) && !loc.startsWith('&');
}

const CONSTANT = /^([A-Z_][A-Z0-9_]*|-?\d+)$/;

/**
 * Whether `subject == other` is known on this path: the subject is a local whose last
 * assignment here was a named constant (`dir = DMA_NONE`). Null when unknown.
 */
function constantEquality(subject: SyntaxNode, other: SyntaxNode, st: PathState): boolean | null {
  const o = stripValue(other).text;
  const v = pathValue(subject, st).text;
  if (!CONSTANT.test(o) || !CONSTANT.test(v) || v === stripValue(subject).text) return null;
  return v === o;
}
