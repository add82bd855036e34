/**
 * The kernel-dialect mask: a length-preserving rewrite of Linux driver C applied before
 * tree-sitter parses it, so that kernel-only constructs stop producing ERROR nodes.
 *
 * Guarantees: the output has the same length as the input, every `\n` and `\r` stays at
 * its index (so offsets, lines and columns never move), a masked character becomes a space,
 * and nothing inside a comment, string literal or character literal of active code is
 * changed. The rewrite is one linear pass of a small lexer (no regular expressions on the
 * hot path), so it can run on every keystroke.
 *
 * What it does, driven by the table in `dialect.json` (extended by `MacroSettings`):
 * - `annotations`: macros without arguments (`__iomem`, `__init`, ...) become spaces;
 * - `annotationsWithArgs`: such macros with their balanced `(...)` become spaces
 *   (`__aligned(8)`, `__acquires(&lock)`); without a following `(` just the name goes;
 * - `iterators`: loop-head macros followed by `(` (`list_for_each_entry(...)`) have their
 *   name replaced by `while` padded with spaces, keeping the argument list;
 * - `blankedStatements`: macro invocations that are not valid C (`module_param(x, int, 0)`)
 *   are blanked with their argument list and a directly following `;`;
 * - preprocessor conditionals: the directive lines (`#if`, `#ifdef`, `#ifndef`, `#elif`,
 *   `#else`, `#endif`, with continuations) become spaces; of each conditional one branch is
 *   kept (the first one whose condition is not known to be false) and the others are
 *   blanked, so braces stay balanced and nothing is defined twice. `#if 0` regions go whole.
 *   Unterminated conditionals run to the end of the file; stray `#endif`/`#else` are ignored.
 *   Other directives (`#include`, `#define`, ...) are left alone.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { MacroSettings } from '../../../shared/src/config';

/** The built-in table, as shipped in `dialect.json`. */
export interface DialectTable {
  annotations: string[];
  annotationsWithArgs: string[];
  iterators: string[];
  blankedStatements: string[];
  /** Macros with a type among their arguments: argument index of the type. */
  typeArgMacros: Record<string, number>;
  /** Declaring macros (`static DEFINE_MUTEX(lock);`): index of the argument naming the object. */
  declarationMacros: Record<string, number>;
  /** Macros that expand to a string literal (`KERN_ERR`). */
  stringMacros: string[];
}

const KIND_ANNOTATION = 1;
const KIND_WITH_ARGS = 2;
const KIND_ITERATOR = 3;
const KIND_STATEMENT = 4;
const KIND_TYPE_ARG = 5;
const KIND_DECLARATION = 6;
const KIND_STRING = 7;

type Kind =
  | typeof KIND_ANNOTATION
  | typeof KIND_WITH_ARGS
  | typeof KIND_ITERATOR
  | typeof KIND_STATEMENT
  | typeof KIND_TYPE_ARG
  | typeof KIND_DECLARATION
  | typeof KIND_STRING;

interface Entry {
  kind: Kind;
  /** Argument index for KIND_TYPE_ARG and KIND_DECLARATION. */
  arg: number;
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value)) throw new Error(`dialect.json: "${key}" must be an array`);
  const out: string[] = [];
  for (const v of value as unknown[]) {
    if (typeof v === 'string' && /^[A-Za-z_]\w*$/.test(v)) out.push(v);
  }
  return out;
}

function indexMap(value: unknown, key: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (value === undefined) return out;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`dialect.json: "${key}" must be an object`);
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (/^[A-Za-z_]\w*$/.test(k) && typeof v === 'number' && Number.isInteger(v) && v >= 0) out[k] = v;
  }
  return out;
}

function loadTable(): DialectTable {
  // dialect.json lives next to this file in the source tree; tsc does not copy it to out/,
  // so from out/server/src/c/ it is found back in the source tree.
  const candidates = [
    join(__dirname, 'dialect.json'),
    join(__dirname, '..', '..', '..', '..', 'server', 'src', 'c', 'dialect.json'),
  ];
  for (const file of candidates) {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const data: unknown = JSON.parse(raw);
    if (typeof data !== 'object' || data === null) throw new Error('dialect.json: not an object');
    const rec = data as Record<string, unknown>;
    return {
      annotations: stringList(rec.annotations, 'annotations'),
      annotationsWithArgs: stringList(rec.annotationsWithArgs, 'annotationsWithArgs'),
      iterators: stringList(rec.iterators, 'iterators'),
      blankedStatements: stringList(rec.blankedStatements ?? [], 'blankedStatements'),
      typeArgMacros: indexMap(rec.typeArgMacros, 'typeArgMacros'),
      declarationMacros: indexMap(rec.declarationMacros, 'declarationMacros'),
      stringMacros: stringList(rec.stringMacros ?? [], 'stringMacros'),
    };
  }
  throw new Error(`dialect.json not found (looked in ${candidates.join(', ')})`);
}

