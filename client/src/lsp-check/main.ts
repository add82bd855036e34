import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Severity } from '../../../shared/src/findings';
import { resolveSettings } from '../../../server/src/config/load';
import { RULES, type RuleMeta } from '../../../server/src/rules/meta';
import { HELP, type Options, parseArgs, UsageError } from './args';
import { collectFiles, type InputFile, MissingPathError } from './files';
import { formatGcc, formatJson } from './formats';
import { runPool } from './pool';
import { collect, type Reported, SEVERITY_RANK } from './results';
import { formatSarif } from './sarif';

const VERSION: string = (require('../../../../package.json') as { version: string }).version;

function err(line: string): void {
  process.stderr.write(`lsp-check: ${line}\n`);
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
  } catch (e) {
    if (e instanceof UsageError || e instanceof MissingPathError) {
      err(e.message);
      return 2;
    }
    throw e;
  }

  const started = Date.now();
  const serverErrors = new Set<string>();
  const outcomes = await runPool(files, {
    jobs: opts.jobs,
    timeoutMs: opts.timeoutMs,
    settings: { platforms: opts.platforms, configFile: opts.config && resolve(opts.config) },
    onMessage: (type, message) => {
      if (serverErrors.has(message)) return;
      serverErrors.add(message);
      err(`${type === 1 ? 'error' : type === 2 ? 'warning' : 'note'}: ${message}`);
      if (type !== 1) serverErrors.delete(message);
    },
  });

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
  const { reported, notes } = collect(outcomes);
  for (const n of notes) err(n);

  const analysed = outcomes.filter((o) => o.kind === 'done').length;
  if (opts.format === 'gcc') process.stdout.write(formatGcc(reported));
  else if (opts.format === 'json') process.stdout.write(formatJson(reported, analysed));
  else process.stdout.write(formatSarif(reported, rulesRun(files, opts, reported), VERSION));

  const count: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const r of reported) count[r.finding.severity]++;
  if (!opts.quiet) {
    const secs = ((Date.now() - started) / 1000).toFixed(2);
    const extra = [binary ? `${binary} skipped` : '', failed ? `${failed} failed` : ''].filter((s) => s !== '').join(', ');
    err(
      `${analysed} file${analysed === 1 ? '' : 's'} analysed${extra ? ` (${extra})` : ''}: ` +
        `${count.error} error${count.error === 1 ? '' : 's'}, ${count.warning} warning${count.warning === 1 ? '' : 's'}, ${count.info} info in ${secs}s`,
    );
  }

  if (failed > 0 || serverErrors.size > 0) return 2;
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
