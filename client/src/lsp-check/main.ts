import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../../shared/src/findings';
import { resolveSettings } from '../../../server/src/config/load';
import { RULES, type RuleMeta } from '../../../server/src/rules/meta';
import { HELP, type Options, parseArgs, UsageError } from './args';
import { applyBaseline, type Baseline, baselineKey, loadBaseline, makeBaseline, writeBaseline } from './baseline';
import { ResultCache, runKey } from './cache';
import { type ChangedLines, changedSince } from './changed';
import { collectFiles, type InputFile, MissingPathError, readSource } from './files';
import { formatGcc, formatJson } from './formats';
import { renderHtml } from './html';
import { type FileOutcome, runPool } from './pool';
import { Progress, progressEnabled } from './progress';
import { collect, type Reported, SEVERITY_RANK } from './results';
import { formatSarif } from './sarif';
import type { ServerSettings } from './server-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json lies outside rootDir, so it is read at run time, not imported
const VERSION: string = (require('../../../../package.json') as { version: string }).version;

let progress: Progress | undefined;

function err(line: string): void {
  const write = (): void => void process.stderr.write(`lsp-check: ${line}\n`);
  if (progress) progress.interrupt(write);
  else write();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function listRules(): string {
  const w = Math.max(...RULES.map((r) => r.id.length));
  return RULES.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${(r.implemented ? 'implemented' : 'not implemented yet').padEnd(19)}  ${r.description}\n`).join('');
}

/** Catalogue rules that ran on at least one file (implemented and not turned off), plus any that reported. */
function rulesRun(files: readonly InputFile[], opts: Options, reported: readonly Reported[]): RuleMeta[] {
  const on = new Set(reported.map((r) => r.finding.rule));
  for (const f of files) {
    const { settings } = resolveSettings({ filePath: f.absolute, configFile: opts.config });
    for (const r of RULES) if (r.implemented && settings.rules[r.id] !== 'off') on.add(r.id);
  }
  return RULES.filter((r) => on.has(r.id));
}

export async function main(argv: string[]): Promise<number> {
  let opts: Options;
  let files: InputFile[];
  let baseline: Baseline | undefined;
  let changed: ((absolute: string) => ChangedLines) | undefined;
  try {
    opts = parseArgs(argv);
    if (opts.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (opts.version) {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (opts.listRules) {
      process.stdout.write(listRules());
      return 0;
    }
    if (opts.paths.length === 0) throw new UsageError('no paths given (try --help)');
    if (opts.config && !existsSync(opts.config)) throw new UsageError(`--config ${opts.config}: no such file`);
    files = collectFiles(opts.paths);
    if (opts.baseline && !opts.writeBaseline) baseline = loadBaseline(opts.baseline);
    if (opts.changedSince) changed = changedSince(opts.changedSince);
  } catch (e) {
    if (e instanceof UsageError || e instanceof MissingPathError) {
      err(e.message);
      return 2;
    }
    throw e;
  }

  const started = Date.now();
  const serverErrors = new Set<string>();
  const settings: ServerSettings = { platforms: opts.platforms, configFile: opts.config && resolve(opts.config) };
  if (opts.defines) settings.macros = { defines: opts.defines };
  if (opts.includePaths) settings.includePaths = opts.includePaths;
  progress = new Progress(files.length, process.stderr, progressEnabled(opts.quiet, process.stderr));
  const cache = opts.cache ? new ResultCache(resolve(opts.cache), runKey(VERSION, settings), settings.configFile, err) : undefined;

  // Cache hits (and binary files) need no server.
  const outcomes = new Array<FileOutcome>(files.length);
  const toRun: number[] = [];
  let fromCache = 0;
  for (const [i, file] of files.entries()) {
    if (!cache) {
      toRun.push(i);
      continue;
    }
    const content = readSource(file.absolute);
    if (content.kind === 'binary') outcomes[i] = { file, kind: 'binary' };
    const key = content.kind === 'text' ? cache.keyFor(file.absolute, content.text) : undefined;
    const diagnostics = key === undefined ? undefined : cache.get(file.absolute, key);
    if (content.kind === 'text' && diagnostics) {
      outcomes[i] = { file, kind: 'done', uri: pathToFileURL(file.absolute).href, text: content.text, diagnostics, cached: true };
      fromCache++;
    } else if (content.kind !== 'binary') toRun.push(i);
  }
  progress.tick(files.length - toRun.length);

  const fresh = await runPool(
    toRun.map((i) => files[i]),
    {
      jobs: opts.jobs,
      timeoutMs: opts.timeoutMs,
      settings,
      onMessage: (type, message) => {
        if (serverErrors.has(message)) return;
        serverErrors.add(message);
        err(`${type === 1 ? 'error' : type === 2 ? 'warning' : 'note'}: ${message}`);
        if (type !== 1) serverErrors.delete(message);
      },
      onOutcome: () => progress?.tick(),
    },
  );
  for (const [j, o] of fresh.entries()) {
    outcomes[toRun[j]] = o;
    if (cache && o.kind === 'done' && !o.messaged) {
      const key = cache.keyFor(o.file.absolute, o.text);
      if (key !== undefined) cache.set(o.file.absolute, key, o.diagnostics);
    }
  }
  progress.finish();
  progress = undefined;

  let failed = 0;
  let binary = 0;
  for (const o of outcomes) {
    if (o.kind === 'failed') {
      failed++;
      err(`${o.file.display}: failed: ${o.reason}`);
    } else if (o.kind === 'binary') {
      binary++;
      err(`${o.file.display}: skipped: binary file`);
    }
  }
  const { reported: all, notes, notices } = collect(outcomes);
  for (const n of notes) err(n);

  const absoluteOf = new Map(files.map((f) => [f.display, f.absolute]));
  const absolute = (r: Reported): string => absoluteOf.get(r.file) ?? resolve(r.file);
  const keyOf = (r: Reported): string => baselineKey(absolute(r));
  const analysed = outcomes.filter((o) => o.kind === 'done').length;
  const secs = (): string => ((Date.now() - started) / 1000).toFixed(2);
  const extra = [fromCache ? `${fromCache} from cache` : '', binary ? `${binary} skipped` : '', failed ? `${failed} failed` : ''].filter((x) => x !== '').join(', ');
  const analysedText = `${plural(analysed, 'file')} analysed${extra ? ` (${extra})` : ''}`;

  if (opts.writeBaseline) {
    const b = makeBaseline(all, keyOf);
    try {
      writeBaseline(opts.writeBaseline, b);
    } catch (e) {
      err(`--write-baseline ${opts.writeBaseline}: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    if (!opts.quiet) {
      err(`${analysedText}: wrote ${opts.writeBaseline}: ${plural(all.length, 'finding')} in ${plural(Object.keys(b.files).length, 'file')} in ${secs()}s`);
    }
    return failed > 0 || serverErrors.size > 0 ? 2 : 0;
  }

  let reported = all;
  const hidden: string[] = [];
  let overNote = '';
  if (baseline) {
    const checked = new Set(outcomes.filter((o) => o.kind === 'done').map((o) => baselineKey(o.file.absolute)));
    const applied = applyBaseline(reported, baseline, keyOf, checked);
    reported = applied.kept;
    if (applied.suppressed > 0) hidden.push(`${applied.suppressed} in the baseline`);
    for (const o of applied.over) err(`${o.file}: ${o.count} ${o.rule} findings where the baseline allows ${o.allowed}: all ${o.count} reported`);
    if (applied.over.length > 0) {
      const n = applied.over.reduce((a, o) => a + o.count, 0);
      overNote = `; ${plural(n, 'finding')} reported because ${applied.over.length === 1 ? 'a file has' : `${applied.over.length} files/rules have`} more than the baseline allows`;
    }
    if (applied.stale.length > 0 && !opts.quiet) {
      for (const s of applied.stale) err(`hint: ${s.file}: ${s.rule}: the baseline allows ${s.allowed}, there ${s.count === 1 ? 'is' : 'are'} now ${s.count}`);
      const n = applied.stale.length;
      err(`hint: ${n} baseline ${n === 1 ? 'entry allows' : 'entries allow'} more than is left: re-write it with --write-baseline ${opts.baseline ?? ''}`);
    }
  }
  if (changed) {
    const linesOf = changed;
    const memo = new Map<string, ChangedLines>();
    const before = reported.length;
    reported = reported.filter((r) => {
      const abs = absolute(r);
      let lines = memo.get(abs);
      if (lines === undefined) {
        lines = linesOf(abs);
        memo.set(abs, lines);
      }
      return lines === 'all' || lines.has(r.finding.range.start.line + 1);
    });
    if (before > reported.length) hidden.push(`${before - reported.length} on lines unchanged since ${opts.changedSince ?? ''}`);
  }

  if (opts.format === 'gcc') process.stdout.write(formatGcc(reported, opts.explain));
  else if (opts.format === 'json') process.stdout.write(formatJson(reported, analysed, notices));
  else if (opts.format === 'html') process.stdout.write(renderHtml(reported, VERSION));
  else process.stdout.write(formatSarif(reported, rulesRun(files, opts, reported), VERSION, notices));

  const count: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const r of reported) count[r.finding.severity]++;
  if (!opts.quiet) {
    err(
      `${analysedText}: ` +
        `${plural(count.error, 'error')}, ${plural(count.warning, 'warning')}, ${count.info} info` +
        `${hidden.length > 0 ? ` (not shown: ${hidden.join(', ')})` : ''}${overNote} in ${secs()}s`,
    );
  }

  if (failed > 0 || serverErrors.size > 0) return 2;
  if (opts.exitZero) return 0;
  const failing = reported.filter((r) => SEVERITY_RANK[r.finding.severity] >= SEVERITY_RANK[opts.failOn]).length;
  if (failing > 0) return 1;
  if (opts.maxWarnings !== undefined && count.warning > opts.maxWarnings) return 1;
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 2;
    },
  );
}
