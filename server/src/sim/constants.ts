import type { FunctionScope } from '../c/scope';
import { normaliseDirection } from '../dma/catalogue';
import type { Direction } from '../dma/catalogue-types';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import type { PathState } from './state';

/**
 * Resolves the few constant expressions the rules compare: directions held in a local
 * initialised once, sizes spelled through file macros or `sizeof(*p)`.
 */

export function resolveDirection(text: string | undefined, scope: FunctionScope): Direction | undefined {
  if (!text) return undefined;
  const direct = normaliseDirection(text);
  if (direct) return direct;
  const t = text.trim();
  if (!/^\w+$/.test(t)) return undefined;
  const value = scope.constantValue(t);
  return value ? normaliseDirection(value) : undefined;
}

/** A canonical spelling of a size expression, with what this file defines substituted. */
export function resolveSize(text: string | undefined, scope: FunctionScope): string | undefined {
  if (!text) return undefined;
  let t = text.replace(/\s+/g, '');
  for (let i = 0; i < 4 && /^\w+$/.test(t) && !/^\d/.test(t); i++) {
    const v = scope.constantValue(t);
    if (!v) break;
    t = v.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  }
  const deref = /^sizeof\(\*(\w+)\)$/.exec(t);
  if (deref) {
    const decl = scope.lookup(deref[1]);
    if (decl?.pointer) t = `sizeof(${decl.baseType.replace(/\s+/g, '')})`;
  }
  return t;
}

/** Follows a local through what this path last assigned to it: `buf` -> `foo_static_buf`. */
export function pathValue(node: SyntaxNode, st: PathState): SyntaxNode {
  let n = stripValue(node);
  for (let i = 0; i < 4 && n.type === 'identifier'; i++) {
    const v = st.values.get(n.text);
    if (!v) break;
    n = stripValue(v);
  }
  return n;
}
