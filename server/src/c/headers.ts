import { dirname, isAbsolute, join, normalize } from 'node:path';
import { rememberBounded } from './bounded-map';
import type { MacroSettings } from '../../../shared/src/config';
import { CParser } from './parser';
import { FileScope, type StructDecl } from './scope';
import type { SyntaxNode } from './syntax';

/**
 * Struct layouts from the headers a file includes (issue 4: "struct layout from the same
 * file and headers in the workspace"). The engine never touches the file system: it asks
 * an IncludeResolver for the text of a path, and the caller decides where that text comes
 * from (the disk, an editor buffer, or a test's in-memory map).
 *
 * Lookup is lazy: headers are read only when a rule asks for a struct the file itself does
 * not define, breadth-first over the file's `#include`s and theirs, at most MAX_DEPTH
 * levels deep. `#include "x.h"` is searched in the including file's directory first, then
 * in the search directories; `#include <x.h>` only in the search directories (the analysed
 * file's directory and the configured include paths). Each header is parsed once per
 * content stamp with the same parser and kernel-dialect mask as the file.
 */

/** One header's text, with a stamp that changes when the text does (mtime+size, an editor version). */
export interface HeaderText {
  text: string;
  stamp: string;
}

export interface IncludeResolver {
  /** The text of the file at an absolute path; undefined when it does not exist or cannot be read. */
  read(path: string): HeaderText | undefined;
}

/** How deep `#include`s of headers are followed from the analysed file (1: its own includes). */
export const MAX_DEPTH = 3;
/** Headers read for one file at most: a driver including half the kernel stops here. */
const MAX_HEADERS = 64;
/** A header larger than this is skipped (generated register maps, firmware tables). */
const MAX_HEADER_CHARS = 1024 * 1024;
/** Parsed headers kept across files and analyses (a server process analyses many files). */
const CACHE_SIZE = 512;

/** Where a struct defined in a header comes from: its text (annotations as written) and macros. */
export interface StructOrigin {
  path: string;
  source: string;
  macros: ReadonlyMap<string, string>;
}

interface ParsedHeader {
  stamp: string;
  macrosKey: string;
  structs: ReadonlyMap<string, StructDecl>;
  /** Object-like `#define`s of the header. */
  defines: ReadonlyMap<string, string>;
  includes: readonly { name: string; quoted: boolean }[];
}

const parsedCache = new Map<string, ParsedHeader>();
let headerParser: CParser | null = null;

function includesOf(root: SyntaxNode): { name: string; quoted: boolean }[] {
  const out: { name: string; quoted: boolean }[] = [];
  for (const inc of root.descendantsOfType('preproc_include')) {
    const p = inc.childForFieldName('path');
    if (!p) continue;
    const raw = p.text.trim();
    const m = /^"([^"]+)"$/.exec(raw) ?? /^<([^>]+)>$/.exec(raw);
    if (m) out.push({ name: m[1], quoted: raw.startsWith('"') });
  }
  return out;
}

function parseHeader(path: string, h: HeaderText, macros: MacroSettings | undefined, macrosKey: string): ParsedHeader | undefined {
  const hit = parsedCache.get(path);
  if (hit && hit.stamp === h.stamp && hit.macrosKey === macrosKey) return hit;
  if (h.text.length > MAX_HEADER_CHARS || h.text.includes('\u0000')) return undefined;
  // function bodies in headers (static inlines) say nothing about layouts: all blanked
  headerParser ??= new CParser(() => false);
  const doc = headerParser.parse(h.text, macros);
  const scope = new FileScope(doc.tree.rootNode);
  const origin: StructOrigin = { path, source: h.text, macros: scope.macros };
  const structs = new Map<string, StructDecl>();
  for (const [name, s] of scope.structs) structs.set(name, { ...s, origin });
  const parsed: ParsedHeader = { stamp: h.stamp, macrosKey, structs, defines: scope.macros, includes: includesOf(doc.tree.rootNode) };
  rememberBounded(parsedCache, path, parsed, CACHE_SIZE);
  return parsed;
}

