import type { SyntaxNode } from '../c/syntax';
import type { ApiEntry } from './catalogue-types';
import { lookupApi } from './catalogue';
import { locOf, stripValue, type LocKey } from './locations';
import { BORROWING_CALLS, CPU_ACCESS_CALLS, HARDWARE_WRITES, NEUTRAL_CALLS, PAGE_VIEW_FUNCTIONS, SAME_MAPPING_STEPS, SG_COPY_CALLS, VALUE_FUNCTIONS } from './vocabulary';
import type { WrapperTable } from './wrappers';

/**
 * The DMA event IR: what one CFG node does, in evaluation order. Plain data over syntax
 * nodes; the executor gives it meaning.
 */

/** An argument as the analysis sees it: possibly rebuilt through a wrapper (text + loc). */
export interface ArgValue {
  node: SyntaxNode;
  text: string;
  loc: LocKey | null;
}

export type ArgRole = 'dev' | 'buffer' | 'offset' | 'size' | 'dir' | 'attrs' | 'handle' | 'nents' | 'pool';
export const ARG_ROLES: readonly ArgRole[] = ['dev', 'buffer', 'offset', 'size', 'dir', 'attrs', 'handle', 'nents', 'pool'];

export interface ApiCallEvent {
  kind: 'api';
  api: ApiEntry;
  call: SyntaxNode;
  args: Partial<Record<ArgRole, ArgValue>>;
  /** Where the call's value is stored (`h = dma_map_single(...)`, `T h = ...`). */
  result: LocKey | null;
  resultNode: SyntaxNode | null;
  /** The call is returned directly (`return dma_map_single(...)`). */
  returned: boolean;
  /** Name of the driver wrapper this call went through, if any. */
  via?: string;
}

/** `lhs = rhs` (also initialised declarations) where rhs is not a DMA API call. */
export interface AssignEvent {
  kind: 'assign';
  node: SyntaxNode;
  lhs: LocKey | null;
  lhsNode: SyntaxNode;
  rhs: SyntaxNode | null;
  /** The value location rhs carries through casts and value functions (`cpu_to_le64(h)` -> `h`). */
  rhsLoc: LocKey | null;
  /** Name of the function whose result is assigned, for `x = foo(...)`. */
  rhsCall: string | null;
  /** What lhs reaches once assigned, when rhs is a view of a page or scatterlist entry. */
  view?: MemoryView;
}

/** A location read as an argument of an ordinary call. */
export interface UseEvent {
  kind: 'use';
  node: SyntaxNode;
  /** '' for the call itself (an MMIO write that may start the device). */
  loc: LocKey;
  callee: string;
  /**
   * 'hardware': an MMIO write; 'neutral': logging or CPU access; 'borrow': a function known
   * to use the mapping without taking it over (dmaengine prep); 'call': any other function,
   * which may keep it (a hand-off).
   */
  how: 'hardware' | 'neutral' | 'borrow' | 'call';
}

/**
 * The CPU touching memory through a pointer: `buf[i]`, `*p`, `p->f`, `memcpy(buf, ...)`.
 * `base` is the pointer's location; the executor matches it against mapped buffers.
 */
export interface CpuAccessEvent {
  kind: 'cpu';
  node: SyntaxNode;
  base: LocKey;
  write: boolean;
  read: boolean;
  /** Through `p->field`: within the mapping only if the mapping covers the whole struct. */
  field: boolean;
  /** `buf + off` / `buf[off]`: the offset's text, to see accesses just past the mapping. */
  offset?: string;
}

/**
 * `to` now reaches the memory `from` reaches: `va = page_address(page)`, `sg = sg_next(sg)`,
 * the cursor of `for_each_sg(sgl, sg, n, i)`. Both are access keys: a pointer (`va`), or
 * `@` and a page or scatterlist entry (`@page`, `@sgl`) whose memory is reached through
 * page_address() / sg_virt().
 */
export interface MemoryView {
  to: LocKey;
  from: LocKey;
}

/** A scatterlist iterator's head: its cursor walks the entries of the list. */
export interface ViewEvent extends MemoryView {
  kind: 'view';
  node: SyntaxNode;
}

export type DmaEvent = ApiCallEvent | AssignEvent | UseEvent | CpuAccessEvent | ViewEvent;