let table: DialectTable | undefined;
/** The built-in dialect table (loaded once). */
export function dialectTable(): DialectTable {
  if (table === undefined) table = loadTable();
  return table;
}

let baseKinds: Map<string, Entry> | undefined;
const kindCache = new WeakMap<MacroSettings, Map<string, Entry>>();

function kindsFor(macros: MacroSettings | undefined): Map<string, Entry> {
  if (baseKinds === undefined) {
    const t = dialectTable();
    const m = new Map<string, Entry>();
    for (const n of t.annotations) m.set(n, { kind: KIND_ANNOTATION, arg: 0 });
    for (const n of t.annotationsWithArgs) m.set(n, { kind: KIND_WITH_ARGS, arg: 0 });
    for (const n of t.iterators) m.set(n, { kind: KIND_ITERATOR, arg: 0 });
    for (const n of t.blankedStatements) m.set(n, { kind: KIND_STATEMENT, arg: 0 });
    for (const [n, a] of Object.entries(t.typeArgMacros)) m.set(n, { kind: KIND_TYPE_ARG, arg: a });
    for (const [n, a] of Object.entries(t.declarationMacros)) m.set(n, { kind: KIND_DECLARATION, arg: a });
    for (const n of t.stringMacros) m.set(n, { kind: KIND_STRING, arg: 0 });
    baseKinds = m;
  }
  if (macros === undefined) return baseKinds;
  if (!macros.annotations?.length && !macros.annotationsWithArgs?.length && !macros.iterators?.length) {
    return baseKinds;
  }
  const cached = kindCache.get(macros);
  if (cached !== undefined) return cached;
  const kinds = new Map(baseKinds);
  for (const n of macros.annotations ?? []) kinds.set(n, { kind: KIND_ANNOTATION, arg: 0 });
  for (const n of macros.annotationsWithArgs ?? []) kinds.set(n, { kind: KIND_WITH_ARGS, arg: 0 });
  for (const n of macros.iterators ?? []) kinds.set(n, { kind: KIND_ITERATOR, arg: 0 });
  kindCache.set(macros, kinds);
  return kinds;
}

// Character codes.
const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const SEMI = 59;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}
function isHSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === 11 || c === 12;
}
function isSpaceOrNewline(c: number): boolean {
  return isHSpace(c) || c === NL || c === CR;
}

const IDENT = /^[A-Za-z_]\w*$/;
const UPPER_MACRO = /^[A-Z][A-Z0-9_]*[A-Z0-9]$/;
const LOOP_NAME = /for_?each|FOR_?EACH|_walk$/;
const C_KEYWORDS = new Set([
  'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'return', 'goto', 'break',
  'continue', 'sizeof', 'typeof', '__typeof__', '__typeof', 'alignof', '_Alignof', '__alignof__',
  'offsetof', '__attribute__', '__attribute', '__declspec', 'asm', '__asm__', '__asm',
  '__extension__', '_Static_assert', 'static_assert', '_Generic', 'defined', 'volatile',
  '__volatile__', 'struct', 'union', 'enum', 'const', 'static', 'inline', 'extern',
]);
const TAGGED_TYPE = /^(struct|union|enum)\s+([A-Za-z_]\w*)$/;
/** Words that make a type, never an expression. */
const C_TYPE_WORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
  'bool', 'const', 'volatile', 'struct', 'union', 'enum', 'typeof', '__typeof__', 'restrict',
]);

/** Replaces every character except `\n` and `\r` with a space. */
function blankText(s: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === NL || c === CR) {
      if (run > 0) out += ' '.repeat(run);
      run = 0;
      out += c === NL ? '\n' : '\r';
    } else {
      run++;
    }
  }
  if (run > 0) out += ' '.repeat(run);
  return out;
}

/** One open conditional (`#if` ... `#endif`). */
interface CondFrame {
  parentActive: boolean;
  /** Some branch of this conditional has been kept already. */
  taken: boolean;
}

/**
 * Applies the kernel-dialect mask. `macros` extends the built-in table and supplies
 * `defines` for preprocessor conditionals.
 */
