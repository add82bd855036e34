import type { Direction } from '../dma/catalogue-types';
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