/** Library calls that read or write memory, by argument: which are written, which read. */
const MEMORY_CALLS: Record<string, { writes: number[]; reads: number[] }> = {
  memcpy: { writes: [0], reads: [1] },
  memmove: { writes: [0], reads: [1] },
  memset: { writes: [0], reads: [] },
  memcmp: { writes: [], reads: [0, 1] },
  strcpy: { writes: [0], reads: [1] },
  strncpy: { writes: [0], reads: [1] },
  strscpy: { writes: [0], reads: [1] },
  memcpy_toio: { writes: [], reads: [1] },
  memcpy_fromio: { writes: [0], reads: [] },
  print_hex_dump: { writes: [], reads: [6] },
  get_unaligned_le16: { writes: [], reads: [0] },
  get_unaligned_le32: { writes: [], reads: [0] },
  get_unaligned_be32: { writes: [], reads: [0] },
  put_unaligned_le32: { writes: [1], reads: [] },
  put_unaligned_le16: { writes: [1], reads: [] },
};

/** `buf + off` -> `off`: where an access through pointer arithmetic lands. */
function accessOffset(node: SyntaxNode): string | undefined {
  const n = stripValue(node);
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '+') return n.childForFieldName('right')?.text;
  return undefined;
}

/**
 * The page or scatterlist entry a value names, as its access key (`@page`, `@sgl`): through
 * `sg_page(sg)`, `sg_next(sg)`, `&sgl[i]` and `sgl + i`, which name the same mapped memory.
 */
export function mappedObjectKey(node: SyntaxNode): LocKey | null {
  let n = stripValue(node);
  for (let i = 0; i < 8; i++) {
    const args = n.type === 'call_expression' ? (n.childForFieldName('arguments')?.namedChildren ?? []) : [];
    if (n.type === 'call_expression' && SAME_MAPPING_STEPS.has(calleeName(n)) && args.length === 1) n = stripValue(args[0]);
    else if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '+') n = stripValue(n.childForFieldName('left') ?? n);
    else if (n.type === 'pointer_expression' && n.child(0)?.text === '&' && stripValue(n.childForFieldName('argument') ?? n).type === 'subscript_expression') {
      n = stripValue(stripValue(n.childForFieldName('argument') ?? n).childForFieldName('argument') ?? n);
    } else break;
  }
  const loc = locOf(n);
  return loc === null ? null : `@${loc}`;
}

/** `page_address(page)`, `sg_virt(sg)`: the access key of the page or entry whose memory it points into. */
function viewedObject(n: SyntaxNode): LocKey | null {
  if (n.type !== 'call_expression' || !PAGE_VIEW_FUNCTIONS.has(calleeName(n))) return null;
  const arg = n.childForFieldName('arguments')?.namedChildren[0];
  return arg ? mappedObjectKey(arg) : null;
}

/** The pointer an access goes through: `buf` for `buf[i]`, `*buf`, `buf->f`, `buf + 4`; `@sg` for `sg_virt(sg)`. */
export function accessBase(node: SyntaxNode): LocKey | null {
  let n = stripValue(node);
  if (n.type === 'binary_expression' && ['+', '-'].includes(n.childForFieldName('operator')?.text ?? '')) {
    const left = n.childForFieldName('left');
    if (left) n = stripValue(left);
  }
  if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
    // `&buf[4]` is the address of an element of buf
    const arg = n.childForFieldName('argument');
    if (arg && stripValue(arg).type === 'subscript_expression') return accessBase(stripValue(arg).childForFieldName('argument') ?? arg);
    return null;
  }
  return viewedObject(n) ?? valueLoc(n);
}

function pushAccess(node: SyntaxNode, out: DmaEvent[], write: boolean, read: boolean): void {
  // the memory reached through `base`: buf[i] -> buf, *p -> p, p->f -> p
  let base: SyntaxNode | null = null;
  if (node.type === 'subscript_expression') base = node.childForFieldName('argument');
  else if (node.type === 'pointer_expression' && node.child(0)?.text === '*') base = node.childForFieldName('argument');
  else if (node.type === 'field_expression' && node.childForFieldName('operator')?.text === '->') base = node.childForFieldName('argument');
  if (!base) return;
  const loc = accessBase(base);
  const offset = node.type === 'subscript_expression' ? node.childForFieldName('index')?.text : accessOffset(base);
  if (loc !== null) out.push({ kind: 'cpu', node, base: loc, write, read, field: node.type === 'field_expression', offset });
}

