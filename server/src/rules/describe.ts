import type { SyntaxNode } from '../c/syntax';
import type { Direction } from '../dma/catalogue-types';
import { subjectLoc, type ApiCallEvent } from '../dma/events';
import { isIndexed, type LocKey } from '../dma/locations';
import type { MappingRecord } from '../sim/state';

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

function insideLoop(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement' || n.type === 'do_statement') return true;
  }
  return false;
}

/**
 * `ring[i]` in a loop names a different slot each time round: a second release there is
 * not the same mapping. Outside loops the index is taken to be the same.
 */
export function slotMayDiffer(at: SyntaxNode, loc: LocKey | null, rec: MappingRecord): boolean {
  const indexed = (loc !== null && isIndexed(loc)) || (rec.resultLoc !== null && isIndexed(rec.resultLoc));
  return indexed && (insideLoop(at) || (rec.releasedAt !== undefined && insideLoop(rec.releasedAt)) || insideLoop(rec.call));
}

export function eventSlotMayDiffer(ev: ApiCallEvent, rec: MappingRecord): boolean {
  return slotMayDiffer(ev.call, subjectLoc(ev), rec);
}
