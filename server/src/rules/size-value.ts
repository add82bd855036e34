import type { FunctionScope } from '../c/scope';

/**
 * The integer value of a size or offset expression, when it is provable: integer literals,
 * the fixed `SZ_*` constants of include/linux/sizes.h, identifiers that this file defines
 * to a constant (object-like macros, locals initialised once and never assigned; through
 * `scope.constantValue`), combined with `+ - * / % << >>` and parentheses. Anything else
 * (`sizeof`, `PAGE_SIZE`, a variable, a call) gives undefined: the rules that use this
 * report only when both sides are provable.
 */

const SZ = new Map<string, number>();
for (let i = 0; i <= 9; i++) {
  SZ.set(`SZ_${2 ** i}`, 2 ** i);
  SZ.set(`SZ_${2 ** i}K`, 2 ** i * 1024);
  SZ.set(`SZ_${2 ** i}M`, 2 ** i * 1024 * 1024);
  if (i <= 3) SZ.set(`SZ_${2 ** i}G`, 2 ** i * 1024 * 1024 * 1024);
}

type Tok = { kind: 'num'; value: number } | { kind: 'op'; text: string };

function tokenize(text: string, scope: FunctionScope | undefined, depth: number): Tok[] | undefined {
  const out: Tok[] = [];
  const re = /\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|\s*([A-Za-z_]\w*)|\s*(<<|>>|[-+*/%()])|\s+$/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m || m[0].length === 0) return undefined;
    i = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) {
      const name = m[2];
      const known = SZ.get(name);
      if (known !== undefined) {
        out.push({ kind: 'num', value: known });
        continue;
      }
      if (!scope || depth > 4) return undefined;
      const def = scope.constantValue(name);
      if (def === undefined || def.trim() === name) return undefined;
      const v = evaluate(def, scope, depth + 1);
      if (v === undefined) return undefined;
      out.push({ kind: 'num', value: v });
    } else if (m[3] !== undefined) out.push({ kind: 'op', text: m[3] });
  }
  return out;
}

function evaluate(text: string, scope: FunctionScope | undefined, depth: number): number | undefined {
  const toks = tokenize(text, scope, depth);
  if (!toks || toks.length === 0) return undefined;
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (t: Tok | undefined, ops: string[]): t is { kind: 'op'; text: string } => !!t && t.kind === 'op' && ops.includes(t.text);
  const primary = (): number | undefined => {
    const t = toks[pos++];
    if (!t) return undefined;
    if (t.kind === 'num') return t.value;
    if (t.text === '(') {
      const v = shift();
      if (!isOp(toks[pos++], [')'])) return undefined;
      return v;
    }
    if (t.text === '-') {
      const v = primary();
      return v === undefined ? undefined : -v;
    }
    return undefined;
  };
  const mul = (): number | undefined => {
    let v = primary();
    while (v !== undefined && isOp(peek(), ['*', '/', '%'])) {
      const op = (toks[pos++] as { text: string }).text;
      const r = primary();
      if (r === undefined || (op !== '*' && r === 0)) return undefined;
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const add = (): number | undefined => {
    let v = mul();
    while (v !== undefined && isOp(peek(), ['+', '-'])) {
      const op = (toks[pos++] as { text: string }).text;
      const r = mul();
      if (r === undefined) return undefined;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const shift = (): number | undefined => {
    let v = add();
    while (v !== undefined && isOp(peek(), ['<<', '>>'])) {
      const op = (toks[pos++] as { text: string }).text;
      const r = add();
      if (r === undefined || r < 0 || r > 52) return undefined;
      v = op === '<<' ? v * 2 ** r : Math.floor(v / 2 ** r);
    }
    return v;
  };
  const v = shift();
  if (v === undefined || pos !== toks.length || !Number.isSafeInteger(v)) return undefined;
  return v;
}

/** The value of a size/offset text, or undefined when it is not a provable constant. */
export function constSize(text: string | undefined, scope?: FunctionScope): number | undefined {
  if (!text) return undefined;
  return evaluate(text, scope, 0);
}

/** One canonical text for `sizeof(struct x)` / `sizeof(*p)` spellings, for equality only. */
export function sameSymbolicSize(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = a.replace(/\s+/g, '');
  return x === b.replace(/\s+/g, '') && /^sizeof\(/.test(x);
}
