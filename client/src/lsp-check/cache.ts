import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { findConfigFile, loadConfigFile } from '../../../server/src/config/load';

function sha256(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/** `out/` of the build this file belongs to (`out/client/src/lsp-check/` -> `out/`). */
const OUT_DIR = resolve(__dirname, '../../..');
/** The source tree: the server reads `dialect.json` from there (tsc does not copy it). */
const ROOT_DIR = resolve(OUT_DIR, '..');

/**
 * A fingerprint of the engine: the package version plus the content of every built server
 * and shared file and of the dialect table. Any rebuild that changes the engine changes it.
 */
export function engineFingerprint(version: string): string {
  const h = createHash('sha256').update(`dma-lint ${version}\n`);
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && !name.endsWith('.map')) h.update(`${p}\n`).update(readFileSync(p));
    }
  };
  walk(join(OUT_DIR, 'server'));
  walk(join(OUT_DIR, 'shared'));
  for (const p of [join(OUT_DIR, 'server/src/c/dialect.json'), join(ROOT_DIR, 'server/src/c/dialect.json')]) {
    try {
      h.update(`${p}\n`).update(readFileSync(p));
    } catch {
      // absent: nothing to hash
    }
  }
  return h.digest('hex');
}

interface Entry {
  v: 1;
  key: string;
  diagnostics: Diagnostic[];
}

function isEntry(v: unknown, key: string): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Entry>;
  return e.v === 1 && e.key === key && Array.isArray(e.diagnostics) && e.diagnostics.every((d) => typeof d === 'object' && d !== null && typeof (d as Partial<Diagnostic>).range === 'object');
}

/**
 * Results of earlier runs, one JSON file per checked file (named by a hash of its absolute
 * path), valid while the file's key is unchanged: the file content, the engine fingerprint,
 * the run's settings (`--platform`, `--config`, `-D`) and the text of the `.dmalint.json` that
 * applies to the file. Entries are written atomically (temp file + rename), so parallel runs
 * (`make -j C=2`) never read half an entry; unreadable entries count as misses.
 */
export class ResultCache {
  private readonly configText = new Map<string, string | null>();
  private warned = false;

  constructor(
    readonly dir: string,
    private readonly runKey: string,
    private readonly configFile: string | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * The key for one file, or undefined when the file must not be cached (its configuration
   * has errors: the server must see it to report them).
   */
  keyFor(absolute: string, text: string): string | undefined {
    const configPath = this.configFile ?? findConfigFile(dirname(absolute));
    let configText: string | null = null;
    if (configPath !== undefined) {
      const known = this.configText.get(configPath);
      if (known !== undefined) configText = known;
      else {
        configText = loadConfigFile(configPath).errors.length > 0 ? '\0broken' : readText(configPath);
        this.configText.set(configPath, configText);
      }
      if (configText === '\0broken') return undefined;
    }
    return sha256(JSON.stringify([this.runKey, absolute, configPath ?? null, configText, sha256(text)]));
  }

  get(absolute: string, key: string): Diagnostic[] | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.entryPath(absolute), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const v: unknown = JSON.parse(raw);
      return isEntry(v, key) ? v.diagnostics : undefined;
    } catch {
      return undefined; // corrupt: a miss, rewritten after the fresh analysis
    }
  }

  set(absolute: string, key: string, diagnostics: Diagnostic[]): void {
    const path = this.entryPath(absolute);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const entry: Entry = { v: 1, key, diagnostics };
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, path);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // never written
      }
      if (!this.warned) {
        this.warned = true;
        this.warn(`warning: cannot write the cache in ${this.dir}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private entryPath(absolute: string): string {
    return join(this.dir, `${sha256(absolute).slice(0, 40)}.json`);
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** What every file's key shares: the engine and the run's own settings. */
export function runKey(version: string, settings: unknown): string {
  return sha256(JSON.stringify([engineFingerprint(version), settings]));
}
