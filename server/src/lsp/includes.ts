import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { HeaderText } from '../c/headers';
import { rememberBounded } from '../c/bounded-map';
import type { KbuildReader } from '../kbuild/reader';

/** Headers larger than this are not read at all (the engine would skip them anyway). */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * Header texts (and Makefiles, Kconfig files, directory entries) for the engine: an open document's editor text when the header is open (so
 * an unsaved edit counts), else the file on disk, cached by mtime and size. Never throws:
 * an unreadable or missing file, or a directory, is "not found".
 */
export class FileIncludeResolver implements KbuildReader {
  private readonly disk = new Map<string, { mtimeMs: number; size: number; text: string }>();

  constructor(private readonly openText: (path: string) => { text: string; version: number } | undefined) {}

  read(path: string): HeaderText | undefined {
    const open = this.openText(path);
    if (open) return { text: open.text, stamp: `editor:${open.version}:${open.text.length}` };
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_HEADER_BYTES) return undefined;
      const stamp = `${st.mtimeMs}:${st.size}`;
      const hit = this.disk.get(path);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return { text: hit.text, stamp };
      const text = readFileSync(path, 'utf8');
      rememberBounded(this.disk, path, { mtimeMs: st.mtimeMs, size: st.size, text }, 1024);
      return { text, stamp };
    } catch {
      return undefined;
    }
  }

  list(dir: string): readonly string[] | undefined {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  }
}
