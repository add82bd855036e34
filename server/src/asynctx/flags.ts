import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import { KNOWN_FLAG_NAMES } from './catalogue';

/**
 * A flags value: the flags certainly set, and whether nothing else can be set. Unknown
 * parts (a parameter, a call) make it inexact: `flags | ASYNC_TX_ACK` certainly acks,
 * but it may or may not fence.
 */
export interface FlagsValue {
  set: ReadonlySet<string>;
  exact: boolean;
}

export const UNKNOWN_FLAGS: FlagsValue = { set: new Set(), exact: false };

/**
 * The value of an `enum async_tx_flags` expression on one path: ASYNC_TX_* names, 0, `|`,
 * `&` (with `~` on the right) and flags variables whose value the path knows. Anything
 * else is unknown; an unknown part makes the whole inexact but keeps what is certainly set
 * (`flags | ASYNC_TX_ACK` certainly acks).
 */
export function evalFlags(node: SyntaxNode | null, vars: ReadonlyMap<string, FlagsValue>): FlagsValue {
  if (!node) return UNKNOWN_FLAGS;
  const n = stripValue(node);
  if (n.type === 'identifier') {
    if (KNOWN_FLAG_NAMES.has(n.text)) return { set: new Set([n.text]), exact: true };
    return vars.get(n.text) ?? UNKNOWN_FLAGS;
  }
  if (n.type === 'number_literal') return /^0+[uUlL]*$/.test(n.text) ? { set: new Set(), exact: true } : UNKNOWN_FLAGS;
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (op === '|' || op === '+') return union(evalFlags(left, vars), evalFlags(right, vars));
    if (op === '&') return mask(evalFlags(left, vars), right, vars);
  }
  return UNKNOWN_FLAGS;
}

function union(a: FlagsValue, b: FlagsValue): FlagsValue {
  return { set: new Set([...a.set, ...b.set]), exact: a.exact && b.exact };
}

/** `v & ~ASYNC_TX_ACK` clears; `v & 0` is empty; `v & w` keeps what both certainly have. */
function mask(v: FlagsValue, right: SyntaxNode | null, vars: ReadonlyMap<string, FlagsValue>): FlagsValue {
  const r = right ? stripValue(right) : null;
  if (r?.type === 'unary_expression' && r.child(0)?.text === '~') {
    const cleared = evalFlags(r.childForFieldName('argument'), vars);
    if (!cleared.exact) return { set: new Set(), exact: false };
    return { set: new Set([...v.set].filter((f) => !cleared.set.has(f))), exact: v.exact };
  }
  const w = evalFlags(r, vars);
  if ((w.exact && w.set.size === 0) || (v.exact && v.set.size === 0)) return { set: new Set(), exact: true };
  const both = new Set([...v.set].filter((f) => w.set.has(f)));
  return { set: both, exact: v.exact && w.exact };
}

/** A flags variable after `=`, `|=` or `&=`; a declaration without initialiser is unknown. */
export function assignFlags(old: FlagsValue | undefined, operator: '=' | '|=' | '&=' | 'none', value: SyntaxNode | null, vars: ReadonlyMap<string, FlagsValue>): FlagsValue {
  const before = old ?? UNKNOWN_FLAGS;
  if (operator === 'none') return UNKNOWN_FLAGS;
  if (operator === '|=') return union(before, evalFlags(value, vars));
  if (operator === '&=') return mask(before, value, vars);
  return evalFlags(value, vars);
}
