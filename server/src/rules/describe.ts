import type { SyntaxNode } from '../c/syntax';
import type { Direction } from '../dma/catalogue-types';
import { subjectLoc, type ApiCallEvent } from '../dma/events';
import { isIndexed, type LocKey } from '../dma/locations';
import type { MappingRecord, PathState } from '../sim/state';

/** Short phrases shared by rule messages. */

export function what(rec: MappingRecord): string {
  return rec.api.kind === 'alloc' ? `the ${rec.api.name}() allocation` : `the ${rec.api.name}() mapping`;
}

export function handleName(rec: MappingRecord): string {
  return rec.resultLoc ? `'${rec.resultLoc}'` : 'the handle';
}

export function dirName(d: Direction | undefined, text: string | undefined): string {
  return d ?? text ?? 'an unknown direction';
}

/** Two size expressions that certainly differ: distinct integer literals or sizeof of distinct types. */
export function sizesProvablyDiffer(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = a.replace(/\s+/g, '');
  const y = b.replace(/\s+/g, '');
  if (x === y) return false;
  const lit = /^(0x[0-9a-fA-F]+|\d+)[uUlL]*$/;
  if (lit.test(x) && lit.test(y)) return Number(x.replace(/[uUlL]+$/, '')) !== Number(y.replace(/[uUlL]+$/, ''));
  const sz = /^sizeof\((struct\w+|union\w+|[a-z_][a-z0-9_]*_t|u8|u16|u32|u64|int|long)\)$/;
  const ma = sz.exec(x);
  const mb = sz.exec(y);
  return !!ma && !!mb && ma[1] !== mb[1];
}

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);

function enclosingLoops(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let n: SyntaxNode | null = node.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (LOOPS.has(n.type)) out.push(n);
  }
  return out;
}

/** The loop's header (init, condition, update): where an iterator variable advances. */
function loopHeader(loop: SyntaxNode): string {
  const body = loop.childForFieldName('body');
  return body ? loop.text.slice(0, body.startIndex - loop.startIndex) + (loop.type === 'do_statement' ? (loop.childForFieldName('condition')?.text ?? '') : '') : loop.text;
}

/**
 * Whether two events on one location may concern different objects: `ring[i]` in a loop
 * names a different slot each time round, and so does `buf->dma` when `buf` is the loop's
 * iterator (`list_for_each_entry(buf, ...)`, `for (d = first; d; d = d->next)`), and so does
 * any location when the same statement runs again in a later iteration.
 */
export function slotMayDiffer(at: SyntaxNode, loc: LocKey | null, rec: MappingRecord, text?: string): boolean {
  if (rec.releasedAt && rec.releasedAt.startIndex === at.startIndex) return true;
  const indexed = (loc !== null && isIndexed(loc)) || (rec.resultLoc !== null && isIndexed(rec.resultLoc));
  // `map[seg]` then `map[i]`: only the same index text is surely the same slot
  if (loc !== null && isIndexed(loc) && text !== undefined && rec.releasedText !== undefined && text !== rec.releasedText) return true;
  const loops = enclosingLoops(at);
  if (loops.length === 0) return false;
  if (indexed) return true;
  const roots = [loc, rec.resultLoc].filter((l): l is LocKey => l !== null).map((l) => /^[&*]*(\w+)/.exec(l)?.[1] ?? '');
  return loops.some((loop) => roots.some((r) => r !== '' && new RegExp(`\\b${r}\\b`).test(loopHeader(loop))));
}

/**
 * `u->addr[i]` when slots of that array were filled by different map calls (sources mapped
 * TO_DEVICE in a loop, the destination FROM_DEVICE after it): which one this is, is unknown.
 */
export function ambiguousSlot(ev: ApiCallEvent, st: PathState): boolean {
  const loc = subjectLoc(ev);
  if (loc === null || !isIndexed(loc)) return false;
  return new Set(st.recordsAt(loc).map((r) => r.site)).size > 1;
}

/** A second release by a foreign record is only certain for the same direct call text. */
export function sameForeignSubject(ev: ApiCallEvent, rec: MappingRecord): boolean {
  if (!rec.foreign) return true;
  if (ev.via) return false;
  const subject = ev.api.family === 'sg' || ev.api.family === 'sgtable' ? ev.args.buffer : (ev.args.buffer && ev.api.kind === 'free' ? ev.args.buffer : ev.args.handle);
  return subject !== undefined && subject.text.replace(/\s+/g, '') === rec.releasedText;
}

export function eventSlotMayDiffer(ev: ApiCallEvent, rec: MappingRecord): boolean {
  const subject = ev.api.family === 'sg' || ev.api.family === 'sgtable' ? ev.args.buffer : (ev.args.handle ?? ev.args.buffer);
  // a wrapper's handle comes from its argument: different arguments, different slots
  if (ev.via && subject && rec.releasedText !== undefined && subject.text.replace(/\s+/g, '') !== rec.releasedText) return true;
  return slotMayDiffer(ev.call, subjectLoc(ev), rec, subject?.text.replace(/\s+/g, ''));
}