const ACCESS_TYPES = new Set(['subscript_expression', 'pointer_expression', 'field_expression']);

export interface EventContext {
  wrappers: WrapperTable;
}

function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn && fn.type === 'identifier' ? fn.text : '';
}

/** The location a value expression carries: through parens, casts and value functions. */
export function valueLoc(node: SyntaxNode | null | undefined): LocKey | null {
  if (!node) return null;
  let n = stripValue(node);
  for (let i = 0; i < 8 && n.type === 'call_expression'; i++) {
    const name = calleeName(n);
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    if (!VALUE_FUNCTIONS.has(name) || args.length !== 1 || name === 'sg_dma_address') break;
    n = stripValue(args[0]);
  }
  return locOf(n);
}

function argValue(node: SyntaxNode): ArgValue {
  return { node, text: node.text, loc: valueLoc(node) };
}

/** Resolves a call to a catalogue entry, directly or through a driver wrapper. */
export function resolveApiCall(call: SyntaxNode, ctx: EventContext): Omit<ApiCallEvent, 'result' | 'resultNode' | 'returned'> | null {
  const name = calleeName(call);
  if (!name) return null;
  const argNodes = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  const direct = lookupApi(name);
  if (direct) {
    const args: Partial<Record<ArgRole, ArgValue>> = {};
    for (const role of ARG_ROLES) {
      const idx = direct[role];
      if (idx !== undefined && argNodes[idx]) args[role] = argValue(argNodes[idx]);
    }
    return { kind: 'api', api: direct, call, args };
  }
  const wrapper = ctx.wrappers.get(name);
  if (!wrapper) return null;
  const args: Partial<Record<ArgRole, ArgValue>> = {};
  for (const role of ARG_ROLES) {
    const tpl = wrapper.roles[role];
    if (!tpl) continue;
    if (tpl.kind === 'fixed') {
      args[role] = { node: call, text: tpl.text, loc: null };
    } else {
      const arg = argNodes[tpl.param];
      if (!arg) continue;
      const base = valueLoc(arg);
      args[role] = {
        node: arg,
        text: arg.text + tpl.suffix,
        loc: base === null ? null : joinSuffix(base, tpl.suffix),
      };
    }
  }
  return { kind: 'api', api: wrapper.api, call, args, via: name };
}

/** `&x` + `->f` is `x.f`; `p` + `->f` is `p->f`. */
function joinSuffix(base: LocKey, suffix: string): LocKey {
  if (suffix.startsWith('->') && base.startsWith('&')) return `${base.slice(1)}.${suffix.slice(2)}`;
  return base + suffix;
}

/** Events of one statement, declaration, condition or return, in evaluation order. */
export function extractEvents(root: SyntaxNode, ctx: EventContext): DmaEvent[] {
  const out: DmaEvent[] = [];
  visit(root, ctx, out, 0);
  return out;
}

function visit(node: SyntaxNode, ctx: EventContext, out: DmaEvent[], depth: number): void {
  if (depth > 400) return;
  switch (node.type) {
    case 'assignment_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (right) visitValue(right, ctx, out, depth + 1, left ? locOf(left) : null, left ?? null);
      if (left) {
        // indexes and bases of the left side are evaluated too (`ring[foo(i)] = h`)
        for (const c of left.namedChildren) visit(c, ctx, out, depth + 1);
        const l = stripValue(left);
        if (ACCESS_TYPES.has(l.type)) pushAccess(l, out, true, node.childForFieldName('operator')?.text !== '=');
        if (right && !isApiCall(right, ctx)) pushAssign(node, left, right, out);
      }
      return;
    }
    case 'update_expression': {
      // `b++` / `--i`: b now names another object (ring cursors); `buf[i]++` writes buf
      const arg = node.childForFieldName('argument');
      if (arg && ACCESS_TYPES.has(stripValue(arg).type)) {
        for (const c of stripValue(arg).namedChildren) visit(c, ctx, out, depth + 1);
        pushAccess(stripValue(arg), out, true, true);
        return;
      }
      if (arg) out.push({ kind: 'assign', node, lhs: locOf(arg), lhsNode: arg, rhs: null, rhsLoc: null, rhsCall: null });
      return;
    }
    case 'subscript_expression':
    case 'pointer_expression':
    case 'field_expression':
      for (const c of node.namedChildren) visit(c, ctx, out, depth + 1);
      pushAccess(node, out, false, true);
      return;
    case 'declaration': {
      for (const d of node.childrenForFieldName('declarator')) {
        if (d.type === 'init_declarator') {
          visit(d, ctx, out, depth + 1);
        } else {
          const name = declaredName(d);
          if (name) out.push({ kind: 'assign', node: d, lhs: name.text, lhsNode: name, rhs: null, rhsLoc: null, rhsCall: null });
        }
      }
      return;
    }
    case 'init_declarator': {
      const decl = node.childForFieldName('declarator');
      const value = node.childForFieldName('value');
      if (value && decl) {
        const nameNode = declaredName(decl);
        visitValue(value, ctx, out, depth + 1, nameNode ? nameNode.text : null, nameNode);
        if (nameNode && !isApiCall(value, ctx) && value.type !== 'initializer_list') pushAssign(node, nameNode, value, out);
      }
      return;
    }
    case 'return_statement': {
      const value = node.namedChildren[0];
      if (value) visitValue(value, ctx, out, depth + 1, null, null, true);
      return;
    }
    case 'call_expression':
      visitCall(node, ctx, out, depth, null, null, false);
      return;
    case 'comma_expression':
      for (const c of node.namedChildren) visit(c, ctx, out, depth + 1);
      pushIteratorView(node, out);
      return;
    case 'function_definition':
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression':
      // unevaluated operands: `sizeof(*p)` touches no memory
      return;
    default:
      for (const c of node.namedChildren) visit(c, ctx, out, depth + 1);
  }
}

