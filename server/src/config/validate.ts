import type { MacroSettings, RuleSetting, WrapperSpec } from '../../../shared/src/config';
import { PLATFORMS, type Platform } from '../../../shared/src/findings';
import { RULES, ruleMeta } from '../rules/meta';

/**
 * One layer of settings (from `.dmalint.json`, editor settings or lsp-check flags): every
 * field optional. Layers are merged over the defaults by `mergeSettings` in load.ts.
 */
export interface SettingsLayer {
  enable?: boolean;
  rules?: Record<string, RuleSetting>;
  platforms?: Platform[];
  wrappers?: Record<string, WrapperSpec>;
  macros?: MacroSettings;
  maxFileBytes?: number;
  /** Include directories for struct layouts; relative ones are made absolute by the layer's owner. */
  includePaths?: string[];
  /** Narrow memory-model findings to the architectures the file's Kconfig allows. */
  kconfigPlatforms?: boolean;
}

export interface Validated<T> {
  value: T;
  /** Human-readable problems; each names the offending key. Invalid entries are dropped. */
  errors: string[];
}

const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggest(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 4)) ? ` (did you mean '${best}'?)` : '';
}

export function validateRules(v: unknown, key: string, errors: string[]): Record<string, RuleSetting> | undefined {
  if (!isRecord(v)) {
    errors.push(`${key}: expected an object of rule id -> "off" | "info" | "warning" | "error", got ${show(v)}`);
    return undefined;
  }
  const out: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(v)) {
    if (!ruleMeta(id)) {
      errors.push(`${key}: unknown rule id '${id}'${suggest(id, RULES.map((r) => r.id))}`);
    } else if (typeof setting !== 'string' || !(RULE_SETTINGS as readonly string[]).includes(setting)) {
      errors.push(`${key}.${id}: expected "off", "info", "warning" or "error", got ${show(setting)}`);
    } else {
      out[id] = setting as RuleSetting;
    }
  }
  return out;
}

export function validatePlatforms(v: unknown, key: string, errors: string[]): Platform[] | undefined {
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : v;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    errors.push(`${key}: expected an array of platform names (${PLATFORMS.join(', ')}), got ${show(v)}`);
    return undefined;
  }
  const out: Platform[] = [];
  for (const p of list as string[]) {
    if (!(PLATFORMS as readonly string[]).includes(p)) {
      errors.push(`${key}: unknown platform '${p}'${suggest(p, PLATFORMS)}; known: ${PLATFORMS.join(', ')}`);
    } else if (!out.includes(p as Platform)) {
      out.push(p as Platform);
    }
  }
  if (out.length === 0) {
    errors.push(`${key}: no valid platform given; using the default set`);
    return undefined;
  }
  return out;
}

export function validateWrappers(v: unknown, key: string, errors: string[]): Record<string, WrapperSpec> | undefined {
  if (!isRecord(v)) {
    errors.push(`${key}: expected an object of wrapper name -> { "as": "<api function>", "args": [...] }, got ${show(v)}`);
    return undefined;
  }
  const out: Record<string, WrapperSpec> = {};
  for (const [name, spec] of Object.entries(v)) {
    const where = `${key}.${name}`;
    if (!IDENT.test(name)) {
      errors.push(`${where}: wrapper name must be a C identifier`);
      continue;
    }
    if (!isRecord(spec)) {
      errors.push(`${where}: expected { "as": "<api function>", "args": [...] }, got ${show(spec)}`);
      continue;
    }
    const extra = Object.keys(spec).filter((k) => k !== 'as' && k !== 'args');
    const bad: string[] = extra.map((k) => `${where}: unknown key '${k}' (allowed: as, args)`);
    if (typeof spec.as !== 'string' || !IDENT.test(spec.as)) {
      bad.push(`${where}.as: expected the name of a DMA API function, got ${show(spec.as)}`);
    }
    const args = spec.args;
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'number' || !Number.isInteger(a) || a < -1)) {
      bad.push(`${where}.args: expected an array of argument indexes (integers >= 0, or -1 for "not supplied"), got ${show(args)}`);
    }
    if (bad.length > 0) {
      errors.push(...bad);
      continue;
    }
    out[name] = { as: spec.as as string, args: [...(args as number[])] };
  }
  return out;
}

