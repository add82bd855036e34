import type { SyntaxNode } from '../c/syntax';
import { evaluateConstant } from '../c/kernel-constants';

/**
 * Member offsets of a struct from its start, per data model, for dma/cacheline-sharing
 * (line-sharing.ts): which members really lie in the mapped member's first and last cache
 * line. Only what is known is placed: scalars of fixed size, pointers, arrays of those with
 * evaluable lengths, structs whose own layout is known (bounded recursion), and the member
 * alignments `__aligned(N)`, `____cacheline_aligned` (SMP_CACHE_BYTES, 64 on arm64 and the
 * v7 cores) and `__aligned(ARCH_DMA_MINALIGN)` (the platform's line). Anything else (an
 * enum, a typedef'd struct, a bitfield, a union, a member declared `__packed`, an alignment
 * that cannot be evaluated; a `__packed` struct is placed with byte alignment) leaves that member and everything after it unplaced; the caller then falls back
 * to the rules that need no offsets.
 */

/** Object-like macro values where the struct is defined. */
export type Macros = (name: string) => string | undefined;

/** The sizes that differ between the platforms. */
export interface DataModel {
  /** Pointers, `long`, `size_t`. */
  pointer: number;
  /** `dma_addr_t`, `phys_addr_t`, `resource_size_t`: 4 or 8 on armv7 (CONFIG_ARCH_DMA_ADDR_T_64BIT / LPAE). */
  wide: number;
  /** ARCH_DMA_MINALIGN. */
  line: number;
}

/** One member declaration as written (annotations included in `text`). */
export interface LayoutSlot {
  node: SyntaxNode;
  text: string;
  marker: 'begin' | 'end' | null;
}

export interface StructBody {
  node: SyntaxNode;
  /** The struct's source (the header's, for a struct from a header). */
  source: string;
  slots: readonly LayoutSlot[];
  macros: Macros;
}

/** A struct's body by tag, or undefined when it is not known. */
export type BodyOf = (tag: string) => StructBody | undefined;

/**
 * Where a member slot lies. `exact` false: `offset` is only a lower bound (the member's own
 * type is not known, its annotation gives the least alignment); `size` undefined: not known.
 */
export interface SlotPlace {
  offset: number;
  exact: boolean;
  size: number | undefined;
  /** The alignment the member was placed with (its type's and its annotations'). */
  align: number;
}

/** SMP_CACHE_BYTES / L1_CACHE_BYTES on arm64 and on the ARMv7 cores with non-coherent DMA. */
const CPU_LINE = 64;
const MAX_DEPTH = 4;

const FIXED_SIZE: Readonly<Record<string, number>> = {
  bool: 1, _Bool: 1, u8: 1, s8: 1, __u8: 1, __s8: 1, uint8_t: 1, int8_t: 1,
  u16: 2, s16: 2, __u16: 2, __s16: 2, __le16: 2, __be16: 2, uint16_t: 2, int16_t: 2,
  u32: 4, s32: 4, __u32: 4, __s32: 4, __le32: 4, __be32: 4, uint32_t: 4, int32_t: 4, atomic_t: 4,
  u64: 8, s64: 8, __u64: 8, __s64: 8, __le64: 8, __be64: 8, uint64_t: 8, int64_t: 8, atomic64_t: 8,
};
const POINTER_SIZED = new Set(['size_t', 'ssize_t', 'uintptr_t', 'intptr_t', 'ptrdiff_t', 'ulong', 'atomic_long_t']);
const WIDE = new Set(['dma_addr_t', 'phys_addr_t', 'resource_size_t']);

interface Shape {
  size: number;
  align: number;
}

const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** `unsigned long int` -> 8 on arm64; C's built-in integer types. */
function builtinSize(text: string, model: DataModel): number | undefined {
  const words = text.split(/\s+/).filter((w) => w !== 'signed' && w !== 'unsigned');
  const core = words.length > 1 ? words.filter((w) => w !== 'int') : words;
  const sizes: Record<string, number> = { '': 4, char: 1, short: 2, int: 4, long: model.pointer, 'long long': 8 };
  return sizes[core.join(' ')];
}