export function maskKernelDialect(text: string, macros?: MacroSettings): string {
  return new Masker(text, kindsFor(macros), macros?.defines ?? {}).run();
}

class Masker {
  private readonly n: number;
  private readonly parts: string[] = [];
  /** Everything before this index has been emitted to `parts`. */
  private emitted = 0;
  private readonly stack: CondFrame[] = [];
  private active = true;
  /** Start of the current inactive region (when `active` is false). */
  private inactiveFrom = 0;
  /** Brace depth of active code (0: file scope). */
  private depth = 0;
  /** The identifier just before the current one (only when nothing else came between). */
  private prevWord = '';
  private prevWordStart = 0;
  /** The outermost open brace is a function body (it followed a `)`). */
  private functionBody = false;

  constructor(
    private readonly text: string,
    private readonly kinds: Map<string, Entry>,
    private readonly defines: Record<string, string>,
  ) {
    this.n = text.length;
  }

  run(): string {
    const { text, n } = this;
    let i = 0;
    let atLineStart = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === NL) {
        atLineStart = true;
        i++;
        continue;
      }
      if (isHSpace(c) || c === CR) {
        i++;
        continue;
      }
      if (c === HASH && atLineStart) {
        i = this.directive(i);
        continue;
      }
      atLineStart = false;
      if (c === SLASH) {
        const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (d === STAR) {
          i = this.skipBlockComment(i);
          continue;
        }
        if (d === SLASH) {
          i = this.skipLineComment(i);
          continue;
        }
        i++;
        continue;
      }
      if (c === DQUOTE || c === SQUOTE) {
        i = this.skipLiteral(i);
        continue;
      }
      if (isIdentStart(c)) {
        let j = i + 1;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        if (this.active) {
          const entry = this.kinds.get(text.slice(i, j));
          if (entry !== undefined) {
            i = this.identifier(entry, i, j);
            this.prevWord = '';
            continue;
          }
          const resume = this.heuristic(i, j);
          if (resume > 0) {
            i = resume;
            this.prevWord = '';
            continue;
          }
          this.prevWord = text.slice(i, j);
          this.prevWordStart = i;
        }
        i = j;
        continue;
      }
      if (c === 46 && this.active && i + 2 < n && text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46) {
        // GNU ranges `case 1 ... 3:` and `[0 ... 7] =` -> `case 1  |  3:`; a variadic `...`
        // after `(` or `,` stays.
        const prev = this.previousSignificant(i);
        if (prev !== LPAREN && prev !== 44 && prev !== 0) this.replace(i, i + 3, ' | ');
        i += 3;
        continue;
      }
      if (c === 123 && this.active) {
        if (this.depth === 0) this.functionBody = this.previousSignificant(i) === RPAREN;
        this.depth++;
        i++;
        continue;
      }
      if (c === 125 && this.active) {
        if (this.depth > 0) this.depth--;
        i++;
        continue;
      }
      if (c >= 48 && c <= 57) {
        // Numbers (with suffixes): skip as a unit so `0x__iomem`-like tails are not names.
        let j = i + 1;
        while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
        i = j;
        continue;
      }
      i++;
    }
    if (!this.active) this.blank(this.inactiveFrom, n);
    if (this.emitted === 0) return text;
    this.parts.push(text.slice(this.emitted));
    return this.parts.join('');
  }

  // --- output -------------------------------------------------------------------------

  private blank(from: number, to: number): void {
    if (to <= from) return;
    if (from < this.emitted) from = this.emitted;
    if (to <= from) return;
    this.parts.push(this.text.slice(this.emitted, from), blankText(this.text.slice(from, to)));
    this.emitted = to;
  }

  private replace(from: number, to: number, replacement: string): void {
    if (from < this.emitted) return;
    this.parts.push(this.text.slice(this.emitted, from), replacement);
    this.emitted = to;
  }

  // --- lexing helpers -------------------------------------------------------------------

  private skipBlockComment(i: number): number {
    const end = this.text.indexOf('*/', i + 2);
    return end < 0 ? this.n : end + 2;
  }

  /** A `//` comment runs to the end of the line, continued by a trailing backslash. */
  private skipLineComment(i: number): number {
    const { text, n } = this;
    let j = i + 2;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === NL) {
        if (this.continued(j)) {
          j++;
          continue;
        }
        return j;
      }
      j++;
    }
    return n;
  }

  /** True when the newline at `nl` is escaped by a backslash (optionally before `\r`). */
  private continued(nl: number): boolean {
    let k = nl - 1;
    if (k >= 0 && this.text.charCodeAt(k) === CR) k--;
    return k >= 0 && this.text.charCodeAt(k) === BACKSLASH;
  }

  /** A string or character literal; an unescaped newline ends it (robust on bad input). */
  private skipLiteral(i: number): number {
    const { text, n } = this;
    const quote = text.charCodeAt(i);
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === quote) return j + 1;
      if (c === BACKSLASH) {
        j += 2;
        continue;
      }
      if (c === NL) return j;
      j++;
    }
    return n;
  }

  /** Skips spaces, tabs, newlines and comments. */
  private skipSpace(i: number): number {
    const { text, n } = this;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isHSpace(c) || c === NL || c === CR) {
        i++;
      } else if (c === SLASH && i + 1 < n && text.charCodeAt(i + 1) === STAR) {
        i = this.skipBlockComment(i);
      } else if (c === SLASH && i + 1 < n && text.charCodeAt(i + 1) === SLASH) {
        i = this.skipLineComment(i);
      } else {
        break;
      }
    }
    return i;
  }

  /** Index just past the `)` matching the `(` at `open`, or -1 when unbalanced. */
  private matchParen(open: number): number {
    const { text, n } = this;
    let depth = 0;
    let i = open;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LPAREN) {
        depth++;
        i++;
      } else if (c === RPAREN) {
        depth--;
        i++;
        if (depth === 0) return i;
      } else if (c === DQUOTE || c === SQUOTE) {
        i = this.skipLiteral(i);
      } else if (c === SLASH && i + 1 < n && text.charCodeAt(i + 1) === STAR) {
        i = this.skipBlockComment(i);
      } else if (c === SLASH && i + 1 < n && text.charCodeAt(i + 1) === SLASH) {
        i = this.skipLineComment(i);
      } else if (c === HASH && this.atLineStart(i)) {
        // A directive inside an argument list: give up rather than swallow it.
        return -1;
      } else {
        i++;
      }
    }
    return -1;
  }

  private atLineStart(i: number): boolean {
    const { text } = this;
    for (let k = i - 1; k >= 0; k--) {
      const c = text.charCodeAt(k);
      if (c === NL) return true;
      if (!isHSpace(c) && c !== CR) return false;
    }
    return true;
  }

  // --- identifiers ----------------------------------------------------------------------

  /** Code of the last non-space character before `i` (0 at the start). */
  private previousSignificant(i: number): number {
    const { text } = this;
    let k = i - 1;
    while (k >= 0) {
      const c = text.charCodeAt(k);
      if (c === NL) {
        // Entering the previous line from its end: step over a trailing `//` comment.
        const lineStart = text.lastIndexOf('\n', k - 1) + 1;
        const rel = k > lineStart ? text.slice(lineStart, k).indexOf('//') : -1;
        const slashes = lineStart + rel;
        if (rel >= 0) {
          const before = text.slice(lineStart, slashes);
          if (before.indexOf('"') < 0 && before.indexOf("'") < 0 && before.indexOf('/*') < 0) {
            k = slashes - 1;
            continue;
          }
        }
        k--;
        continue;
      }
      if (isSpaceOrNewline(c)) {
        k--;
        continue;
      }
      if (c === SLASH && k > 0 && text.charCodeAt(k - 1) === STAR) {
        const open = text.lastIndexOf('/*', k - 2);
        if (open < 0) return c;
        k = open - 1;
        continue;
      }
      return c;
    }
    return 0;
  }

  /**
   * Rewrites for macros not in the table, recognised by shape; returns where scanning
   * resumes, or 0 when nothing applies.
   * Inside braces, for `name(args)` at the start of a statement (after `;`, `{`, `}`):
   * - followed by `{`, or named like a loop (`for_each`, `FOREACH`) and followed by a
   *   name: a loop head (a call cannot be followed by those): the name becomes `while`;
   * - followed by a name or `}`: a statement macro without its `;`
   *   (`INIT_STATUS(x)` on its own line): blanked with its arguments.
   * At file scope, `static UPPER_CASE(args);` declares an object: only the first argument
   * is kept, as for `declarationMacros`; `static UPPER_CASE(args)` with no `;` is blanked.
   */
  private heuristic(start: number, end: number): number {
    const { text } = this;
    if (this.depth > 0) {
      const open = this.skipSpace(end);
      if (open >= this.n || text.charCodeAt(open) !== LPAREN) return 0;
      const prev = this.previousSignificant(start);
      const statementStart = prev === SEMI || prev === 123 || prev === 125 || prev === 58 || this.prevWord === 'else';
      if (!statementStart && prev !== RPAREN) return 0;
      const name = text.slice(start, end);
      if (C_KEYWORDS.has(name)) return 0;
      const close = this.matchParen(open);
      if (close < 0) return 0;
      const next = this.skipSpace(close);
      if (next >= this.n) return 0;
      const c = text.charCodeAt(next);
      const loopish = LOOP_NAME.test(name);
      if ((c === 123 || (loopish && isIdentStart(c))) && end - start >= 5) {
        // A loop head; `for`-shaped arguments (`i = 0; i < n; i++`) keep being a `for`.
        const head = text.slice(open, close).indexOf(';') >= 0 ? 'for' : 'while';
        this.replace(start, end, head + ' '.repeat(end - start - head.length));
        return end;
      }
      // (`{ FOO(1) }` is a valid initializer list, so `}` counts only in function bodies.)
      if (statementStart && (isIdentStart(c) || (c === 125 && this.functionBody))) {
        this.blank(start, close);
        return close;
      }
      return 0;
    }
    if (this.prevWord !== 'static' && this.prevWord !== 'const') return 0;
    if (!UPPER_MACRO.test(text.slice(start, end))) return 0;
    const open = this.skipSpace(end);
    if (open >= this.n || text.charCodeAt(open) !== LPAREN) return 0;
    const close = this.matchParen(open);
    if (close < 0) return 0;
    const semi = this.skipSpace(close);
    if (semi >= this.n) return 0;
    if (text.charCodeAt(semi) === SEMI) return this.declaration(0, end);
    if (isIdentStart(text.charCodeAt(semi)) && this.prevWord === 'static' && this.prevWordStart >= this.emitted) {
      this.blank(this.prevWordStart, close); // `static DEF_QCMD(fn)` with no `;`
      return close;
    }
    return 0;
  }

  /** Handles a table identifier at [start, end); returns where scanning resumes. */
  private identifier(entry: Entry, start: number, end: number): number {
    switch (entry.kind) {
      case KIND_ANNOTATION:
        this.blank(start, end);
        return end;
      case KIND_WITH_ARGS: {
        const open = this.skipSpace(end);
        if (open < this.n && this.text.charCodeAt(open) === LPAREN) {
          const close = this.matchParen(open);
          if (close > 0) {
            this.blank(start, close);
            return close;
          }
        }
        this.blank(start, end);
        return end;
      }
      case KIND_ITERATOR: {
        const open = this.skipSpace(end);
        if (end - start >= 5 && open < this.n && this.text.charCodeAt(open) === LPAREN) {
          this.replace(start, end, 'while' + ' '.repeat(end - start - 5));
        }
        return end;
      }
      case KIND_STATEMENT: {
        const open = this.skipSpace(end);
        if (open < this.n && this.text.charCodeAt(open) === LPAREN) {
          const close = this.matchParen(open);
          if (close > 0) {
            let stop = close;
            const semi = this.skipHSpace(close);
            if (semi < this.n && this.text.charCodeAt(semi) === SEMI) stop = semi + 1;
            this.blank(start, stop);
            return stop;
          }
        }
        return end;
      }
      case KIND_TYPE_ARG:
        return this.typeArgument(entry.arg, end);
      case KIND_DECLARATION:
        return this.declaration(entry.arg, end);
      case KIND_STRING: {
        // `KERN_ERR` -> `"      "`; `__stringify(x)` -> `"              "` (same line only).
        let stop = end;
        const open = this.skipHSpace(end);
        if (open < this.n && this.text.charCodeAt(open) === LPAREN) {
          const close = this.matchParen(open);
          if (close > 0 && this.text.slice(start, close).indexOf('\n') < 0) stop = close;
        }
        if (stop - start >= 2) this.replace(start, stop, '"' + ' '.repeat(stop - start - 2) + '"');
        return stop;
      }
    }
  }

  /**
   * The argument list opening at `open`: the index after its `)` and the trimmed ranges of
   * its top-level arguments; undefined when unbalanced.
   */
  private splitArgs(open: number): { close: number; args: Array<[number, number]> } | undefined {
    const { text, n } = this;
    const args: Array<[number, number]> = [];
    let depth = 0;
    let argStart = open + 1;
    let i = open;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LPAREN || c === 91 || c === 123) {
        depth++;
        i++;
      } else if (c === RPAREN || c === 93 || c === 125) {
        depth--;
        if (depth === 0) {
          if (c !== RPAREN) return undefined;
          args.push(this.trim(argStart, i));
          return { close: i + 1, args };
        }
        if (depth < 0) return undefined;
        i++;
      } else if (c === 44 && depth === 1) {
        args.push(this.trim(argStart, i));
        argStart = i + 1;
        i++;
      } else if (c === DQUOTE || c === SQUOTE) {
        i = this.skipLiteral(i);
      } else if (c === SLASH && i + 1 < n && text.charCodeAt(i + 1) === STAR) {
        i = this.skipBlockComment(i);
      } else if (c === SLASH && i + 1 < n && text.charCodeAt(i + 1) === SLASH) {
        i = this.skipLineComment(i);
      } else if (c === HASH && this.atLineStart(i)) {
        return undefined;
      } else {
        i++;
      }
    }
    return undefined;
  }

  private trim(a: number, b: number): [number, number] {
    const { text } = this;
    while (a < b && isSpaceOrNewline(text.charCodeAt(a))) a++;
    while (b > a && isSpaceOrNewline(text.charCodeAt(b - 1))) b--;
    return [a, b];
  }

  /** `container_of(p, struct foo, m)`: turn the type argument into an expression. */
  private typeArgument(index: number, end: number): number {
    const open = this.skipSpace(end);
    if (open >= this.n || this.text.charCodeAt(open) !== LPAREN) return end;
    const split = this.splitArgs(open);
    if (split === undefined || index >= split.args.length) return end;
    const [a, b] = split.args[index];
    if (a >= b || a < this.emitted) return end;
    const arg = this.text.slice(a, b);
    const tagged = TAGGED_TYPE.exec(arg);
    if (tagged !== null && !C_TYPE_WORDS.has(tagged[2])) {
      this.blank(a, a + tagged[1].length); // `struct foo` -> `       foo`
    } else if (IDENT.test(arg) && !C_TYPE_WORDS.has(arg)) {
      return end; // a typedef name is already an expression
    } else {
      this.replace(a, a + 1, '0'); // `unsigned int` -> `0           `
      this.blank(a + 1, b);
    }
    return b;
  }

  /** `DEFINE_TIMER(t, fn)` -> `DEFINE_TIMER(t    )`: keeps only the argument naming the object. */
  private declaration(index: number, end: number): number {
    const open = this.skipSpace(end);
    if (open >= this.n || this.text.charCodeAt(open) !== LPAREN) return end;
    const split = this.splitArgs(open);
    if (split === undefined) return end;
    const close = split.close - 1;
    const kept = split.args[index];
    if (split.args.length === 1 && kept !== undefined && IDENT.test(this.text.slice(kept[0], kept[1]))) {
      return end; // already `NAME(x)`
    }
    if (kept !== undefined && IDENT.test(this.text.slice(kept[0], kept[1]))) {
      this.blank(open + 1, kept[0]);
      this.blank(kept[1], close);
    } else {
      // `static DEFINE_HANDLER(0);` -> `static DEFINE_HANDLER(_);`: a declarator again.
      let at = open + 1;
      while (at < close && (this.text.charCodeAt(at) === NL || this.text.charCodeAt(at) === CR)) at++;
      this.blank(open + 1, at);
      if (at < close) {
        this.replace(at, at + 1, '_');
        this.blank(at + 1, close);
      }
    }
    return split.close;
  }

  private skipHSpace(i: number): number {
    while (i < this.n && isHSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  // --- preprocessor ---------------------------------------------------------------------

  /** End of the directive starting at `hash` (index of its terminating newline, or n). */
  private directiveEnd(hash: number): number {
    const { text, n } = this;
    let j = hash + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === NL) {
        if (this.continued(j)) {
          j++;
          continue;
        }
        return j;
      }
      if (c === SLASH && j + 1 < n && text.charCodeAt(j + 1) === STAR) {
        j = this.skipBlockComment(j);
        continue;
      }
      if (c === SLASH && j + 1 < n && text.charCodeAt(j + 1) === SLASH) {
        return this.skipLineComment(j);
      }
      if (c === DQUOTE || c === SQUOTE) {
        j = this.skipLiteral(j);
        continue;
      }
      j++;
    }
    return n;
  }

  /** Handles the directive whose `#` is at `hash`; returns the index after it. */
  private directive(hash: number): number {
    const { text, n } = this;
    let j = hash + 1;
    while (j < n && isHSpace(text.charCodeAt(j))) j++;
    const nameStart = j;
    while (j < n && isIdentPart(text.charCodeAt(j))) j++;
    const name = text.slice(nameStart, j);
    const end = this.directiveEnd(hash);
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const cond = this.condition(name, j, end);
        const parentActive = this.active;
        const take = cond !== false;
        this.stack.push({ parentActive, taken: take });
        this.transition(hash, end, parentActive && take);
        break;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef': {
        const frame = this.stack[this.stack.length - 1];
        if (frame === undefined) break; // stray: leave it alone
        let take = false;
        if (!frame.taken) {
          take = this.condition(name.slice(2) === 'if' ? 'if' : name.slice(2), j, end) !== false;
          frame.taken = take;
        }
        this.transition(hash, end, frame.parentActive && take);
        break;
      }
      case 'else': {
        const frame = this.stack[this.stack.length - 1];
        if (frame === undefined) break;
        const take = !frame.taken;
        frame.taken = true;
        this.transition(hash, end, frame.parentActive && take);
        break;
      }
      case 'endif': {
        const frame = this.stack.pop();
        if (frame === undefined) break; // stray #endif: ignored
        this.transition(hash, end, frame.parentActive);
        break;
      }
      case 'define':
      case 'undef':
        // `#undef USE_SG` earlier in the file decides a later `#ifdef USE_SG` (a driver
        // switching a feature off by hand, not through Kconfig)
        if (this.active) this.noteDefinition(name, j, end);
        // Inside braces (an initializer list, a struct) tree-sitter-c cannot take a
        // directive: blank it there. At file scope and in function bodies it is kept.
        if (this.active && this.depth > 0 && !this.inFunctionBody(hash)) this.blank(hash, end);
        else if (this.active && name === 'define') this.defineParams(j, end);
        break;
      default:
        // #include, #undef, #pragma, #error, ...: left alone (blanked with an inactive
        // region when inside one).
        break;
    }
    return end;
  }

  /**
   * `#define F(fmt, args...)`: tree-sitter-c does not know GNU named variadic parameters;
   * the name before `...` is blanked (`#define F(fmt,     ...)`). Nothing else in a
   * `#define` line is touched.
   */
  private defineParams(from: number, end: number): void {
    const { text } = this;
    let i = from;
    while (i < end && isHSpace(text.charCodeAt(i))) i++;
    while (i < end && isIdentPart(text.charCodeAt(i))) i++;
    if (i >= end || text.charCodeAt(i) !== LPAREN) return; // object-like macro
    const close = text.indexOf(')', i);
    if (close < 0 || close > end) return;
    const dots = text.indexOf('...', i);
    if (dots < 0 || dots > close) return;
    let k = dots;
    while (k > i && isIdentPart(text.charCodeAt(k - 1))) k--;
    if (k < dots) this.blank(k, dots);
  }

  private inFunctionBody(_hash: number): boolean {
    return this.functionBody;
  }

  /** Blanks the directive line [hash, end) and switches the active state. */
  private transition(hash: number, end: number, nowActive: boolean): void {
    if (!this.active) {
      // The inactive region runs up to here; blank it together with the directive.
      if (nowActive) {
        this.blank(this.inactiveFrom, end);
        this.active = true;
      }
      return;
    }
    this.blank(hash, end);
    if (!nowActive) {
      this.active = false;
      this.inactiveFrom = end;
    }
  }

  /** true / false when known, undefined when the condition cannot be decided. */
  /** Names this file `#undef`s (and has not defined again since). */
  private readonly undefs = new Set<string>();

  private noteDefinition(kind: string, from: number, to: number): void {
    const m = /^\s*([A-Za-z_]\w*)/.exec(this.text.slice(from, to));
    if (m === null) return;
    if (kind === 'undef') this.undefs.add(m[1]);
    else this.undefs.delete(m[1]);
  }

  private condition(kind: string, from: number, to: number): boolean | undefined {
    const expr = stripComments(this.text.slice(from, to));
    if (kind === 'ifdef' || kind === 'ifndef') {
      const m = /^\s*([A-Za-z_]\w*)/.exec(expr);
      if (m === null) return undefined;
      if (this.undefs.has(m[1])) return kind === 'ifndef';
      const defined = Object.prototype.hasOwnProperty.call(this.defines, m[1]);
      if (!defined) return undefined;
      return kind === 'ifdef';
    }
    const v = evaluate(expr, this.defines);
    return v === undefined ? undefined : v !== 0;
  }
}

