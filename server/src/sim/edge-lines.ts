import type { Platform, TraceStep } from '../../../shared/src/findings';
import type { FunctionScope } from '../c/scope';
import type { ApiCallEvent, CpuAccessEvent } from '../dma/events';
import { locOf, stripValue, type LocKey } from '../dma/locations';
import { resolveSize } from './constants';
import { memberSharing } from './line-sharing';
import type { Hazard, Version } from './memory';
import type { PlatformModel, StreamingDirection } from './platform-types';

/**
 * The partially covered first and last cache lines of a streaming mapping, as places of
 * their own (issue 4: "per buffer, and per cache line at its edges, versions of the data in
 * each place"). A line at an edge holds two things: bytes of the buffer, which the device
 * writes, and bytes of a neighbour, which the CPU writes. On a platform whose CPU cache the
 * device does not see, a CPU store to the neighbour while the device owns the buffer
 * brings the whole line into the cache and dirties it; the line then holds a copy of the
 * buffer's edge bytes from before the device wrote. What happens next is the platform
 * table's `edges` operation at the end of the device's ownership (unmap / sync_for_cpu,
 * platforms.ts), or an eviction, which may come at any moment:
 * - clean or clean+invalidate (ARMv7 v7_dma_inv_range, arm64 dcache_inval_poc: `dc civac` on
 *   a partial line), or an eviction: the dirty line is written back, and its stale buffer
 *   bytes replace what the device wrote;
 * - invalidate only: the line is dropped, and with it the CPU's write to the neighbour.
 * A coherent device and swiotlb (the device writes a bounce slot; the copy back covers the
 * buffer only) corrupt neither.
 *
 * Which mappings have such edges (decided at map time, FROM_DEVICE and BIDIRECTIONAL only):
 * - a struct member that does not have its lines to itself, by dma/cacheline-sharing's
 *   layout logic (line-sharing.ts); the neighbours are the members it names;
 * - `base + off` with a constant `off` that is not a multiple of 128 (the largest
 *   ARCH_DMA_MINALIGN), `base` assumed to start a line (kmalloc): CPU writes `base[k]` /
 *   `*(base + k)` with a constant `k` in the same 128-byte line as the buffer's first or
 *   last byte. An unknown `off` or `k` decides nothing (quiet).
 */

export type EdgeNeighbours =
  | {
      kind: 'member';
      /** Location of the struct that holds the mapped member (`priv`). */
      container: LocKey;
      member: string;
      struct: string;
      /** Neighbour field -> the platforms on which it shares a partial line with the member. */
      neighbours: ReadonlyMap<string, readonly Platform[]>;
    }
  | {
      kind: 'offset';
      base: LocKey;
      /** Byte offsets of the mapping's first byte and one past its last (end unknown: null). */
      start: number;
      end: number | null;
    };

/** The largest ARCH_DMA_MINALIGN among the modelled platforms (arm64). */
const LINE = 128;

/** At a map: the neighbours that share the mapping's partial edge lines, if any are known. */
export function edgeNeighbours(ev: ApiCallEvent, dir: StreamingDirection, scope: FunctionScope, source: string): EdgeNeighbours | undefined {
  if (ev.api.kind !== 'map' || ev.api.family !== 'single' || dir === 'DMA_TO_DEVICE') return undefined;
  const buf = ev.args.buffer?.node;
  if (!buf) return undefined;
  const sharing = memberSharing(buf, scope, source, ev.args.size?.text);
  if (sharing) {
    const container = locOf(sharing.container);
    if (container === null || sharing.shares.length === 0) return undefined;
    const neighbours = new Map<string, Platform[]>();
    for (const s of sharing.shares) {
      for (const f of [s.beforeField, s.afterField]) if (f !== null) neighbours.set(f, [...(neighbours.get(f) ?? []), s.platform]);
    }
    return neighbours.size > 0 ? { kind: 'member', container, member: sharing.field, struct: sharing.struct.name, neighbours } : undefined;
  }
  const n = stripValue(buf);
  if (n.type !== 'binary_expression' || n.childForFieldName('operator')?.text !== '+') return undefined;
  const left = n.childForFieldName('left');
  const base = left ? locOf(left) : null;
  const start = constantOf(n.childForFieldName('right')?.text, scope);
  if (base === null || start === undefined || start % LINE === 0) return undefined;
  const size = constantOf(ev.args.size?.text, scope);
  return { kind: 'offset', base, start, end: size === undefined ? null : start + size };
}