/**
 * The headers of one analysed file, walked on demand. Remembers the stamp of every header
 * it read, so the analyser can tell when a cached result depends on a header that changed.
 */
export class HeaderStructs {
  private readonly queue: { name: string; quoted: boolean; fromDir: string; depth: number }[] = [];
  private readonly visited = new Set<string>();
  private readonly found = new Map<string, StructDecl>();
  private readonly defines = new Map<string, string>();
  /** Path -> stamp of each header read. */
  readonly consulted = new Map<string, string>();
  private read = 0;

  constructor(
    private readonly resolver: IncludeResolver,
    root: SyntaxNode,
    filePath: string,
    private readonly searchDirs: readonly string[],
    private readonly macros: MacroSettings | undefined,
  ) {
    const dir = dirname(filePath);
    for (const inc of includesOf(root)) this.queue.push({ ...inc, fromDir: dir, depth: 1 });
  }

  /** The struct's definition in a header reachable from the file, or undefined. */
  struct(name: string): StructDecl | undefined {
    return this.until(() => this.found.get(name));
  }

  /**
   * An object-like macro's value from a header reachable from the file (`CC_MAX_HASH_DIGEST_SIZE`
   * sizing an array of a struct the `.c` file defines), or undefined.
   */
  macro(name: string): string | undefined {
    // only the file's own includes are read for a macro: a size is defined next to its
    // driver, and reading every header three levels down for each unknown name costs more
    // (measured: +25% over the corpus) than it finds
    return this.until(() => this.defines.get(name), 1);
  }

  /** Reads further headers, breadth-first (up to `maxDepth`), until `look` finds something or none are left. */
  private until<T>(look: () => T | undefined, maxDepth = MAX_DEPTH): T | undefined {
    const known = look();
    if (known !== undefined) return known;
    while (this.queue.length > 0 && this.read < MAX_HEADERS && (this.queue[0]?.depth ?? 0) <= maxDepth) {
      const next = this.queue.shift();
      if (!next) break;
      this.load(next.name, next.quoted, next.fromDir, next.depth);
      const now = look();
      if (now !== undefined) return now;
    }
    return undefined;
  }

  private candidates(name: string, quoted: boolean, fromDir: string): string[] {
    if (isAbsolute(name)) return [normalize(name)];
    const dirs = quoted ? [fromDir, ...this.searchDirs] : [...this.searchDirs];
    return [...new Set(dirs.map((d) => normalize(join(d, name))))];
  }

  private load(name: string, quoted: boolean, fromDir: string, depth: number): void {
    const macrosKey = JSON.stringify(this.macros ?? {});
    for (const path of this.candidates(name, quoted, fromDir)) {
      // cyclic or repeated includes: each header once
      if (this.visited.has(path)) return;
      let text: HeaderText | undefined;
      try {
        text = this.resolver.read(path);
      } catch {
        text = undefined;
      }
      if (!text) continue;
      this.visited.add(path);
      this.read++;
      this.consulted.set(path, text.stamp);
      let parsed: ParsedHeader | undefined;
      try {
        parsed = parseHeader(path, text, this.macros, macrosKey);
      } catch {
        parsed = undefined; // a header the parser chokes on is skipped, not fatal
      }
      if (!parsed) return;
      for (const [n, s] of parsed.structs) if (!this.found.has(n)) this.found.set(n, s);
      for (const [n, v] of parsed.defines) if (!this.defines.has(n)) this.defines.set(n, v);
      if (depth < MAX_DEPTH) for (const inc of parsed.includes) this.queue.push({ ...inc, fromDir: dirname(path), depth: depth + 1 });
      return;
    }
  }
}

/** An in-memory resolver (tests, documents that are not files): path -> text. */
export function memoryResolver(files: ReadonlyMap<string, string>): IncludeResolver {
  return {
    read: (path) => {
      const text = files.get(path);
      return text === undefined ? undefined : { text, stamp: `${text.length}:${hashText(text)}` };
    },
  };
}

function hashText(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
