import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from './args';
import type { Reported } from './results';

/** `{ "version": 1, "files": { "<path relative to the cwd>": { "<rule>": count } } }` */
export interface Baseline {
  version: 1;
  files: Record<string, Record<string, number>>;
}

/** The key a file has in a baseline: its path relative to the cwd, with `/`. */
export function baselineKey(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return (rel === '' || isAbsolute(rel) ? absolute : rel).split(sep).join('/');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function loadBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--baseline ${path}: ${code === 'ENOENT' ? 'no such file (create it with --write-baseline)' : e instanceof Error ? e.message : String(e)}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--baseline ${path}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bad = (why: string): UsageError => new UsageError(`--baseline ${path}: ${why} (expected { "version": 1, "files": { "<path>": { "<rule>": <count> } } })`);
  if (!isRecord(v)) throw bad('not an object');
  if (v.version !== 1) throw bad(`unsupported version ${JSON.stringify(v.version)}`);
  if (!isRecord(v.files)) throw bad('"files" is not an object');
  const files: Record<string, Record<string, number>> = {};
  for (const [file, rules] of Object.entries(v.files)) {
    if (!isRecord(rules)) throw bad(`"${file}" is not an object of rule counts`);
    files[file] = {};
    for (const [rule, n] of Object.entries(rules)) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(`"${file}" / "${rule}": ${JSON.stringify(n)} is not a count`);
      files[file][rule] = n;
    }
  }
  return { version: 1, files };
}

/** Counts per file and rule, files and rules sorted so the file diffs well. */
export function makeBaseline(reported: readonly Reported[], keyOf: (r: Reported) => string): Baseline {
  const counts = new Map<string, Map<string, number>>();
  for (const r of reported) {
    const k = keyOf(r);
    const m = counts.get(k) ?? new Map<string, number>();
    counts.set(k, m);
    m.set(r.finding.rule, (m.get(r.finding.rule) ?? 0) + 1);
  }
  const files: Record<string, Record<string, number>> = {};
  for (const k of [...counts.keys()].sort()) {
    const m = counts.get(k)!;
    files[k] = Object.fromEntries([...m.keys()].sort().map((rule) => [rule, m.get(rule)!]));
  }
  return { version: 1, files };
}

export function writeBaseline(path: string, b: Baseline): void {
  writeFileSync(path, `${JSON.stringify(b, null, 2)}\n`);
}

export interface Applied {
  kept: Reported[];
  suppressed: number;
  /** A file and rule with more findings than the baseline allows: all of them are reported. */
  over: { file: string; rule: string; count: number; allowed: number }[];
  /** Entries whose count went down: the baseline can be re-written tighter. */
  stale: { file: string; rule: string; count: number; allowed: number }[];
}

/**
 * Count-based, like ESLint's bulk suppressions: a file's findings of a rule are all
 * suppressed while there are at most as many as recorded, and all reported once there
 * are more. `checked` are the keys of the files analysed this run: only those (and
 * recorded files that no longer exist) can have stale entries.
 */
export function applyBaseline(reported: readonly Reported[], b: Baseline, keyOf: (r: Reported) => string, checked: ReadonlySet<string>): Applied {
  const groups = new Map<string, Reported[]>();
  for (const r of reported) {
    const g = `${keyOf(r)}\0${r.finding.rule}`;
    const list = groups.get(g) ?? [];
    groups.set(g, list);
    list.push(r);
  }
  const out: Applied = { kept: [], suppressed: 0, over: [], stale: [] };
  const suppressedGroups = new Set<string>();
  for (const [g, list] of groups) {
    const [file, rule] = g.split('\0');
    const allowed = b.files[file]?.[rule] ?? 0;
    if (list.length <= allowed) {
      suppressedGroups.add(g);
      out.suppressed += list.length;
    } else if (allowed > 0) out.over.push({ file, rule, count: list.length, allowed });
  }
  for (const r of reported) if (!suppressedGroups.has(`${keyOf(r)}\0${r.finding.rule}`)) out.kept.push(r);
  for (const [file, rules] of Object.entries(b.files)) {
    const present = checked.has(file);
    if (!present && existsSync(resolve(file))) continue;
    for (const [rule, allowed] of Object.entries(rules)) {
      const count = present ? (groups.get(`${file}\0${rule}`)?.length ?? 0) : 0;
      if (count < allowed) out.stale.push({ file, rule, count, allowed });
    }
  }
  return out;
}