function constantOf(text: string | undefined, scope: FunctionScope): number | undefined {
  if (text === undefined) return undefined;
  const v = resolveSize(text, scope);
  return v !== undefined && /^\d+$/.test(v) ? parseInt(v, 10) : undefined;
}

/** The neighbour a CPU write lands on, when it is one of the mapping's edge neighbours. */
export function neighbourWritten(ev: CpuAccessEvent, edges: EdgeNeighbours, scope: FunctionScope): { name: string; platforms: readonly Platform[] | null } | null {
  if (!ev.write) return null;
  if (edges.kind === 'member') {
    // `priv->status = x` or `priv->hdr[i] = x`: the member written and the struct it is in
    let n = stripValue(ev.node);
    if (n.type === 'subscript_expression') n = stripValue(n.childForFieldName('argument') ?? n);
    if (n.type !== 'field_expression' || n.childForFieldName('operator')?.text !== '->') return null;
    const field = n.childForFieldName('field')?.text;
    const container = locOf(n.childForFieldName('argument'));
    const platforms = field ? edges.neighbours.get(field) : undefined;
    return field && platforms && container === edges.container ? { name: `'${field}'`, platforms } : null;
  }
  if (ev.base !== edges.base || ev.field) return null;
  const k = ev.offset === undefined ? 0 : constantOf(ev.offset, scope);
  if (k === undefined) return null;
  const firstLine = k < edges.start && Math.floor(k / LINE) === Math.floor(edges.start / LINE);
  const lastLine = edges.end !== null && edges.end % LINE !== 0 && k >= edges.end && Math.floor(k / LINE) === Math.floor((edges.end - 1) / LINE);
  return firstLine || lastLine ? { name: `byte ${k} of ${edges.base}`, platforms: null } : null;
}

// ---------------------------------------------------------------------------------------
// the line as a place

interface Line {
  /** The CPU's cached copy of the whole line; null when not cached. */
  cache: { neighbour: Version; buffer: Version; dirty: boolean } | null;
  ram: { neighbour: Version; buffer: Version };
  /** The device's copy of the buffer's bytes under swiotlb; null when not bouncing. */
  bounce: Version | null;
}

const OLD: Version = { id: 0, by: 'initial' };

function describe(v: Version): string {
  return v.by === 'initial' ? 'old data' : v.by === 'cpu' ? `CPU write #${v.id}` : `device write #${v.id}`;
}

function placesOf(model: PlatformModel, l: Line, neighbour: string, member: string): { platform: Platform; cache: string; ram: string; bounce: string } {
  const pair = (n: Version, b: Version) => `${neighbour} ${describe(n)}, ${member} ${describe(b)}`;
  return {
    platform: model.name,
    cache: l.cache ? `${pair(l.cache.neighbour, l.cache.buffer)}${l.cache.dirty ? ' (dirty)' : ''}` : '-',
    ram: pair(l.ram.neighbour, l.ram.buffer),
    bounce: l.bounce ? `${member} ${describe(l.bounce)}` : '-',
  };
}

/** Cache maintenance on the partial line; a dirty line written back carries its stale buffer bytes. */
function maintain(l: Line, op: 'none' | 'clean' | 'invalidate' | 'clean-invalidate'): Line {
  if (!l.cache || op === 'none') return l;
  const ram = op === 'invalidate' || !l.cache.dirty ? l.ram : { neighbour: l.cache.neighbour, buffer: l.cache.buffer };
  const cache = op === 'clean' ? { ...l.cache, dirty: false } : null;
  return { ...l, ram, cache };
}

