import type { Platform } from '../../../shared/src/findings';
import type { FunctionScope } from '../c/scope';
import type { SyntaxNode } from '../c/syntax';
import type { Direction } from '../dma/catalogue-types';
import type { ApiCallEvent } from '../dma/events';
import { stripValue } from '../dma/locations';
import { resolveSize } from '../sim/constants';
import { isLive, type MappingRecord } from '../sim/state';
import type { Rule } from './rule';

/**
 * dma/overlap-conflict (DMA-SEMANTICS.md sections 2.2, 4.4 and 6.E): at a streaming map, another
 * mapping made on this path and still live covers the same memory, and at least one of the
 * two lets the device write.
 *
 * Memory is compared by expression, conservatively: a finding needs certainty that the two
 * mappings overlap, not a guess.
 * - The mapped address is split into an object and a byte offset: `&priv->stats` and
 *   `priv->rx_buf` (an array member) designate that member; `buf` (a pointer) designates
 *   what it points to (`*buf`); `buf + off` and `&arr[k]` add an offset; `(&x)->f` is `x.f`.
 *   `&p->buf` and `p->buf` are the same memory only when `buf` is known to be an array.
 * - Same object, same offset text: overlap.
 * - Same object, different offsets: overlap only when both offsets and the first one's size
 *   are integer constants and the ranges intersect (`buf` + `buf + HDR_LEN` with a header
 *   of HDR_LEN bytes is the usual split of one buffer in two, not a conflict).
 * - One object inside the other (`&priv->ring` and `&priv->ring.desc[0]`; `.` and `[k]` only,
 *   never through `->`, which leaves the object): overlap when the outer mapping starts at
 *   the outer object and its size is a `sizeof`, i.e. covers all of it.
 * - A variable index (`&ring[i]`) is not compared: `i` may differ between the two maps.
 * - Mappings from the same call site (loop iterations) are not compared: `buf + i * len`
 *   names another slice each time round.
 * - A mapping with DMA_ATTR_SKIP_CPU_SYNC is not compared: the driver syncs by hand, which is
 *   the documented way to share a buffer between devices.
 */

const ID = 'dma/overlap-conflict';

type StreamDir = Exclude<Direction, 'DMA_NONE'>;

/**
 * Where overlapping mappings corrupt, as data: `when` says which pairs of directions it
 * takes. swiotlb: each mapping has its own bounce slot, snapshotted at map and copied back at
 * sync_for_cpu/unmap. armv7, arm64, arm64-pre-5.19: the sync_for_cpu/unmap of a FROM_DEVICE
 * or BIDIRECTIONAL mapping invalidates the lines (clean+invalidate on partial edges) that the
 * other mapping's device data or CPU-written bytes are in. coherent: nothing happens to the
 * data in between, so it is not listed.
 */
const PLATFORM_EFFECTS: readonly { platforms: readonly Platform[]; when: (a: StreamDir, b: StreamDir) => boolean; effect: (a: StreamDir, b: StreamDir) => string }[] = [
  {
    platforms: ['swiotlb'],
    when: (a, b) => writable(a) || writable(b),
    effect: (a, b) =>
      writable(a) && writable(b)
        ? 'each mapping gets its own bounce slot, copied from memory at map and back at sync_for_cpu/unmap: the later copy-back overwrites what the device wrote through the other mapping (lost update)'
        : 'each mapping gets its own bounce slot, copied from memory at map: the TO_DEVICE slot is a snapshot that never sees what the device writes through the other mapping until that one is copied back at sync_for_cpu/unmap (stale read)',
  },
  {
    platforms: ['armv7', 'arm64', 'arm64-pre-5.19'],
    when: (a, b) => writable(a) || writable(b),
    effect: () =>
      "the sync_for_cpu/unmap of the device-writable mapping invalidates the cache lines (clean+invalidate on partial edge lines) that also hold the other mapping's data, so device data or CPU writes there are lost depending on timing",
  },
];

function writable(d: StreamDir): boolean {
  return d === 'DMA_FROM_DEVICE' || d === 'DMA_BIDIRECTIONAL';
}

function streamDir(d: Direction | undefined): StreamDir | null {
  return d && d !== 'DMA_NONE' ? d : null;
}

