import type { Platform } from '../../../shared/src/findings';
import type { FunctionScope, StructDecl } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import { structTypeOf } from '../rules/overlap-conflict';
import { resolveSize } from './constants';
import { evaluateConstant, kernelConstant } from '../c/kernel-constants';
import { placeMembers, type BodyOf, type DataModel, type Macros, type SlotPlace } from './struct-offsets';

/**
 * Whether a mapped struct member has its cache lines to itself, per platform: the layout
 * logic of dma/cacheline-sharing (its module comment says what counts as isolated), shared
 * with the simulator's edge-line model (edge-lines.ts), which needs to know which
 * neighbours share the buffer's partial first and last lines.
 *
 * The struct is the declared type of the container; its layout comes from the analysed
 * file or, through FileScope.struct, from a header the file includes (then the text as
 * written and the macros are the header's).
 *
 * Computed offsets (struct-offsets.ts) decide when they are known on a platform; the rules
 * below them (alignment annotations, fellow arrays, group markers) decide otherwise, as
 * they did before offsets were computed.
 */

/** The platforms where device data and a neighbour in one partial cache line clobber each other. */
export const LINE_SHARING_PLATFORMS: readonly Platform[] = ['armv7', 'arm64', 'arm64-pre-5.19'];


/** A macro from the headers the file includes; not looked for when the kernel-wide table knows the name. */
function headerMacro(scope: FunctionScope, name: string): string | undefined {
  return kernelConstant(name) !== undefined || name === 'PAGE_SIZE' || name === 'ARCH_DMA_MINALIGN' ? undefined : scope.file.macro(name);
}

/** The struct's own file's macros first (a header's, or the analysed file's), then the included headers'. */
function macrosFor(struct: StructDecl, scope: FunctionScope): Macros {
  const own = struct.origin?.macros ?? scope.file.macros;
  return (n) => own.get(n) ?? headerMacro(scope, n);
}

/**
 * The data models under which a platform's offsets are computed: on armv7 `dma_addr_t` is 4
 * or 8 bytes (CONFIG_ARCH_DMA_ADDR_T_64BIT), and offsets decide only when both agree.
 */
const DATA_MODELS: Readonly<Record<string, readonly DataModel[]>> = {
  armv7: [
    { pointer: 4, wide: 4, line: 64 },
    { pointer: 4, wide: 8, line: 64 },
  ],
  arm64: [{ pointer: 8, wide: 8, line: 128 }],
  'arm64-pre-5.19': [{ pointer: 8, wide: 8, line: 128 }],
};

/**
 * ARCH_DMA_MINALIGN per platform, from its data model: ARM32 uses L1_CACHE_BYTES (64 on the
 * v7 cores that have non-coherent DMA), arm64 128 (arch/arm64/include/asm/cache.h).
 */
const lineOf = (p: Platform) => DATA_MODELS[p]?.[0]?.line ?? 128;

/** Alignment annotations, as data: the platforms on which each is NOT enough. */
const ALIGNMENTS: readonly { pattern: RegExp; shortOn: readonly Platform[] }[] = [
  { pattern: /aligned(?:__)?\s*\(\s*\(?\s*(?:ARCH_DMA_MINALIGN|IIO_DMA_MINALIGN)\s*\)?\s*\)/, shortOn: [] },
  { pattern: /\b____dma_from_device_aligned\b/, shortOn: [] },
  { pattern: /\b_{2,4}cacheline_aligned(?:_in_smp)?\b/, shortOn: ['arm64', 'arm64-pre-5.19'] },
  { pattern: /aligned(?:__)?\s*\(\s*\(?\s*(?:L1_CACHE_BYTES|SMP_CACHE_BYTES)\s*\)?\s*\)/, shortOn: ['arm64', 'arm64-pre-5.19'] },
  { pattern: /aligned(?:__)?\s*\(\s*\(?\s*ARCH_KMALLOC_MINALIGN\s*\)?\s*\)/, shortOn: ['arm64'] },
];

const GROUP_BEGIN = /\b__dma_from_device_group_begin\b/;
const GROUP_END = /\b__dma_from_device_group_end\b/;