function stripComments(s: string): string {
  return s
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/\\\r?\n/g, ' ');
}

// --- #if expression evaluation (three-valued: a number, or undefined when unknown) -------

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(s: string): Tok[] | undefined {
  const out: Tok[] = [];
  const re = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%<>!~&|^()?:,]))/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (m === null) return undefined;
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'id', v: m[2] });
    else out.push({ t: 'op', v: m[3] });
    i = re.lastIndex;
  }
  return out;
}

const DEFINED_LIKE = new Set(['defined', 'IS_ENABLED', 'IS_BUILTIN', 'IS_REACHABLE', 'IS_MODULE']);

function evaluate(expr: string, defines: Record<string, string>): number | undefined {
  const toks = tokenize(expr);
  if (toks === undefined || toks.length === 0) return undefined;
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isOp = (v: string): boolean => {
    const t = toks[p];
    return t !== undefined && t.t === 'op' && t.v === v;
  };
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(defines, name);
  const valueOf = (name: string): number | undefined => {
    if (!has(name)) return undefined;
    const raw = defines[name].trim();
    if (raw === '') return 1;
    const n = Number(raw);
    return Number.isFinite(n) ? n : 1;
  };
  let failed = false;

  const primary = (): number | undefined => {
    const t = peek();
    if (t === undefined) {
      failed = true;
      return undefined;
    }
    p++;
    if (t.t === 'num') return t.v;
    if (t.t === 'id') {
      if (DEFINED_LIKE.has(t.v)) {
        let name: string | undefined;
        if (isOp('(')) {
          p++;
          const a = peek();
          if (a?.t === 'id') name = a.v;
          p++;
          if (isOp(')')) p++;
          else failed = true;
        } else if (t.v === 'defined') {
          const a = peek();
          if (a?.t === 'id') name = a.v;
          p++;
        }
        if (name === undefined) {
          failed = true;
          return undefined;
        }
        return has(name) ? 1 : undefined;
      }
      if (isOp('(')) {
        // Unknown function-like macro: skip its arguments.
        let depth = 0;
        do {
          if (isOp('(')) depth++;
          else if (isOp(')')) depth--;
          p++;
        } while (depth > 0 && p < toks.length);
        return undefined;
      }
      return valueOf(t.v);
    }
    if (t.v === '(') {
      const v = ternary();
      if (isOp(')')) p++;
      else failed = true;
      return v;
    }
    if (t.v === '!') {
      const v = unary();
      return v === undefined ? undefined : v === 0 ? 1 : 0;
    }
    if (t.v === '-') {
      const v = unary();
      return v === undefined ? undefined : -v;
    }
    if (t.v === '+') return unary();
    if (t.v === '~') {
      const v = unary();
      return v === undefined ? undefined : ~v;
    }
    failed = true;
    return undefined;
  };
  const unary = primary;

  const BIN: Array<Record<string, (a: number, b: number) => number>> = [
    { '*': (a, b) => a * b, '/': (a, b) => (b === 0 ? 0 : Math.trunc(a / b)), '%': (a, b) => (b === 0 ? 0 : a % b) },
    { '+': (a, b) => a + b, '-': (a, b) => a - b },
    { '<<': (a, b) => a << b, '>>': (a, b) => a >> b },
    { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b) },
    { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) },
    { '&': (a, b) => a & b },
    { '^': (a, b) => a ^ b },
    { '|': (a, b) => a | b },
  ];
  const binary = (level: number): number | undefined => {
    if (level < 0) return unary();
    let left = binary(level - 1);
    for (;;) {
      const t = peek();
      if (t === undefined || t.t !== 'op') return left;
      const f = BIN[level][t.v];
      if (f === undefined) return left;
      p++;
      const right = binary(level - 1);
      left = left === undefined || right === undefined ? undefined : f(left, right);
    }
  };
  const logicalAnd = (): number | undefined => {
    let left = binary(BIN.length - 1);
    while (isOp('&&')) {
      p++;
      const right = binary(BIN.length - 1);
      if (left === 0 || right === 0) left = 0;
      else if (left === undefined || right === undefined) left = undefined;
      else left = 1;
    }
    return left;
  };
  const logicalOr = (): number | undefined => {
    let left = logicalAnd();
    while (isOp('||')) {
      p++;
      const right = logicalAnd();
      if ((left !== undefined && left !== 0) || (right !== undefined && right !== 0)) left = 1;
      else if (left === undefined || right === undefined) left = undefined;
      else left = 0;
    }
    return left;
  };
  const ternary = (): number | undefined => {
    const c = logicalOr();
    if (!isOp('?')) return c;
    p++;
    const a = ternary();
    if (isOp(':')) p++;
    else failed = true;
    const b = ternary();
    if (c === undefined) return a !== undefined && a === b ? a : undefined;
    return c !== 0 ? a : b;
  };

  const v = ternary();
  if (failed || p !== toks.length) return undefined;
  return v;
}