function declaredName(decl: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = decl;
  for (let i = 0; n && i < 10; i++) {
    if (n.type === 'identifier') return n;
    n = n.childForFieldName('declarator') ?? null;
  }
  return null;
}

function isApiCall(node: SyntaxNode, ctx: EventContext): boolean {
  const n = stripValue(node);
  if (n.type !== 'call_expression') return false;
  const name = calleeName(n);
  return lookupApi(name) !== undefined || ctx.wrappers.has(name);
}

function pushAssign(node: SyntaxNode, left: SyntaxNode, right: SyntaxNode, out: DmaEvent[]): void {
  const r = stripValue(right);
  out.push({
    kind: 'assign',
    node,
    lhs: locOf(left),
    lhsNode: left,
    rhs: right,
    rhsLoc: valueLoc(right),
    rhsCall: r.type === 'call_expression' ? calleeName(r) : null,
    view: viewOf(left, right),
  });
}

/**
 * `va = page_address(page)` makes `va` a pointer into the page; `sg = sg_next(sg)` and
 * `pg = sg_page(sg)` name the same mapped object as their argument.
 */
function viewOf(left: SyntaxNode, right: SyntaxNode): MemoryView | undefined {
  const lhs = locOf(left);
  if (lhs === null || !/^\w+$/.test(lhs)) return undefined;
  const pointer = accessBase(right);
  if (pointer?.startsWith('@')) return { to: lhs, from: pointer };
  const object = mappedObjectKey(right);
  return object === null ? undefined : { to: `@${lhs}`, from: object };
}

/**
 * The arguments of a loop-head macro: the mask turns `for_each_sg(sgl, sg, n, i)` into
 * `while (sgl, sg, n, i)`, a comma list no hand-written loop condition looks like. Null
 * for anything else.
 */
export function iteratorHeadArgs(node: SyntaxNode): SyntaxNode[] | null {
  const paren = node.parent;
  if (node.type !== 'comma_expression' || paren?.type !== 'parenthesized_expression' || paren.parent?.type !== 'while_statement') return null;
  const items: SyntaxNode[] = [];
  for (let n: SyntaxNode | null = node; n; ) {
    if (n.type === 'comma_expression') {
      const l = n.childForFieldName('left');
      if (l) items.push(l);
      n = n.childForFieldName('right');
    } else {
      items.push(n);
      n = null;
    }
  }
  return items;
}

/** Every scatterlist iterator names the list (or sg_table) first and the entry cursor second. */
function pushIteratorView(node: SyntaxNode, out: DmaEvent[]): void {
  const items = iteratorHeadArgs(node);
  if (!items || items.length < 3) return;
  const cursor = locOf(items[1]);
  const list = mappedObjectKey(items[0]);
  if (cursor !== null && list !== null && /^\w+$/.test(cursor)) out.push({ kind: 'view', node, to: `@${cursor}`, from: list });
}

