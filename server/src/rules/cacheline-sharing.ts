import type { Platform } from '../../../shared/src/findings';
import type { FunctionScope, StructDecl } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import type { Rule } from './rule';
import { structTypeOf } from './overlap-conflict';

/**
 * dma/cacheline-sharing (DMA-SEMANTICS.md sections 0 points 2 and 10, 3.5, 4.3, 6.C): a
 * DMA_FROM_DEVICE / DMA_BIDIRECTIONAL streaming map of a struct member that does not have
 * its cache lines to itself.
 *
 * What is a member: `&X->f`, `&X.f`, `&X->f[k]`, and `X->f` / `X->f + off` where `f` is an
 * array; the struct is the declared type of `X` and must be defined in this file (its layout
 * is read from `scope.file.structs`). A pointer member (`X->buf` with `u8 *buf`) maps what it
 * points to, not the member, and is not this rule's business.
 *
 * Isolation is judged per platform from the annotations in the text as written (the parsed
 * text has them blanked): for each of armv7, arm64 and arm64-pre-5.19 (the platforms whose
 * partial-line maintenance is a clean+invalidate; coherent and swiotlb do not share lines
 * with a bounce slot) the member must be isolated on both sides:
 * - start: the member itself carries an alignment sufficient on that platform; or every
 *   member before it back to one that does (or back to the start of the struct) is an array
 *   of scalars, i.e. a fellow DMA buffer of the same aligned region (the IIO idiom: align the
 *   first buffer, the others follow it); the struct itself is assumed to start on a DMA-safe
 *   boundary (allocated on its own: kmalloc's ARCH_KMALLOC_MINALIGN is ARCH_DMA_MINALIGN on
 *   ARM in 6.1);
 * - end: the member starts aligned on that platform (its own alignment, or arrays of known
 *   sizes adding up to a multiple of 128 bytes before it) and its size is a multiple of 128
 *   bytes (PAGE_SIZE counts; or a multiple of ARCH_DMA_MINALIGN); or the next member carries a sufficient alignment; or every member
 *   after it up to one that does (or up to the end of the struct) is an array of scalars; the
 *   last member's end is the end of the allocation.
 * - a member between `__dma_from_device_group_begin()` and `__dma_from_device_group_end()`
 *   is isolated.
 * Alignments: `__aligned(ARCH_DMA_MINALIGN)`, `__aligned(IIO_DMA_MINALIGN)`,
 * `____dma_from_device_aligned`, `__aligned(N)` with N >= 128: all platforms.
 * `____cacheline_aligned`, `__cacheline_aligned` (and `_in_smp`), `__aligned(L1_CACHE_BYTES)`,
 * `__aligned(SMP_CACHE_BYTES)`, `__aligned(N)` with 64 <= N < 128: armv7 only (ARM32's
 * ARCH_DMA_MINALIGN is L1_CACHE_BYTES; arm64's L1_CACHE_BYTES is 64 where ARCH_DMA_MINALIGN is
 * 128). `__aligned(ARCH_KMALLOC_MINALIGN)`: not arm64 (8 bytes there in current kernels).
 * Reaching the start or the end of the struct counts as isolated on that side; for a member
 * of an embedded struct (`&X->inner.f`) that means the members of the outer struct around
 * `inner` are not looked at (a known gap, chosen to stay quiet rather than guess).
 * Not done: the refinement to an error when the CPU writes a neighbouring member while the
 * buffer is mapped; the severity is always the rule's default.
 */

const ID = 'dma/cacheline-sharing';

/** The platforms where device data and a neighbour in one partial cache line clobber each other. */
const LINE_SHARING_PLATFORMS: readonly Platform[] = ['armv7', 'arm64', 'arm64-pre-5.19'];

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
function shortOn(text: string): Set<Platform> {
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
function arrayBytes(slot: Slot, scope: FunctionScope): { bytes: number; minalignMultiple: boolean } | undefined {
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
    let t = size;
    for (let i = 0; i < 4 && /^[A-Za-z_]\w*$/.test(t) && t !== 'PAGE_SIZE'; i++) t = (scope.file.macros.get(t) ?? '').replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
    // PAGE_SIZE: at least 4096 everywhere, a multiple of every cache line
    if (t === 'PAGE_SIZE') t = '4096';
    if (!/^\d+$/.test(t)) return undefined;
    bytes *= parseInt(t, 10);
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
    const f = type ? scope.file.structs.get(type)?.fields.get(field) : undefined;
    if (!f?.array) return null;
  }
  return { container, field };
}

interface Sharing {
  platform: Platform;
  /** What shares the first / last line: a member's name, or null when that side is isolated. */
  before: string | null;
  after: string | null;
}