/** The platforms on which a member's own annotations do not align it to ARCH_DMA_MINALIGN. */
export function shortOn(text: string): Set<Platform> {
  let best = new Set<Platform>(LINE_SHARING_PLATFORMS);
  const consider = (s: readonly Platform[]) => {
    if (s.length < best.size) best = new Set(s);
  };
  for (const a of ALIGNMENTS) if (a.pattern.test(text)) consider(a.shortOn);
  for (const m of text.matchAll(/aligned(?:__)?\s*\(\s*\(?\s*(\d+)\s*\)?\s*\)/g)) {
    const n = parseInt(m[1], 10);
    if (n >= 128) consider([]);
    else if (n >= 64) consider(['arm64', 'arm64-pre-5.19']);
  }
  return best;
}

const SCALAR = /^(?:const\s+|volatile\s+)*(?:unsigned\s+|signed\s+)?(?:char|short|int|long|long\s+long|u8|s8|u16|s16|u32|s32|u64|s64|__u8|__s8|__u16|__s16|__u32|__s32|__u64|__s64|__le16|__le32|__le64|__be16|__be32|__be64|uint8_t|int8_t|uint16_t|int16_t|uint32_t|int32_t|uint64_t|int64_t)$/;

const ELEMENT_SIZE: Record<string, number> = {
  char: 1, u8: 1, s8: 1, __u8: 1, __s8: 1, uint8_t: 1, int8_t: 1, 'unsigned char': 1, 'signed char': 1,
  u16: 2, s16: 2, __u16: 2, __s16: 2, __le16: 2, __be16: 2, uint16_t: 2, int16_t: 2,
  u32: 4, s32: 4, __u32: 4, __s32: 4, __le32: 4, __be32: 4, uint32_t: 4, int32_t: 4,
  u64: 8, s64: 8, __u64: 8, __s64: 8, __le64: 8, __be64: 8, uint64_t: 8, int64_t: 8,
};

/** One member slot of a struct body, in declaration order (anonymous structs/unions included). */
interface Slot {
  node: SyntaxNode;
  /** Original text (annotations as written). */
  text: string;
  /** An array of scalars: a fellow DMA buffer when it shares an aligned region. */
  scalarArray: boolean;
  /** `__dma_from_device_group_begin/end()` marker: an aligned zero-size member. */
  marker: 'begin' | 'end' | null;
}

function slotsOf(struct: StructDecl, source: string): Slot[] {
  const body = struct.node.childForFieldName('body');
  const out: Slot[] = [];
  for (const c of body?.namedChildren ?? []) {
    if (c.type === 'comment') continue;
    const text = source.slice(c.startIndex, c.endIndex);
    const marker = GROUP_BEGIN.test(text) ? 'begin' : GROUP_END.test(text) ? 'end' : null;
    let scalarArray = false;
    if (c.type === 'field_declaration') {
      const type = c.childForFieldName('type')?.text.replace(/\s+/g, ' ').trim() ?? '';
      const decls = c.childrenForFieldName('declarator');
      scalarArray = SCALAR.test(type) && decls.length > 0 && decls.every((d) => d.type === 'array_declarator');
    }
    out.push({ node: c, text, scalarArray, marker });
  }
  return out;
}

/** Bytes of an array member when its element type and every dimension are known constants. */
function arrayBytes(slot: Slot, macros: Macros): { bytes: number; minalignMultiple: boolean } | undefined {
  const type = slot.node.childForFieldName('type')?.text.replace(/\s+/g, ' ').trim() ?? '';
  const elem = ELEMENT_SIZE[type];
  const decl = slot.node.childrenForFieldName('declarator')[0];
  if (!elem || !decl) return undefined;
  let bytes = elem;
  let minalignMultiple = false;
  for (let d: SyntaxNode | null = decl; d && d.type === 'array_declarator'; d = d.childForFieldName('declarator')) {
    const size = d.childForFieldName('size')?.text.replace(/\s+/g, '') ?? '';
    if (/\bARCH_DMA_MINALIGN\b/.test(size)) {
      minalignMultiple = true;
      continue;
    }
    // PAGE_SIZE: at least 4096 everywhere, a multiple of every cache line
    const n = size === 'PAGE_SIZE' ? 4096 : evaluateConstant(size, (name) => (name === 'PAGE_SIZE' ? '4096' : macros(name)));
    if (n === undefined || n <= 0) return undefined;
    bytes *= n;
  }
  return { bytes, minalignMultiple };
}