/** A value whose result goes to `resultLoc` (or is returned). */
function visitValue(
  node: SyntaxNode,
  ctx: EventContext,
  out: DmaEvent[],
  depth: number,
  resultLoc: LocKey | null,
  resultNode: SyntaxNode | null,
  returned = false,
): void {
  const n = stripValue(node);
  if (n.type === 'call_expression') {
    visitCall(n, ctx, out, depth, resultLoc, resultNode, returned);
    return;
  }
  visit(node, ctx, out, depth + 1);
}

function visitCall(
  call: SyntaxNode,
  ctx: EventContext,
  out: DmaEvent[],
  depth: number,
  resultLoc: LocKey | null,
  resultNode: SyntaxNode | null,
  returned: boolean,
): void {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const name = calleeName(call);
  if ((name === 'dma_unmap_addr_set' || name === 'dma_unmap_len_set') && args.length === 3) {
    // include/linux/dma-mapping.h: dma_unmap_addr_set(p, f, v) is `p->f = v`
    const base = valueLoc(args[0]);
    const lhs = base === null ? null : `${base}->${args[1].text}`;
    if (isApiCall(args[2], ctx)) {
      visitValue(args[2], ctx, out, depth + 1, lhs, args[0]);
      return;
    }
    visit(args[2], ctx, out, depth + 1);
    out.push({ kind: 'assign', node: call, lhs, lhsNode: args[0], rhs: args[2], rhsLoc: valueLoc(args[2]), rhsCall: null });
    return;
  }
  for (const a of args) visit(a, ctx, out, depth + 1);
  const api = resolveApiCall(call, ctx);
  if (api) {
    out.push({ ...api, result: resultLoc, resultNode, returned });
    return;
  }
  if (VALUE_FUNCTIONS.has(name)) return;
  const mem = MEMORY_CALLS[name];
  if (mem) {
    for (const i of [...mem.writes, ...mem.reads]) {
      const a = args[i];
      const loc = a ? accessBase(a) : null;
      if (a && loc !== null) out.push({ kind: 'cpu', node: a, base: loc, write: mem.writes.includes(i), read: mem.reads.includes(i), field: false, offset: accessOffset(a) });
    }
  }
  const copy = SG_COPY_CALLS[name];
  const list = copy ? args[copy.list] : undefined;
  const listKey = list ? mappedObjectKey(list) : null;
  if (copy && list && listKey !== null) out.push({ kind: 'cpu', node: list, base: listKey, write: copy.writesList, read: !copy.writesList, field: false });
  const flat = copy?.buffer !== undefined ? args[copy.buffer] : undefined;
  const flatBase = flat ? accessBase(flat) : null;
  if (copy && flat && flatBase !== null) out.push({ kind: 'cpu', node: flat, base: flatBase, write: !copy.writesList, read: copy.writesList, field: false });
  const how: UseEvent['how'] = HARDWARE_WRITES.has(name)
    ? 'hardware'
    : NEUTRAL_CALLS.has(name) || CPU_ACCESS_CALLS.has(name)
      ? 'neutral'
      : BORROWING_CALLS.test(name)
        ? 'borrow'
        : 'call';
  // an MMIO write is a possible device start (a doorbell) even when it carries no handle
  if (how === 'hardware') out.push({ kind: 'use', node: call, loc: '', callee: name, how });
  for (const a of args) {
    const loc = valueLoc(a);
    if (loc !== null) out.push({ kind: 'use', node: a, loc, callee: name, how });
  }
}

/** The location a map/unmap/sync/free call is about: the handle, sg list, table or CPU pointer. */
export function subjectLoc(ev: ApiCallEvent): LocKey | null {
  const fam = ev.api.family;
  if (ev.api.kind === 'map' || ev.api.kind === 'alloc') {
    if (fam === 'sg' || fam === 'sgtable') return ev.args.buffer?.loc ?? null;
    return ev.result;
  }
  if (fam === 'sg' || fam === 'sgtable') return ev.args.buffer?.loc ?? null;
  if (ev.api.kind === 'free') return ev.args.buffer?.loc ?? ev.args.handle?.loc ?? null;
  const h = ev.args.handle?.loc ?? null;
  // dma_unmap_single(dev, sg_dma_address(sg), ...): about the sg list's mapping
  const m = h === null ? null : /^sg_dma_address\((.*)\)$/.exec(h);
  return m ? m[1] : h;
}
