import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SKIP_DIRS = new Set(['.git', 'node_modules']);
const C_FILE = /\.[ch]$/;

export interface InputFile {
  /** As the user gave it, or joined onto the directory they gave. */
  display: string;
  absolute: string;
}

export class MissingPathError extends Error {}

/** Expands the command-line paths into C files: sorted, de-duplicated, deterministic. */
export function collectFiles(paths: readonly string[]): InputFile[] {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const add = (display: string): void => {
    const absolute = resolve(display);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    out.push({ display, absolute });
  };
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (C_FILE.test(e.name) && (e.isFile() || (e.isSymbolicLink() && isFile(p)))) {
        add(p);
      }
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new MissingPathError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) walk(p);
    else add(p);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export type FileContent = { kind: 'text'; text: string; invalidUtf8: boolean } | { kind: 'binary' } | { kind: 'error'; message: string };

/** Binary files (a NUL byte) are skipped; invalid UTF-8 decodes with U+FFFD and is analysed. */
export function readSource(path: string): FileContent {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  if (bytes.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), invalidUtf8: false };
  } catch {
    return { kind: 'text', text: new TextDecoder('utf-8').decode(bytes), invalidUtf8: true };
  }
}