/** The member a mapped buffer expression designates, with the expression of its container. */
function memberOf(buf: SyntaxNode, scope: FunctionScope): { container: SyntaxNode; field: string } | null {
  let n = stripValue(buf);
  let addressed = false;
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '+') {
    const left = n.childForFieldName('left');
    if (!left) return null;
    n = stripValue(left);
  }
  if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
    const arg = n.childForFieldName('argument');
    if (!arg) return null;
    addressed = true;
    n = stripValue(arg);
    if (n.type === 'subscript_expression') {
      const base = n.childForFieldName('argument');
      if (!base) return null;
      n = stripValue(base);
      addressed = false; // `&X->f[k]`: f must be an array
    }
  }
  if (n.type !== 'field_expression') return null;
  const container = n.childForFieldName('argument');
  const field = n.childForFieldName('field')?.text;
  if (!container || !field) return null;
  if (!addressed) {
    const type = structTypeOf(container, scope);
    const f = type ? scope.file.struct(type)?.fields.get(field) : undefined;
    if (!f?.array) return null;
  }
  return { container, field };
}

export interface Sharing {
  platform: Platform;
  /** What shares the first / last line: a member's name, or null when that side is isolated. */
  before: string | null;
  after: string | null;
  /**
   * The same members as plain field names (no quotes), null for an unnamed member or when
   * arrays lie between it and the buffer: those may push it out of the buffer's edge line
   * (ccree's `opad_tmp_keys_dma_addr` is 128 bytes of keys away from `digest_buff`).
   */
  beforeField: string | null;
  afterField: string | null;
}

/**
 * Whether the member starts on an ARCH_DMA_MINALIGN boundary on the platform: it is aligned
 * itself, or the members before it, back to an aligned one or the start of the struct, are
 * arrays whose sizes add up to a multiple of the platform's line.
 */
function startsAligned(slots: readonly Slot[], at: number, platform: Platform, macros: Macros): boolean {
  if (!shortOn(slots[at].text).has(platform)) return true;
  const line = lineOf(platform);
  let offset = 0;
  for (let i = at - 1; i >= 0; i--) {
    const s = slots[i];
    if (s.marker) return offset % line === 0;
    const size = s.scalarArray ? arrayBytes(s, macros) : undefined;
    if (!size) return false;
    // `u8 x[ARCH_DMA_MINALIGN]` keeps the offset on a line boundary whatever its value
    if (!size.minalignMultiple) offset += size.bytes;
    if (!shortOn(s.text).has(platform)) return offset % line === 0;
  }
  return offset % line === 0;
}

function slotField(slot: Slot): string | null {
  const decl = slot.node.childrenForFieldName('declarator')[0];
  let d: SyntaxNode | null = decl ?? null;
  while (d && d.type !== 'field_identifier') d = d.childForFieldName('declarator') ?? d.namedChildren[0] ?? null;
  return d ? d.text : null;
}

function slotName(slot: Slot): string {
  const f = slotField(slot);
  return f !== null ? `'${f}'` : 'an unnamed member';
}

/** What one mapped member shares, per platform; null when the buffer is not a struct member this logic understands. */
export interface MemberSharing {
  struct: StructDecl;
  field: string;
  /** The expression of the struct holding the member (`priv` in `&priv->rx_buf`). */
  container: SyntaxNode;
  /** The platforms on which the member's own annotations do not align it. */
  own: Set<Platform>;
  /** One entry per platform where a neighbour shares a line; empty when isolated everywhere. */
  shares: Sharing[];
}

/**
 * Whether a map's size is the member's own size: `sizeof(X->f)`, `sizeof(<the member's
 * type>)`, the array's dimension as written, or a constant equal to its known byte size.
 * Otherwise (`fix_size`, `sizeof(hdr) + sizeof(body)`) the map may run past the member
 * over the next ones (iwlegacy maps `&cmd->hdr` with the size of the whole command).
 */
function sizeIsMember(sizeText: string, field: string, slot: Slot, macros: Macros, scope: FunctionScope): boolean {
  const t = sizeText.replace(/\s+/g, '');
  const sz = /^sizeof(?:\((.+)\)|(.+))$/.exec(t);
  if (sz) {
    const inner = (sz[1] ?? sz[2] ?? '').replace(/^\((.*)\)$/, '$1');
    if (/(?:->|\.)(\w+)$/.exec(inner)?.[1] === field) return true;
    const type = slot.node.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
    const decl = slot.node.childrenForFieldName('declarator')[0];
    return inner === type && decl?.type === 'field_identifier';
  }
  const decl = slot.node.childrenForFieldName('declarator')[0];
  if (decl?.type === 'array_declarator' && decl.childForFieldName('size')?.text.replace(/\s+/g, '') === t) return true;
  const bytes = arrayBytes(slot, macros)?.bytes;
  const value = resolveSize(t, scope);
  return bytes !== undefined && value !== undefined && /^\d+$/.test(value) && parseInt(value, 10) === bytes;
}