/** The memory a map call hands over: an object (canonical text) and a byte offset into it. */
interface Region {
  object: string;
  /** Offset text without spaces; '' for the start of the object. */
  offset: string;
  /** Size text as mapped (resolved), for containment and range tests. */
  size: string | undefined;
  family: 'single' | 'page';
  /** Pointer lvalues the object is reached through: reassigning one moves the object. */
  deps: string[];
}

interface Mapped {
  region: Region | null;
  skip: boolean;
  dir: StreamDir;
}

/**
 * Canonical text of an lvalue made of identifiers, `.f`, `->f`, `[literal]`; null otherwise.
 * `deps` collects the pointer lvalues it goes through (`priv` in `priv->buf`, `p` in `p[2]`):
 * if one of them is reassigned, the same text names other memory.
 */
function lvalueText(node: SyntaxNode, deps: string[] = []): string | null {
  const n = stripValue(node);
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'field_expression': {
      const arg = n.childForFieldName('argument');
      const field = n.childForFieldName('field');
      if (!arg || !field) return null;
      const isArrow = n.childForFieldName('operator')?.text === '->' || (!n.childForFieldName('operator') && n.text.includes('->'));
      const a = stripValue(arg);
      if (isArrow && a.type === 'pointer_expression' && a.child(0)?.text === '&') {
        const inner = a.childForFieldName('argument');
        const base = inner ? lvalueText(inner, deps) : null;
        return base === null ? null : `${base}.${field.text}`;
      }
      const base = lvalueText(arg, deps);
      if (base !== null && isArrow) deps.push(base);
      return base === null ? null : `${base}${isArrow ? '->' : '.'}${field.text}`;
    }
    case 'subscript_expression': {
      const arg = n.childForFieldName('argument');
      const index = n.childForFieldName('index');
      if (!arg || !index || !/^\d+$/.test(index.text.trim())) return null;
      const base = lvalueText(arg, deps);
      if (base !== null) deps.push(base);
      return base === null ? null : `${base}[${index.text.trim()}]`;
    }
    case 'pointer_expression': {
      if (n.child(0)?.text !== '*') return null;
      const inner = n.childForFieldName('argument');
      const base = inner ? lvalueText(inner, deps) : null;
      if (base !== null) deps.push(base);
      return base === null ? null : `*${base}`;
    }
    default:
      return null;
  }
}

/** Whether an lvalue names an array (a member or variable declared with `[...]`). */
function isArray(node: SyntaxNode, scope: FunctionScope): boolean | undefined {
  const n = stripValue(node);
  if (n.type === 'identifier') return scope.lookup(n.text)?.array;
  if (n.type === 'field_expression') {
    const field = n.childForFieldName('field')?.text;
    const arg = n.childForFieldName('argument');
    if (!field || !arg) return undefined;
    const type = structTypeOf(arg, scope);
    return type ? scope.file.structs.get(type)?.fields.get(field)?.array : undefined;
  }
  return undefined;
}

/** The struct tag an expression's (pointed-to) type names, when the declarations tell. */
export function structTypeOf(node: SyntaxNode, scope: FunctionScope): string | undefined {
  const n = stripValue(node);
  const tag = (baseType: string): string | undefined => /(?:struct|union)\s+(\w+)/.exec(baseType)?.[1];
  switch (n.type) {
    case 'identifier': {
      const d = scope.lookup(n.text);
      return d ? tag(d.baseType) : undefined;
    }
    case 'field_expression': {
      const arg = n.childForFieldName('argument');
      const field = n.childForFieldName('field')?.text;
      const outer = arg ? structTypeOf(arg, scope) : undefined;
      const f = outer && field ? scope.file.struct(outer)?.fields.get(field) : undefined;
      return f ? tag(f.baseType) : undefined;
    }
    case 'subscript_expression':
    case 'pointer_expression': {
      const arg = n.childForFieldName('argument');
      return arg ? structTypeOf(arg, scope) : undefined;
    }
    default:
      return undefined;
  }
}