const MACRO_LISTS = ['annotations', 'annotationsWithArgs', 'iterators'] as const;

export function validateMacros(v: unknown, key: string, errors: string[]): MacroSettings | undefined {
  if (!isRecord(v)) {
    errors.push(`${key}: expected an object with annotations, annotationsWithArgs, iterators, defines; got ${show(v)}`);
    return undefined;
  }
  const out: MacroSettings = {};
  for (const [k, val] of Object.entries(v)) {
    const where = `${key}.${k}`;
    if ((MACRO_LISTS as readonly string[]).includes(k)) {
      if (!Array.isArray(val) || val.some((m) => typeof m !== 'string' || !IDENT.test(m))) {
        errors.push(`${where}: expected an array of macro names (C identifiers), got ${show(val)}`);
        continue;
      }
      out[k as (typeof MACRO_LISTS)[number]] = [...(val as string[])];
    } else if (k === 'defines') {
      if (!isRecord(val)) {
        errors.push(`${where}: expected an object of macro name -> value, got ${show(val)}`);
        continue;
      }
      const defines: Record<string, string> = {};
      for (const [name, def] of Object.entries(val)) {
        if (!IDENT.test(name)) errors.push(`${where}: '${name}' is not a C identifier`);
        else if (typeof def === 'string') defines[name] = def;
        else if (typeof def === 'number' || typeof def === 'boolean') defines[name] = String(Number(def));
        else errors.push(`${where}.${name}: expected a string or number, got ${show(def)}`);
      }
      out.defines = defines;
    } else {
      errors.push(`${where}: unknown key '${k}'${suggest(k, [...MACRO_LISTS, 'defines'])} (allowed: ${[...MACRO_LISTS, 'defines'].join(', ')})`);
    }
  }
  return out;
}

export function validateIncludePaths(v: unknown, key: string, errors: string[]): string[] | undefined {
  if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || p.trim() === '')) {
    errors.push(`${key}: expected an array of directory paths, got ${show(v)}`);
    return undefined;
  }
  return [...new Set(v as string[])];
}

export function validatePositiveInt(v: unknown, key: string, errors: string[]): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    errors.push(`${key}: expected a positive integer, got ${show(v)}`);
    return undefined;
  }
  return v;
}

export function validateBoolean(v: unknown, key: string, errors: string[]): boolean | undefined {
  if (typeof v === 'boolean') return v;
  errors.push(`${key}: expected true or false, got ${show(v)}`);
  return undefined;
}

const FILE_KEYS = ['rules', 'platforms', 'wrappers', 'macros', 'maxFileBytes', 'includePaths', 'kconfigPlatforms'] as const;

/** Validates a parsed `.dmalint.json` strictly: unknown keys are errors too. */
export function validateConfigFile(v: unknown): Validated<SettingsLayer> {
  const errors: string[] = [];
  const layer: SettingsLayer = {};
  if (!isRecord(v)) return { value: layer, errors: [`expected a JSON object at the top level, got ${show(v)}`] };
  for (const [k, val] of Object.entries(v)) {
    switch (k) {
      case '$schema':
        break;
      case 'rules':
        layer.rules = validateRules(val, k, errors);
        break;
      case 'platforms':
        layer.platforms = validatePlatforms(val, k, errors);
        break;
      case 'wrappers':
        layer.wrappers = validateWrappers(val, k, errors);
        break;
      case 'macros':
        layer.macros = validateMacros(val, k, errors);
        break;
      case 'maxFileBytes':
        layer.maxFileBytes = validatePositiveInt(val, k, errors);
        break;
      case 'includePaths':
        layer.includePaths = validateIncludePaths(val, k, errors);
        break;
      case 'kconfigPlatforms':
        layer.kconfigPlatforms = validateBoolean(val, k, errors);
        break;
      default:
        errors.push(`unknown key '${k}'${suggest(k, FILE_KEYS)} (allowed: ${FILE_KEYS.join(', ')})`);
    }
  }
  return { value: stripUndefined(layer), errors };
}

export function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