/** Slot indexes of the members sharing the mapped range's first and last line (null: none). */
interface LineMates {
  before: number | null;
  after: number | null;
}

/**
 * The line-mates of the member at `at` from computed offsets, or undefined when the offsets
 * needed are not known. `mapped`: bytes mapped from the member's start; `judgeAfter` false:
 * the map runs on past the member, its end is not judged. Arrays of scalars in the line are
 * taken for fellow DMA buffers, as without offsets.
 */
function lineMatesByOffsets(slots: readonly Slot[], at: number, places: readonly (SlotPlace | undefined)[], line: number, mapped: number | undefined, judgeAfter: boolean): LineMates | undefined {
  const self = places[at];
  if (!self?.exact) return undefined;
  let before: number | null = null;
  const lineStart = Math.floor(self.offset / line) * line;
  if (self.offset !== lineStart) {
    for (let i = at - 1; i >= 0; i--) {
      const p = places[i];
      if (!p?.exact || p.size === undefined) return undefined;
      if (p.offset + p.size <= lineStart) break;
      if (p.size === 0 || slots[i].scalarArray) continue;
      before = i;
      break;
    }
  }
  let after: number | null = null;
  if (judgeAfter) {
    if (mapped === undefined) return undefined;
    const end = self.offset + mapped;
    const lineEnd = Math.ceil(end / line) * line;
    for (let i = at + 1; i < slots.length && end !== lineEnd; i++) {
      const p = places[i];
      if (!p) return undefined;
      // a lower bound is enough to put a member out of the line, not to put it in
      if (p.offset >= lineEnd) break;
      if (!p.exact) return undefined;
      if (p.size === 0 || slots[i].scalarArray) continue;
      after = i;
      break;
    }
  }
  return { before, after };
}

/**
 * Bytes mapped from the member's start: its size, or a known constant size not larger than
 * it; a variable size (a partial fill) counts as the whole member.
 */
function mappedBytes(memberBytes: number | undefined, sizeText: string | undefined, ownSize: boolean, scope: FunctionScope): number | undefined {
  if (memberBytes === undefined || sizeText === undefined || ownSize) return memberBytes;
  // a local constant first (`const int len = 16;`), then macros and kernel constants
  const n = evaluateConstant(resolveSize(sizeText, scope) ?? sizeText, (name) => scope.file.macros.get(name) ?? headerMacro(scope, name));
  return n !== undefined && n > 0 && n <= memberBytes ? n : memberBytes;
}

/** The same line-mates under every data model of the platform, or undefined. */
function agreedLineMates(verdicts: readonly (LineMates | undefined)[]): LineMates | undefined {
  const first = verdicts[0];
  if (!first) return undefined;
  return verdicts.every((v) => v !== undefined && v.before === first.before && v.after === first.after) ? first : undefined;
}

// per function analysis and map call: the simulator (edge lines) and the rule both ask, on
// every path that reaches the map, and the answer depends only on the call and the layouts
const sharingMemo = new WeakMap<FunctionScope, Map<string, MemberSharing | null>>();

/** `sizeText`: the map's size argument; when it is not the member's own size, the members after it are not judged. */
export function memberSharing(buf: SyntaxNode, scope: FunctionScope, fileSource: string, sizeText?: string): MemberSharing | null {
  let memo = sharingMemo.get(scope);
  if (!memo) {
    memo = new Map();
    sharingMemo.set(scope, memo);
  }
  const key = `${buf.startIndex}:${buf.endIndex}|${sizeText ?? ''}`;
  let out = memo.get(key);
  if (out === undefined) {
    out = computeMemberSharing(buf, scope, fileSource, sizeText);
    memo.set(key, out);
  }
  return out;
}

