import { basename, dirname, join } from 'node:path';
import type { Platform } from '../../../shared/src/findings';
import { archIndex, type Arch, type ArchIndex } from './arch-index';
import { parseMakefileCached, walkKconfigs } from './cache';
import { and, evaluate, or, TRUE, type Expr, type Tri } from './expr';
import type { KbuildReader } from './reader';

/**
 * The architectures a file of a kernel tree can be built for, as its Kconfig says: the
 * directory's Makefile names the `CONFIG_` symbol that builds the object (through composite
 * objects, and the parent's `obj-$(CONFIG_X) += dir/` when the directory adds it
 * unconditionally), the Kconfig files of the directory and a few parents define that
 * symbol's `depends on`, and the architecture index (arch-index.ts) says which symbols
 * exist only on some architectures. COMPILE_TEST is false: a compile test is not a platform
 * the driver runs on. Symbols nobody pins are "maybe" and never rule an architecture out.
 */

export type BuildArches = { kind: 'unknown'; reason: string } | { kind: 'known'; symbols: readonly string[]; arches: readonly Arch[] };

const ARCHES: readonly Arch[] = ['arm', 'arm64', 'other'];
/** Directories walked up for a kernel tree's root, for Makefiles and for Kconfig files. */
const MAX_ROOT_LEVELS = 12;
const MAX_MAKE_LEVELS = 4;
const MAX_KCONFIG_LEVELS = 3;
/** Kconfig files read for one file at most (the directories' own and what they source). */
const MAX_KCONFIG_FILES = 48;
/** How deep a symbol's dependencies are followed through other symbols' definitions. */
const MAX_SYMBOL_DEPTH = 8;

/** The tree root above `dir`: a directory with a `Kconfig` and an `arch/` directory. */
export function kernelRoot(dir: string, reader: KbuildReader): string | undefined {
  let d = dir;
  for (let i = 0; i < MAX_ROOT_LEVELS; i++) {
    if (reader.read(join(d, 'Kconfig')) && (reader.list(join(d, 'arch'))?.length ?? 0) > 0) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  return undefined;
}

function makefileOf(dir: string, reader: KbuildReader) {
  // kbuild reads Kbuild in preference to Makefile
  return parseMakefileCached(join(dir, 'Kbuild'), reader) ?? parseMakefileCached(join(dir, 'Makefile'), reader);
}

/** The condition (over Kconfig symbols) under which `name` (`x.o`, `dir/`, `$(l-y)`) is built in `dir`. */
function objectCondition(dir: string, name: string, root: string, reader: KbuildReader, depth: number): Expr | undefined {
  if (depth > MAX_MAKE_LEVELS) return undefined;
  const rules = makefileOf(dir, reader)?.adds.get(name);
  if (!rules) return undefined;
  const alternatives: Expr[] = [];
  for (const r of rules) {
    const parts: Expr[] = r.symbol ? [{ kind: 'sym', name: r.symbol }] : [];
    if (r.list !== 'obj') {
      const whole = objectCondition(dir, `${r.list}.o`, root, reader, depth + 1) ?? objectCondition(dir, `$(${r.list}-y)`, root, reader, depth + 1);
      if (!whole) return undefined;
      parts.push(whole);
    } else if (!r.symbol) {
      // `obj-y`: built whenever the directory is; the parent says when that is
      if (dir === root) return undefined;
      const parent = objectCondition(dirname(dir), `${basename(dir)}/`, root, reader, depth + 1);
      if (!parent) return undefined;
      parts.push(parent);
    }
    alternatives.push(parts.length > 0 ? and(parts) : TRUE);
  }
  return or(alternatives);
}

/** A parent directory's Makefile naming the object with its path (`mlx5_core-y += en_accel/ktls.o`). */
function fromParentMakefile(dir: string, object: string, root: string, reader: KbuildReader): Expr | undefined {
  let path = object;
  for (let d = dir, i = 0; i < MAX_MAKE_LEVELS && d !== root; i++) {
    path = `${basename(d)}/${path}`;
    d = dirname(d);
    const found = objectCondition(d, path, root, reader, 0);
    if (found) return found;
  }
  return undefined;
}

function symbolsIn(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'sym') out.push(e.name);
  else if (e.kind === 'not') symbolsIn(e.arg, out);
  else if (e.kind === 'and' || e.kind === 'or') for (const a of e.args) symbolsIn(a, out);
  return out;
}