function regionOf(ev: ApiCallEvent, scope: FunctionScope): Region | null {
  const buf = ev.args.buffer?.node;
  if (!buf) return null;
  const size = resolveSize(ev.args.size?.text, scope);
  if (ev.api.family === 'page') {
    const deps: string[] = [];
    const page = lvalueText(buf, deps);
    if (page === null) return null;
    return { object: `page:${page}`, offset: (ev.args.offset?.text ?? '').replace(/\s+/g, ''), size, family: 'page', deps: [...deps, page] };
  }
  if (ev.api.family !== 'single') return null;
  const deps: string[] = [];
  let n = stripValue(buf);
  let offset = '';
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '+') {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) return null;
    offset = right.text.replace(/\s+/g, '');
    n = stripValue(left);
  }
  if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
    const arg = n.childForFieldName('argument');
    if (!arg) return null;
    const a = stripValue(arg);
    // `&arr[k]`: element k of the array `arr`; with `p` a pointer, `&p[k]` is `p + k`
    if (a.type === 'subscript_expression' && offset === '') {
      const index = a.childForFieldName('index');
      const base = a.childForFieldName('argument');
      if (!index || !base || !/^\d+$/.test(index.text.trim())) return null;
      if (index.text.trim() !== '0') offset = `[${index.text.trim()}]`;
      const text = lvalueText(base, deps);
      if (text === null) return null;
      return isArray(base, scope) ? { object: text, offset, size, family: 'single', deps } : { object: `*${text}`, offset, size, family: 'single', deps: [...deps, text] };
    }
    const object = lvalueText(a, deps);
    return object === null ? null : { object, offset, size, family: 'single', deps };
  }
  const text = lvalueText(n, deps);
  if (text === null) return null;
  // an array decays to its own address; anything else is a pointer to the memory
  return isArray(n, scope) ? { object: text, offset, size, family: 'single', deps } : { object: `*${text}`, offset, size, family: 'single', deps: [...deps, text] };
}

function intValue(text: string, scope: FunctionScope): number | undefined {
  let t = text;
  for (let i = 0; i < 4 && /^[A-Za-z_]\w*$/.test(t); i++) {
    const v = scope.constantValue(t);
    if (!v) return undefined;
    t = v.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  }
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  if (/^\d+[uUlL]*$/.test(t)) return parseInt(t, 10);
  return undefined;
}

/** Whether two regions certainly share bytes (see the module comment). */
function overlaps(a: Region, b: Region, scope: FunctionScope): boolean {
  if (a.family !== b.family) return false;
  if (a.object === b.object) {
    if (a.offset === b.offset) return true;
    // element offsets (`[k]`) scale by an element size this rule does not know
    if (a.offset.startsWith('[') || b.offset.startsWith('[')) return false;
    const oa = a.offset === '' ? 0 : intValue(a.offset, scope);
    const ob = b.offset === '' ? 0 : intValue(b.offset, scope);
    const sa = a.size ? intValue(a.size, scope) : undefined;
    const sb = b.size ? intValue(b.size, scope) : undefined;
    if (oa === undefined || ob === undefined || sa === undefined || sb === undefined) return false;
    return oa < ob + sb && ob < oa + sa;
  }
  const inside = (outer: Region, inner: Region): boolean =>
    outer.offset === '' &&
    /^sizeof\b/.test(outer.size ?? '') &&
    (inner.object.startsWith(`${outer.object}.`) || inner.object.startsWith(`${outer.object}[`));
  return inside(a, b) || inside(b, a);
}

function describeRegion(ev: ApiCallEvent): string {
  return `'${(ev.args.buffer?.text ?? 'the buffer').replace(/\s+/g, ' ')}'`;
}

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);

/** Where the function sets an lvalue (`p = ...`, `T *p = ...`, `p++`, `&p` handed to a call), by canonical text. */
function assignments(body: SyntaxNode): { text: string; node: SyntaxNode }[] {
  const out: { text: string; node: SyntaxNode }[] = [];
  for (const n of body.descendantsOfType(['assignment_expression', 'update_expression', 'pointer_expression', 'init_declarator'])) {
    let target: SyntaxNode | null = null;
    if (n.type === 'init_declarator') {
      // a block-scope `T *p = ...;`: a new value each time the block runs (and maybe another `p`)
      let d = n.childForFieldName('declarator');
      while (d && d.type !== 'identifier') d = d.childForFieldName('declarator');
      target = d;
    } else if (n.type === 'assignment_expression') target = n.childForFieldName('left');
    else if (n.type === 'update_expression') target = n.childForFieldName('argument');
    else if (n.child(0)?.text === '&' && n.parent?.type === 'argument_list') target = n.childForFieldName('argument');
    const text = target ? lvalueText(target) : null;
    if (text !== null) out.push({ text, node: n });
  }
  return out;
}