/**
 * Whether the member starts on an ARCH_DMA_MINALIGN boundary on the platform: it is aligned
 * itself, or the members before it, back to an aligned one or the start of the struct, are
 * arrays whose sizes add up to a multiple of 128 bytes.
 */
function startsAligned(slots: readonly Slot[], at: number, platform: Platform, scope: FunctionScope): boolean {
  if (!shortOn(slots[at].text).has(platform)) return true;
  let offset = 0;
  for (let i = at - 1; i >= 0; i--) {
    const s = slots[i];
    if (s.marker) return offset % 128 === 0;
    const size = s.scalarArray ? arrayBytes(s, scope) : undefined;
    if (!size) return false;
    // `u8 x[ARCH_DMA_MINALIGN]` keeps the offset on a line boundary whatever its value
    if (!size.minalignMultiple) offset += size.bytes;
    if (!shortOn(s.text).has(platform)) return offset % 128 === 0;
  }
  return offset % 128 === 0;
}

function slotName(slot: Slot): string {
  const decl = slot.node.childrenForFieldName('declarator')[0];
  let d: SyntaxNode | null = decl ?? null;
  while (d && d.type !== 'field_identifier') d = d.childForFieldName('declarator') ?? d.namedChildren[0] ?? null;
  return d ? `'${d.text}'` : 'an unnamed member';
}

export const cachelineSharing: Rule = {
  id: ID,
  create(ctx) {
    return {
      onMap(ev, rec) {
        if (ev.api.kind !== 'map' || ev.api.family !== 'single') return;
        if (rec.dir !== 'DMA_FROM_DEVICE' && rec.dir !== 'DMA_BIDIRECTIONAL') return;
        const buf = ev.args.buffer?.node;
        if (!buf) return;
        const member = memberOf(buf, ctx.scope);
        if (!member) return;
        const type = structTypeOf(member.container, ctx.scope);
        const struct = type ? ctx.scope.file.structs.get(type) : undefined;
        const field = struct?.fields.get(member.field);
        if (!struct || !field) return;
        const slots = slotsOf(struct, ctx.source);
        const at = slots.findIndex((s) => s.node.startIndex === field.node.startIndex);
        if (at < 0) return;
        // inside a __dma_from_device_group_begin/end pair
        for (let i = at - 1; i >= 0; i--) {
          if (slots[i].marker === 'end') break;
          if (slots[i].marker === 'begin') return;
        }
        const self = slots[at];
        const own = shortOn(self.text);
        const size = arrayBytes(self, ctx.scope);
        const shares: Sharing[] = [];
        for (const platform of LINE_SHARING_PLATFORMS) {
          let before: string | null = null;
          if (own.has(platform)) {
            for (let i = at - 1; i >= 0; i--) {
              const s = slots[i];
              if (s.marker) break;
              if (!s.scalarArray) {
                before = slotName(s);
                break;
              }
              if (!shortOn(s.text).has(platform)) break;
            }
          }
          let after: string | null = null;
          const endAligned = startsAligned(slots, at, platform, ctx.scope) && !!size && (size.minalignMultiple || (size.bytes > 0 && size.bytes % 128 === 0));
          if (!endAligned) {
            for (let i = at + 1; i < slots.length; i++) {
              const s = slots[i];
              if (s.marker || !shortOn(s.text).has(platform)) break;
              if (!s.scalarArray) {
                after = slotName(s);
                break;
              }
            }
          }
          if (before !== null || after !== null) shares.push({ platform, before, after });
        }
        if (shares.length === 0) return;
        const platforms = shares.map((s) => s.platform);
        const neighbours = [...new Set(shares.flatMap((s) => [s.before ? `${s.before} (before it)` : '', s.after ? `${s.after} (after it)` : '']).filter(Boolean))];
        const cachelineOnly = platforms.every((p) => p === 'arm64' || p === 'arm64-pre-5.19') && !own.has('armv7');
        const why = cachelineOnly
          ? ' (its alignment is the CPU cache line, 64 bytes on arm64, where ARCH_DMA_MINALIGN is 128)'
          : own.size === LINE_SHARING_PLATFORMS.length
            ? ' (not aligned to ARCH_DMA_MINALIGN)'
            : '';
        ctx.reporter.report(
          ID,
          ev.call,
          `'${member.field}' of struct ${struct.name} is mapped ${rec.dir} but shares a cache line with ${neighbours.join(' and ')}${why}: on ${platforms.join(', ')} the clean+invalidate of the partial edge lines at map, sync and unmap writes the neighbour's dirty bytes over device data, or discards a CPU write to the neighbour. Align the buffer and the member after it with __aligned(ARCH_DMA_MINALIGN) (IIO_DMA_MINALIGN in IIO drivers), move it last, or allocate it separately`,
          [{ node: field.node, message: `'${member.field}' is declared here` }],
          undefined,
          undefined,
          platforms,
        );
      },
    };
  },
};
