import { dirname, join } from 'node:path';
import { rememberBounded } from '../c/bounded-map';
import { parseKconfig, type KconfigFile } from './kconfig';
import { parseMakefile, type Makefile } from './makefile';
import type { KbuildReader } from './reader';

/**
 * Parsed Makefiles and Kconfig files by path and stamp: a tree's few hundred build files
 * are parsed once per server process however many of its files are analysed.
 */

const CACHE_SIZE = 2048;
const MAX_CHARS = 1024 * 1024;

const parsed = new Map<string, { stamp: string; value: KconfigFile | Makefile }>();

function cached<T extends KconfigFile | Makefile>(kind: string, path: string, reader: KbuildReader, parse: (text: string) => T): T | undefined {
  let text;
  try {
    text = reader.read(path);
  } catch {
    text = undefined;
  }
  if (!text || text.text.length > MAX_CHARS) return undefined;
  const key = `${kind}:${path}`;
  const hit = parsed.get(key);
  if (hit && hit.stamp === text.stamp) return hit.value as T;
  const value = parse(text.text);
  rememberBounded(parsed, key, { stamp: text.stamp, value }, CACHE_SIZE);
  return value;
}

export function parseKconfigCached(path: string, reader: KbuildReader): KconfigFile | undefined {
  return cached('kconfig', path, reader, parseKconfig);
}

export function parseMakefileCached(path: string, reader: KbuildReader): Makefile | undefined {
  return cached('make', path, reader, parseMakefile);
}

/**
 * Reads Kconfig files breadth-first from `start`, following a `source` only where `follow`
 * allows (paths are from the tree root, `rsource` from the file's directory), at most
 * `max` files; `visit` gets each file read.
 */
export function walkKconfigs(
  start: readonly string[],
  root: string,
  reader: KbuildReader,
  max: number,
  follow: (from: string, next: string) => boolean,
  visit: (path: string, file: KconfigFile) => void,
): void {
  const queue = [...start];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < max) {
    const path = queue.shift();
    if (path === undefined || seen.has(path)) continue;
    seen.add(path);
    const file = parseKconfigCached(path, reader);
    if (!file) continue;
    visit(path, file);
    for (const s of file.sources) {
      const next = s.relative ? join(dirname(path), s.path) : join(root, s.path);
      if (follow(path, next)) queue.push(next);
    }
  }
}