function scalarShape(type: SyntaxNode, model: DataModel): Shape | undefined {
  const text = type.text.replace(/\s+/g, ' ').trim();
  const size =
    FIXED_SIZE[text] ??
    (POINTER_SIZED.has(text) ? model.pointer : WIDE.has(text) ? model.wide : undefined) ??
    (type.type === 'primitive_type' || type.type === 'sized_type_specifier' ? builtinSize(text, model) : undefined);
  return size === undefined ? undefined : { size, align: size };
}

/**
 * The alignment a member's (or a struct's) annotations ask for: a number, null when there is
 * none, 'unknown' when one cannot be evaluated or the layout is packed.
 */
export function annotatedAlignment(text: string, model: DataModel, macros: Macros): number | null | 'unknown' {
  if (/\b(?:__packed|packed|__packed__)\b/.test(text)) return 'unknown';
  let align: number | null = null;
  const raise = (n: number) => {
    align = Math.max(align ?? 0, n);
  };
  if (/\b_{2,4}cacheline_aligned(?:_in_smp)?\b/.test(text)) raise(CPU_LINE);
  if (/\b____dma_from_device_aligned\b/.test(text)) raise(model.line);
  // `__aligned(N)`, `__attribute__((__aligned__(N)))`; not `____cacheline_aligned` nor a name like `aligned_buf`
  for (const m of text.matchAll(/(?<!\w)_*aligned_*(?!\w)(\s*\()?/g)) {
    if (!m[1]) return 'unknown'; // bare `aligned`: the target's largest alignment
    const open = (m.index ?? 0) + m[0].length;
    let depth = 1;
    let end = open;
    while (end < text.length && depth > 0) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')') depth--;
      end++;
    }
    const expr = text.slice(open, end - 1).trim();
    const name = expr.replace(/^\((.*)\)$/, '$1').trim();
    if (name === 'ARCH_DMA_MINALIGN' || name === 'IIO_DMA_MINALIGN') raise(model.line);
    else if (name === 'L1_CACHE_BYTES' || name === 'SMP_CACHE_BYTES') raise(CPU_LINE);
    else {
      const n = evaluateConstant(expr, macros);
      if (n === undefined || n <= 0 || (n & (n - 1)) !== 0) return 'unknown';
      raise(n);
    }
  }
  return align;
}

/** Size and alignment of one declarator of a member (arrays of known lengths; pointers). */
function declaratorShape(decl: SyntaxNode, element: () => Shape | undefined, model: DataModel, macros: Macros): Shape | undefined {
  let count = 1;
  let d: SyntaxNode | null = decl;
  for (; d && d.type === 'array_declarator'; d = d.childForFieldName('declarator')) {
    const sizeText = d.childForFieldName('size')?.text ?? '';
    const n = evaluateConstant(sizeText, (name) => (name === 'ARCH_DMA_MINALIGN' ? String(model.line) : name === 'PAGE_SIZE' ? '4096' : macros(name)));
    if (n === undefined || n <= 0) return undefined;
    count *= n;
  }
  if (!d) return undefined;
  if (d.type === 'field_identifier') {
    const e = element();
    return e && { size: e.size * count, align: e.align };
  }
  // a pointer (to data or a function), not an array of pointers: `*p[4]` and `(*p)[4]` look alike here
  if (count === 1 && /^(?:pointer_declarator|function_declarator|parenthesized_declarator)$/.test(d.type) && d.text.includes('*')) {
    return { size: model.pointer, align: model.pointer };
  }
  return undefined;
}