export interface EdgeOutcome {
  hazards: Hazard[];
  trace: TraceStep[];
}

export interface EdgeEvent {
  line: number;
  event: string;
}

/**
 * The worst legal continuation of a CPU write to a neighbour while the device owns the
 * mapping: the device writes the buffer after the CPU's store filled the line, and the
 * device's ownership ends (unmap or sync_for_cpu; an eviction of the dirty line, which may
 * come earlier, writes it back the same way as a clean).
 */
export function neighbourWriteWhileDeviceOwned(
  models: readonly PlatformModel[],
  dir: StreamingDirection,
  skipCpuSync: boolean,
  names: { neighbour: string; member: string },
  at: { map: EdgeEvent; write: EdgeEvent },
  only: readonly Platform[] | null,
): EdgeOutcome {
  const cpu: Version = { id: 1, by: 'cpu' };
  const dev: Version = { id: 2, by: 'device' };
  const hazards: Hazard[] = [];
  const rows: { platform: Platform; cache: string; ram: string; bounce: string }[][] = [[], [], [], []];
  for (const model of models) {
    const shares = !only || only.includes(model.name);
    // map: the line is cached and clean (the CPU used the struct), then the map's edge operation
    let l: Line = { cache: model.coherent || model.bounces ? null : { neighbour: OLD, buffer: OLD, dirty: false }, ram: { neighbour: OLD, buffer: OLD }, bounce: null };
    if (!skipCpuSync && !model.bounces) l = maintain(l, model.effects.map[dir].edges);
    if (model.bounces) l = { ...l, bounce: l.ram.buffer };
    rows[0].push(placesOf(model, l, names.neighbour, names.member));
    // the CPU store: into the cache line, filled from RAM when absent (non-coherent only)
    if (model.coherent || model.bounces || !shares) l = { ...l, cache: null, ram: { ...l.ram, neighbour: cpu } };
    else l = { ...l, cache: { neighbour: cpu, buffer: l.cache?.buffer ?? l.ram.buffer, dirty: true } };
    rows[1].push(placesOf(model, l, names.neighbour, names.member));
    // the device writes the buffer's bytes in that line
    l = model.bounces ? { ...l, bounce: dev } : { ...l, ram: { ...l.ram, buffer: dev } };
    rows[2].push(placesOf(model, l, names.neighbour, names.member));
    // end of the device's ownership: the copy back, then the edge operation (or an eviction)
    const end = model.effects.unmap[dir];
    if (model.bounces && end.bounce === 'from-bounce' && l.bounce) l = { ...l, ram: { ...l.ram, buffer: l.bounce } };
    l = maintain(l, end.edges === 'none' ? 'clean' : end.edges);
    rows[3].push(placesOf(model, l, names.neighbour, names.member));
    const seen = l.cache ?? l.ram;
    if (seen.buffer.id !== dev.id) {
      hazards.push({
        platform: model.name,
        kind: 'lost-device-write',
        detail: `the dirty line is written back (${end.edges === 'none' ? 'eviction' : `${end.edges} at unmap/sync_for_cpu, or an eviction`}) with a stale copy of ${names.member}'s edge bytes over what the device wrote`,
      });
    }
    if (seen.neighbour.id !== cpu.id) {
      hazards.push({ platform: model.name, kind: 'lost-cpu-write', detail: `the ${end.edges} of the partial line discards the CPU's write to ${names.neighbour}` });
    }
  }
  const steps: { line: number; event: string }[] = [
    at.map,
    at.write,
    { line: at.write.line, event: `the device writes ${names.member} (it may, any time it owns the buffer)` },
    { line: at.write.line, event: 'dma_unmap_*() / dma_sync_*_for_cpu() later, or an eviction of the line: the partial edge line' },
  ];
  return { hazards, trace: steps.map((s, i) => ({ line: s.line, event: s.event, places: rows[i] })) };
}
