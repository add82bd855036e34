import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { DmaLintSettings } from '../../../shared/src/config';
import { defaultSettings } from './defaults';
import { parseJsonc } from './jsonc';
import { type SettingsLayer, validateConfigFile } from './validate';

export const CONFIG_FILE_NAME = '.dmalint.json';

export interface LoadedConfig {
  path: string;
  /** The valid part of the file; invalid entries are dropped (see `errors`). */
  layer: SettingsLayer;
  /** Each error is prefixed with the file path. */
  errors: string[];
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  config: LoadedConfig;
}

const cache = new Map<string, CacheEntry>();

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function inside(dir: string, root: string): boolean {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The nearest `.dmalint.json` walking up from `startDir`. The walk stops at the innermost
 * workspace folder containing `startDir` (a project's config does not leak in from a
 * parent checkout), or at the filesystem root when the file is outside every folder.
 */
export function findConfigFile(startDir: string, workspaceFolders: readonly string[] = []): string | undefined {
  let dir = resolve(startDir);
  const stop = workspaceFolders
    .map((f) => resolve(f))
    .filter((f) => inside(dir, f))
    .sort((a, b) => b.length - a.length)[0];
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (dir === stop || parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads, parses and validates one config file; cached by path + mtime + size. Never throws. */
export function loadConfigFile(path: string): LoadedConfig {
  const abs = resolve(path);
  let mtimeMs: number;
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) return { path: abs, layer: {}, errors: [`${abs}: not a file`] };
    ({ mtimeMs, size } = st);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { path: abs, layer: {}, errors: [`${abs}: cannot read config file (${code ?? String(e)})`] };
  }
  const hit = cache.get(abs);
  if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.config;
  const config = parseConfigText(abs, readText(abs));
  cache.set(abs, { mtimeMs, size, config });
  return config;
}

function readText(path: string): string | Error {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

export function parseConfigText(path: string, text: string | Error): LoadedConfig {
  if (text instanceof Error) return { path, layer: {}, errors: [`${path}: cannot read config file (${text.message})`] };
  const parsed = parseJsonc(text);
  if (!parsed.ok) return { path, layer: {}, errors: [`${path}: invalid JSON at ${parsed.error}`] };
  const { value, errors } = validateConfigFile(parsed.value);
  // include paths in the file are relative to the file's directory
  if (value.includePaths) value.includePaths = absolutePaths(value.includePaths, dirname(path));
  return { path, layer: value, errors: errors.map((e) => `${path}: ${e}`) };
}

/** Paths made absolute against `base` (already absolute ones unchanged). */
export function absolutePaths(paths: readonly string[], base: string): string[] {
  return paths.map((p) => resolve(base, p));
}

function union(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b && [...b];
  if (!b) return [...a];
  return [...new Set([...a, ...b])];
}

/**
 * Later layers win. Maps (`rules`, `wrappers`, `macros.defines`) merge key by key, macro
 * lists are unions (a project's macros add to the built-in ones), `platforms` and scalars
 * are replaced.
 */
export function mergeSettings(base: DmaLintSettings, ...layers: SettingsLayer[]): DmaLintSettings {
  const out: DmaLintSettings = {
    ...base,
    rules: { ...base.rules },
    platforms: [...base.platforms],
    includePaths: [...base.includePaths],
    wrappers: { ...base.wrappers },
    macros: { ...base.macros },
  };
  for (const l of layers) {
    if (l.enable !== undefined) out.enable = l.enable;
    if (l.rules) Object.assign(out.rules, l.rules);
    if (l.platforms) out.platforms = [...l.platforms];
    if (l.wrappers) Object.assign(out.wrappers, l.wrappers);
    if (l.maxFileBytes !== undefined) out.maxFileBytes = l.maxFileBytes;
    if (l.kconfigPlatforms !== undefined) out.kconfigPlatforms = l.kconfigPlatforms;
    if (l.includePaths) out.includePaths = union(out.includePaths, l.includePaths) ?? [];
    if (l.macros) {
      const m = l.macros;
      out.macros = {
        annotations: union(out.macros.annotations, m.annotations),
        annotationsWithArgs: union(out.macros.annotationsWithArgs, m.annotationsWithArgs),
        iterators: union(out.macros.iterators, m.iterators),
        defines: m.defines || out.macros.defines ? { ...out.macros.defines, ...m.defines } : undefined,
      };
      for (const k of Object.keys(out.macros) as (keyof typeof out.macros)[]) {
        if (out.macros[k] === undefined) delete out.macros[k];
      }
    }
  }
  return out;
}

export interface ResolveOptions {
  /** Absolute path of the analysed file; undefined for documents that are not files. */
  filePath?: string;
  workspaceFolders?: readonly string[];
  /** An explicit config file (lsp-check --config, dmaLint.configFile): replaces discovery. */
  configFile?: string;
  /** Editor settings or command-line flags: applied over the config file. */
  overrides?: SettingsLayer;
}

export interface ResolvedSettings {
  settings: DmaLintSettings;
  configPath?: string;
  errors: string[];
}

/** defaults <- .dmalint.json (explicit or nearest) <- overrides. Never throws. */
export function resolveSettings(opts: ResolveOptions): ResolvedSettings {
  const path = opts.configFile
    ? resolve(opts.configFile)
    : opts.filePath
      ? findConfigFile(dirname(opts.filePath), opts.workspaceFolders)
      : undefined;
  const loaded = path ? loadConfigFile(path) : undefined;
  const settings = mergeSettings(defaultSettings(), loaded?.layer ?? {}, opts.overrides ?? {});
  return { settings, configPath: path, errors: loaded?.errors ?? [] };
}