function computeMemberSharing(buf: SyntaxNode, scope: FunctionScope, fileSource: string, sizeText?: string): MemberSharing | null {
  const member = memberOf(buf, scope);
  if (!member) return null;
  const type = structTypeOf(member.container, scope);
  const struct = type ? scope.file.struct(type) : undefined;
  const field = struct?.fields.get(member.field);
  if (!struct || !field) return null;
  const source = struct.origin?.source ?? fileSource;
  // the struct's own file first, then the headers the analysed file includes
  const macros = macrosFor(struct, scope);
  const slots = slotsOf(struct, source);
  const at = slots.findIndex((s) => s.node.startIndex === field.node.startIndex);
  if (at < 0) return null;
  const base = { struct, field: member.field, container: member.container };
  // inside a __dma_from_device_group_begin/end pair
  for (let i = at - 1; i >= 0; i--) {
    if (slots[i].marker === 'end') break;
    if (slots[i].marker === 'begin') return { ...base, own: new Set(), shares: [] };
  }
  const self = slots[at];
  const own = shortOn(self.text);
  const size = arrayBytes(self, macros);
  // an array member mapped with a variable size (`req_ctx->hw_context_size`) is a buffer filled
  // in part; a struct member mapped with one is the start of a larger region (iwlegacy)
  const ownSize = sizeText !== undefined && sizeIsMember(sizeText, member.field, self, macros, scope);
  const judgeAfter = sizeText === undefined || ownSize || (!!field.array && !/[+]/.test(sizeText));
  const shares: Sharing[] = [];
  // an array whose length this file cannot evaluate ends somewhere unknown: that side is not judged
  const endKnown = !field.array || !!size;
  const bodyOf: BodyOf = (tag) => {
    const s = scope.file.struct(tag);
    if (!s) return undefined;
    const src = s.origin?.source ?? fileSource;
    return { node: s.node, source: src, slots: slotsOf(s, src), macros: macrosFor(s, scope) };
  };
  const body = { node: struct.node, source, slots, macros };
  for (const platform of LINE_SHARING_PLATFORMS) {
    const line = lineOf(platform);
    const byOffsets =
      struct.node.type === 'struct_specifier'
        ? agreedLineMates(
            (DATA_MODELS[platform] ?? []).map((model) => {
              const places = placeMembers(body, model, bodyOf);
              return lineMatesByOffsets(slots, at, places, model.line, mappedBytes(places[at]?.size, sizeText, ownSize, scope), judgeAfter);
            }),
          )
        : undefined;
    if (byOffsets) {
      const before = byOffsets.before === null ? null : slots[byOffsets.before];
      const after = byOffsets.after === null ? null : slots[byOffsets.after];
      if (before || after) {
        shares.push({
          platform,
          before: before && slotName(before),
          after: after && slotName(after),
          // proven to lie in the edge line, whatever lies between
          beforeField: before && slotField(before),
          afterField: after && slotField(after),
        });
      }
      continue;
    }
    let before: Slot | null = null;
    let beforeAdjacent = false;
    if (own.has(platform)) {
      let between = 0;
      for (let i = at - 1; i >= 0; i--) {
        const s = slots[i];
        if (s.marker) break;
        if (!s.scalarArray) {
          before = s;
          beforeAdjacent = i === at - 1;
          break;
        }
        if (!shortOn(s.text).has(platform)) break;
        // fellow buffers of a whole line or more push anything earlier out of the first line
        between += arrayBytes(s, macros)?.bytes ?? 0;
        if (between >= line) break;
      }
    }
    let after: Slot | null = null;
    let afterAdjacent = false;
    const endAligned = startsAligned(slots, at, platform, macros) && !!size && (size.minalignMultiple || (size.bytes > 0 && size.bytes % line === 0));
    if (!endAligned && judgeAfter && endKnown) {
      let between = 0;
      for (let i = at + 1; i < slots.length; i++) {
        const s = slots[i];
        if (s.marker || !shortOn(s.text).has(platform)) break;
        if (!s.scalarArray) {
          after = s;
          afterAdjacent = i === at + 1;
          break;
        }
        between += arrayBytes(s, macros)?.bytes ?? 0;
        if (between >= line) break;
      }
    }
    if (before !== null || after !== null) {
      shares.push({
        platform,
        before: before && slotName(before),
        after: after && slotName(after),
        beforeField: before && beforeAdjacent ? slotField(before) : null,
        afterField: after && afterAdjacent ? slotField(after) : null,
      });
    }
  }
  return { ...base, own, shares };
}
