/**
 * Kconfig `depends on` / `if` expressions, parsed into a small tree and evaluated per
 * architecture in three-valued logic: a symbol the caller cannot decide is "maybe", so an
 * unknown symbol can never make an architecture impossible.
 */

export type Expr =
  | { kind: 'sym'; name: string }
  | { kind: 'const'; value: Tri }
  | { kind: 'not'; arg: Expr }
  | { kind: 'and' | 'or'; args: Expr[] };

/** 0: false, 1: maybe (unknown or a user's choice), 2: true. */
export type Tri = 0 | 1 | 2;

export const TRUE: Expr = { kind: 'const', value: 2 };
const MAYBE: Expr = { kind: 'const', value: 1 };

export function and(args: Expr[]): Expr {
  return args.length === 1 ? args[0] : { kind: 'and', args };
}

export function or(args: Expr[]): Expr {
  return args.length === 1 ? args[0] : { kind: 'or', args };
}

const TOKEN = /\s*(\|\||&&|!=|=|!|\(|\)|"[^"]*"|'[^']*'|[A-Za-z0-9_$.\-+/]+(?:\([^)]*\))?)/y;

/** The expression, or undefined when it does not parse (the caller then narrows nothing). */
export function parseExpr(text: string): Expr | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const src = text.trim();
  while (TOKEN.lastIndex < src.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m || TOKEN.lastIndex === start) return undefined;
    tokens.push(m[1]);
  }
  let i = 0;
  const peek = () => tokens[i];
  const orExpr = (): Expr | undefined => {
    const parts: Expr[] = [];
    for (;;) {
      const e = andExpr();
      if (!e) return undefined;
      parts.push(e);
      if (peek() !== '||') return or(parts);
      i++;
    }
  };
  const andExpr = (): Expr | undefined => {
    const parts: Expr[] = [];
    for (;;) {
      const e = unary();
      if (!e) return undefined;
      parts.push(e);
      if (peek() !== '&&') return and(parts);
      i++;
    }
  };
  const unary = (): Expr | undefined => {
    const t = peek();
    if (t === '!') {
      i++;
      const arg = unary();
      return arg && { kind: 'not', arg };
    }
    if (t === '(') {
      i++;
      const e = orExpr();
      if (!e || peek() !== ')') return undefined;
      i++;
      return e;
    }
    return comparison();
  };
  const comparison = (): Expr | undefined => {
    const left = atom();
    if (!left) return undefined;
    const op = peek();
    if (op !== '=' && op !== '!=') return left.expr;
    i++;
    const right = atom();
    if (!right) return undefined;
    // `FOO=y`, `FOO=m`, `FOO!=n` are FOO; `FOO=n`, `FOO!=y` are !FOO; anything else
    // (strings, numbers, two symbols) is not decided here
    const sym = left.expr.kind === 'sym' ? left.expr : undefined;
    const value = right.word;
    if (!sym || !/^[ymn]$/.test(value)) return MAYBE;
    const truthy = value !== 'n' ? op === '=' : op === '!=';
    if (value === 'm' && op === '!=') return MAYBE;
    return truthy ? sym : { kind: 'not', arg: sym };
  };
  const atom = (): { expr: Expr; word: string } | undefined => {
    const t = peek();
    if (t === undefined || t === '||' || t === '&&' || t === ')' || t === '=' || t === '!=') return undefined;
    i++;
    if (t === 'y' || t === 'm') return { expr: TRUE, word: t };
    if (t === 'n') return { expr: { kind: 'const', value: 0 }, word: t };
    // symbols may start with a digit (64BIT, 440SPe); plain numbers are not symbols
    if (/^[A-Z0-9_]+$/i.test(t) && !/^(\d+|0x[0-9a-f]+)$/i.test(t)) return { expr: { kind: 'sym', name: t }, word: t };
    // strings, numbers, $(macros): not a symbol whose value is known
    return { expr: MAYBE, word: t.replace(/^["']|["']$/g, '') };
  };
  if (tokens.length === 0) return undefined;
  const e = orExpr();
  return e && i === tokens.length ? e : undefined;
}

/** The expression's value with each symbol's value from `sym` (Kleene logic). */
export function evaluate(e: Expr, sym: (name: string) => Tri): Tri {
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'sym':
      return sym(e.name);
    case 'not':
      return (2 - evaluate(e.arg, sym)) as Tri;
    case 'and': {
      let v: Tri = 2;
      for (const a of e.args) {
        v = Math.min(v, evaluate(a, sym)) as Tri;
        if (v === 0) return 0;
      }
      return v;
    }
    case 'or': {
      let v: Tri = 0;
      for (const a of e.args) {
        v = Math.max(v, evaluate(a, sym)) as Tri;
        if (v === 2) return 2;
      }
      return v;
    }
  }
}