function fieldShape(slot: LayoutSlot, body: StructBody, model: DataModel, bodyOf: BodyOf, depth: number): Shape | undefined {
  const n = slot.node;
  if (n.type !== 'field_declaration') return undefined;
  if (n.namedChildren.some((c) => c.type === 'bitfield_clause')) return undefined;
  const type = n.childForFieldName('type');
  const decls = n.childrenForFieldName('declarator');
  if (!type || decls.length === 0) return undefined;
  const element = (): Shape | undefined => {
    if (type.type === 'struct_specifier') {
      const tag = type.childForFieldName('name')?.text;
      if (!tag || type.childForFieldName('body')) return undefined;
      const inner = bodyOf(tag);
      return inner ? structShape(inner, model, bodyOf, depth + 1) : undefined;
    }
    return scalarShape(type, model);
  };
  let size = 0;
  let align = 1;
  for (const d of decls) {
    const s = declaratorShape(d, element, model, body.macros);
    if (!s) return undefined;
    size = roundUp(size, s.align) + s.size;
    align = Math.max(align, s.align);
  }
  return { size, align };
}

/** Places every member it can, in order; undefined from the first member that cannot be placed. */
export function placeMembers(body: StructBody, model: DataModel, bodyOf: BodyOf, depth = 0): (SlotPlace | undefined)[] {
  const places: (SlotPlace | undefined)[] = [];
  const own = ownAttributes(body, model);
  let cursor: number | undefined = own ? 0 : undefined;
  for (const slot of body.slots) {
    if (cursor === undefined) {
      places.push(undefined);
      continue;
    }
    if (slot.marker) {
      // __dma_from_device_group_begin/end(): a zero-size member aligned to ARCH_DMA_MINALIGN
      cursor = roundUp(cursor, model.line);
      places.push({ offset: cursor, exact: true, size: 0, align: model.line });
      continue;
    }
    const annotated = annotatedAlignment(slot.text, model, body.macros);
    const shape = depth > MAX_DEPTH || annotated === 'unknown' ? undefined : fieldShape(slot, body, model, bodyOf, depth);
    if (!shape || annotated === 'unknown') {
      places.push(typeof annotated === 'number' ? { offset: roundUp(cursor, annotated), exact: false, size: undefined, align: annotated } : undefined);
      cursor = undefined;
      continue;
    }
    // a packed struct's members have no alignment of their own, only what they ask for
    const align = Math.max(own?.packed ? 1 : shape.align, annotated ?? 1);
    const offset = roundUp(cursor, align);
    places.push({ offset, exact: true, size: shape.size, align });
    cursor = offset + shape.size;
  }
  return places;
}

/**
 * The struct's own attributes (`struct __packed foo {`, `} __aligned(8);`); undefined for a
 * union or an attribute that does not evaluate.
 */
function ownAttributes(body: StructBody, model: DataModel): { packed: boolean; align: number | null } | undefined {
  const bodyNode = body.node.childForFieldName('body');
  if (body.node.type !== 'struct_specifier' || !bodyNode) return undefined;
  const head = body.source.slice(body.node.startIndex, bodyNode.startIndex);
  const tail = /^[^;{}]*/.exec(body.source.slice(bodyNode.endIndex))?.[0] ?? '';
  const packedWord = /\b(?:__packed|packed|__packed__)\b/g;
  const text = `${head} ${tail}`;
  const align = annotatedAlignment(text.replace(packedWord, ' '), model, body.macros);
  return align === 'unknown' ? undefined : { packed: packedWord.test(text), align };
}

/** Size and alignment of a whole struct whose every member is placed. */
function structShape(body: StructBody, model: DataModel, bodyOf: BodyOf, depth: number): Shape | undefined {
  const own = ownAttributes(body, model);
  if (depth > MAX_DEPTH || !own) return undefined;
  let align = own.align ?? 1;
  let end = 0;
  for (const p of placeMembers(body, model, bodyOf, depth)) {
    if (!p?.exact || p.size === undefined) return undefined;
    align = Math.max(align, p.align);
    end = p.offset + p.size;
  }
  return { size: roundUp(end, align), align };
}