function enclosingLoops(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) if (LOOPS.has(p.type)) out.push(p);
  return out;
}

/**
 * Whether a pointer the regions are reached through may have been reassigned between the two
 * maps: an assignment textually between them, or one sharing a loop with the first map.
 */
function movedBetween(deps: readonly string[], first: SyntaxNode, second: SyntaxNode, assigned: readonly { text: string; node: SyntaxNode }[]): boolean {
  const firstLoops = enclosingLoops(first);
  for (const a of assigned) {
    if (!deps.includes(a.text)) continue;
    if (a.node.startIndex >= first.endIndex && a.node.startIndex < second.startIndex) return true;
    const loops = enclosingLoops(a.node);
    if (loops.some((l) => firstLoops.some((f) => f.startIndex === l.startIndex))) return true;
  }
  return false;
}

export const overlapConflict: Rule = {
  id: ID,
  create(ctx) {
    // what each map call of this function mapped, by record id (records outlive forks)
    const mapped = new Map<number, Mapped>();
    const calls = new Map<number, ApiCallEvent>();
    let assigned: { text: string; node: SyntaxNode }[] | null = null;
    return {
      onMap(ev, rec, st) {
        if (ev.api.kind !== 'map') return;
        const dir = streamDir(rec.dir);
        if (!dir) return;
        const skip = /\bDMA_ATTR_SKIP_CPU_SYNC\b/.test(ev.args.attrs?.text ?? '');
        const region = regionOf(ev, ctx.scope);
        mapped.set(rec.id, { region, skip, dir });
        calls.set(rec.id, ev);
        if (!region || skip) return;
        for (const other of st.records.values()) {
          if (!conflicting(other, rec)) continue;
          const prev = mapped.get(other.id);
          const prevEv = calls.get(other.id);
          if (!prev || !prevEv || !prev.region || prev.skip) continue;
          if (!writable(prev.dir) && !writable(dir)) continue;
          if (!overlaps(prev.region, region, ctx.scope)) continue;
          assigned ??= assignments(ctx.fn.body);
          if (movedBetween([...prev.region.deps, ...region.deps], prevEv.call, ev.call, assigned)) continue;
          // named only on the modelled platforms (chosen, and those the file's Kconfig builds it for)
          const effects = PLATFORM_EFFECTS.filter((e) => e.when(prev.dir, dir))
            .map((e) => ({ ...e, platforms: e.platforms.filter((p) => ctx.platforms.includes(p)) }))
            .filter((e) => e.platforms.length > 0);
          if (effects.length === 0) continue;
          const platforms = [...new Set(effects.flatMap((e) => e.platforms))];
          const both = prev.dir === dir ? `both ${dir}` : `${prev.dir} and ${dir}`;
          ctx.reporter.report(
            ID,
            ev.call,
            `${describeRegion(ev)} is mapped ${dir} while ${describeRegion(prevEv)}, the same memory, is still mapped ${prev.dir} (${both}; at least one lets the device write): ${effects
              .map((e) => `${e.platforms.join(', ')}: ${e.effect(prev.dir, dir)}`)
              .join('; ')}. Unmap the first mapping (after the device is done) before mapping the memory again, or use separate buffers`,
            [{ node: other.call, message: `still mapped ${prev.dir} here, not unmapped before the second map` }],
            undefined,
            undefined,
            platforms,
          );
          return;
        }
      },
    };
  },
};

/** A live streaming mapping of this function, other than `rec` and not an earlier turn of its loop. */
function conflicting(other: MappingRecord, rec: MappingRecord): boolean {
  return other.id !== rec.id && other.site !== rec.site && isLive(other) && !other.foreign && other.api.kind === 'map';
}
