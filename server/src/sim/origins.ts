import { typeName, type FunctionScope, type VarDecl } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import { VMALLOC_ALLOCATORS } from '../dma/vocabulary';

/**
 * Where a buffer expression's memory comes from, as far as this function's and this
 * file's declarations tell: the stack frame, static storage, vmalloc space, or unknown.
 */
export type BufferOrigin =
  | { kind: 'stack'; decl: VarDecl; via?: SyntaxNode }
  | { kind: 'static'; decl: VarDecl; why: 'global' | 'static-local' | 'const' }
  | { kind: 'literal' }
  | { kind: 'vmalloc'; allocator: string; at: SyntaxNode }
  | { kind: 'unknown' };

const UNKNOWN: BufferOrigin = { kind: 'unknown' };

function calleeOf(n: SyntaxNode): string {
  const s = stripValue(n);
  return s.type === 'call_expression' ? (s.childForFieldName('function')?.text ?? '') : '';
}

/**
 * The object an address-of / array-decay expression designates: `&x.f` -> x, `buf` -> buf.
 * `outer` is the outermost field or subscript when the expression is not an address
 * (`d.data`, `bufs[i]`): that is a value loaded from the object, not the object, unless the
 * member is itself an array that decays to its address.
 */
interface Designated {
  name: string;
  addressed: boolean;
  throughPointer: boolean;
  outer: SyntaxNode | null;
}

function designatedRoot(expr: SyntaxNode): Designated | null {
  let n = stripValue(expr);
  let addressed = false;
  if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
    addressed = true;
    const arg = n.childForFieldName('argument');
    if (!arg) return null;
    n = stripValue(arg);
  }
  let throughPointer = false;
  let outer: SyntaxNode | null = null;
  for (let i = 0; i < 20; i++) {
    if (n.type === 'identifier') return { name: n.text, addressed, throughPointer, outer };
    if (n.type === 'field_expression' || n.type === 'subscript_expression') {
      outer ??= n;
      if (n.type === 'field_expression' && n.text.includes('->') && n.childForFieldName('operator')?.text !== '.') throughPointer = true;
      const arg = n.childForFieldName('argument');
      if (!arg) return null;
      n = stripValue(arg);
      continue;
    }
    if (n.type === 'binary_expression' && ['+', '-'].includes(n.childForFieldName('operator')?.text ?? '')) {
      // `buf + off`: pointer arithmetic stays within the same object
      const left = n.childForFieldName('left');
      if (!left) return null;
      n = stripValue(left);
      continue;
    }
    return null;
  }
  return null;
}

/** `x.f` / `x[i]` without `&` designates storage only when that member is an array. */
function memberIsArray(outer: SyntaxNode, decl: VarDecl, scope: FunctionScope): boolean {
  if (outer.type === 'subscript_expression') {
    // `u8 bufs[2][64]; bufs[i]` decays; `void *ptrs[4]; ptrs[i]` is a loaded pointer
    return new RegExp(`\\b${decl.name}\\s*\\[[^\\]]*\\]\\s*\\[`).test(decl.node.text);
  }
  const field = outer.childForFieldName('field')?.text;
  if (!field) return false;
  const struct = scope.file.structs.get(typeName(decl.baseType));
  const known = struct?.fields.get(field);
  if (known) return known.array;
  // an inline struct type: `struct { u8 data[16]; } d;`
  return new RegExp(`\\b${field}\\s*\\[`).test(decl.baseType);
}

/**
 * Classifies a buffer argument. `fileVmallocFields` are summary keys of struct fields
 * that this file fills from a vmalloc-family allocator.
 */
export function bufferOrigin(expr: SyntaxNode, scope: FunctionScope, vmallocAssigned: Map<string, SyntaxNode>, depth = 0): BufferOrigin {
  if (depth > 3) return UNKNOWN;
  const s = stripValue(expr);
  if (s.type === 'string_literal' || s.type === 'concatenated_string') return { kind: 'literal' };
  const alloc = calleeOf(s);
  if (VMALLOC_ALLOCATORS.has(alloc)) return { kind: 'vmalloc', allocator: alloc, at: s };
  const root = designatedRoot(s);
  if (!root) return UNKNOWN;
  const decl = scope.lookup(root.name);
  if (!decl) return UNKNOWN;
  if (root.throughPointer) {
    const v = vmallocAssigned.get(s.text.replace(/\s+/g, ''));
    return v ? { kind: 'vmalloc', allocator: calleeOf(v), at: v } : UNKNOWN;
  }
  if (!root.addressed && root.outer && !memberIsArray(root.outer, decl, scope)) return UNKNOWN;
  const objectItself = decl.array || (!decl.pointer && (root.addressed || root.outer !== null));
  if (decl.pointer && !decl.array) {
    // a pointer variable: follow where it was pointed
    const v = vmallocAssigned.get(root.name);
    if (v) return { kind: 'vmalloc', allocator: calleeOf(v), at: v };
    if (decl.init && !decl.param && !decl.global) {
      const inner = bufferOrigin(decl.init, scope, vmallocAssigned, depth + 1);
      if (inner.kind === 'stack') return { ...inner, via: decl.init };
      return inner;
    }
    return UNKNOWN;
  }
  if (!objectItself) return UNKNOWN;
  if (decl.param) return UNKNOWN; // an array parameter is a pointer
  if (decl.global) return { kind: 'static', decl, why: decl.isConst ? 'const' : 'global' };
  if (decl.isStatic) return { kind: 'static', decl, why: 'static-local' };
  return { kind: 'stack', decl };
}

/**
 * Every `x = vmalloc(...)` / `p->f = kvzalloc(...)` in a subtree, keyed by the assigned
 * text without spaces (`x`, `priv->buf`).
 */
export function collectVmallocAssignments(root: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  // most files never mention a vmalloc-family allocator: skip the walk
  if (!/\b(k?v[mz]alloc|vmap|kvcalloc|vcalloc|kvrealloc)\w*\s*\(/.test(root.text)) return out;
  for (const n of root.descendantsOfType(['assignment_expression', 'init_declarator'])) {
    const left = n.childForFieldName(n.type === 'assignment_expression' ? 'left' : 'declarator');
    const right = n.childForFieldName(n.type === 'assignment_expression' ? 'right' : 'value');
    if (left && right && VMALLOC_ALLOCATORS.has(calleeOf(right))) {
      const name = left.type === 'pointer_declarator' ? (left.childForFieldName('declarator')?.text ?? '') : left.text;
      out.set(name.replace(/\s+/g, ''), stripValue(right));
    }
  }
  return out;
}