/** Symbol -> its definitions' conditions, from the Kconfig files of `dir` and a few parents. */
function kconfigSymbols(dir: string, root: string, reader: KbuildReader): Map<string, Expr[]> {
  const symbols = new Map<string, Expr[]>();
  const start: string[] = [];
  for (let d = dir, i = 0; i < MAX_KCONFIG_LEVELS && d.startsWith(root); i++, d = dirname(d)) {
    start.push(join(d, 'Kconfig'));
    if (d === root) break;
  }
  // only below the directory that sources it (`source "drivers/foo/Kconfig"` from drivers/);
  // the root Kconfig sources the whole tree, its own entries are enough
  const follow = (from: string, next: string) => from !== join(root, 'Kconfig') && next.startsWith(dirname(from) + '/');
  walkKconfigs(start, root, reader, MAX_KCONFIG_FILES, follow, (_, file) => {
    for (const [name, defs] of file.symbols) symbols.set(name, [...(symbols.get(name) ?? []), ...defs]);
  });
  return symbols;
}

export function buildArches(filePath: string, reader: KbuildReader): BuildArches {
  const dir = dirname(filePath);
  const root = kernelRoot(dir, reader);
  if (!root) return { kind: 'unknown', reason: 'not in a kernel tree (no Kconfig and arch/ above the file)' };
  const object = basename(filePath).replace(/\.[cS]$/, '.o');
  const condition = objectCondition(dir, object, root, reader, 0) ?? fromParentMakefile(dir, object, root, reader);
  if (!condition) return { kind: 'unknown', reason: `no Makefile rule for ${object}` };
  const built = [...new Set(symbolsIn(condition))];
  const symbols = kconfigSymbols(dir, root, reader);
  if (!built.some((s) => symbols.has(s))) return { kind: 'unknown', reason: `no Kconfig entry for ${built.map((s) => `CONFIG_${s}`).join(', ') || 'an unconditional object'}` };
  const index = archIndex(root, reader);
  const arches = ARCHES.filter((arch) => evaluate(condition, valueOn(arch, symbols, index)) !== 0);
  return { kind: 'known', symbols: built, arches };
}

/** A symbol's value on one architecture: its definitions' conditions, the index, COMPILE_TEST off. */
function valueOn(arch: Arch, symbols: ReadonlyMap<string, readonly Expr[]>, index: ArchIndex): (name: string) => Tri {
  const memo = new Map<string, Tri>();
  const value = (name: string, depth: number): Tri => {
    if (name === 'COMPILE_TEST') return 0;
    const pinned = index.get(name);
    if (pinned && !pinned.has(arch)) return 0;
    const known = memo.get(name);
    if (known !== undefined) return known;
    const defs = symbols.get(name);
    if (!defs || depth >= MAX_SYMBOL_DEPTH) return 1;
    memo.set(name, 1); // a cycle is "maybe"
    let v: Tri = 0;
    for (const d of defs) v = Math.max(v, evaluate(d, (s) => value(s, depth + 1))) as Tri;
    // a symbol whose dependencies hold is still the user's choice
    const result: Tri = v === 0 ? 0 : 1;
    memo.set(name, result);
    return result;
  };
  return (name) => value(name, 0);
}

/**
 * The chosen platforms a file can run on: armv7 needs arm, arm64 and arm64-pre-5.19 need
 * arm64; coherent and swiotlb exist on every architecture.
 */
export function narrowPlatforms(platforms: readonly Platform[], build: BuildArches): Platform[] {
  if (build.kind === 'unknown') return [...platforms];
  const on = new Set(build.arches);
  return platforms.filter((p) => (p === 'armv7' ? on.has('arm') : p === 'arm64' || p === 'arm64-pre-5.19' ? on.has('arm64') : true));
}
