// npm run bench: measures DMA Lint on this machine over Debian's linux-source-6.1 tree and
// writes BENCHMARKS.md. Sections (skip any with BENCH_SKIP=dma,drivers,latency,memory,coccinelle):
//   dma        lsp-check --jobs 1 / --jobs 2 over the driver files that call the DMA API, and
//              the tree-sitter parse-only floor for the same files (child process)
//   drivers    lsp-check --jobs 2 over all of drivers/ (*.c, *.h)
//   latency    the real server over stdio: 50 one-character edits to each of the 10 largest
//              DMA files, didChange -> publishDiagnostics for that version
//   memory     server peak RSS with the 50 largest DMA files open, then 1,000 edits to one
//   coccinelle spatch with scripts/bench/unchecked-map.cocci over the DMA files, next to
//              our dma/unchecked-map findings
// Progress goes to stderr. BENCHMARKS.md is written at the end, with whatever finished and
// the error of any section that failed. Raw numbers: <cache>/bench-results.json.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { CACHE, dmaDriverFiles, kernelTree, walk } from './kernel-tree.mjs';
import { LspSession, memoryOf } from './bench/lsp-session.mjs';

const ROOT = join(import.meta.dirname, '..');
// Frozen copy of the build (out/, bin/, the dialect table, rule docs) so that a rebuild by
// someone else during the run cannot change the engine between sections.
const BUILD = snapshotBuild();
process.env.BENCH_BUILD = BUILD;
const LSP_CHECK = join(BUILD, 'bin', 'lsp-check.js');
const COCCI = join(ROOT, 'scripts', 'bench', 'unchecked-map.cocci');
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const COCCI_TIMEOUT_S = Number(process.env.BENCH_COCCI_TIMEOUT_S ?? 1800);
// Overridable for a quick smoke run only; the targets assume the defaults.
const LATENCY_FILES = Number(process.env.BENCH_LATENCY_FILES ?? 10);
const LATENCY_EDITS = Number(process.env.BENCH_LATENCY_EDITS ?? 50);
const MEMORY_FILES = Number(process.env.BENCH_MEMORY_FILES ?? 50);
const MEMORY_EDITS = Number(process.env.BENCH_MEMORY_EDITS ?? 1000);
const FILES_LIMIT = Number(process.env.BENCH_FILES_LIMIT ?? 0);

const log = (m) => process.stderr.write(`bench: ${m}\n`);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const mb = (bytes) => bytes / (1024 * 1024);
const fmt = (n, d = 1) => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : Number(n).toFixed(d));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const results = { sections: {}, errors: {}, skipped: [...SKIP] };

function snapshotBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'dma-lint-build-'));
  for (const p of ['out', 'bin', 'package.json', 'server/src/c/dialect.json', 'docs/rules']) {
    cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------- machine and corpus

function machine() {
  const cpu = cpus();
  let gitHead = '';
  try {
    gitHead = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  let spatch = '';
  try {
    spatch = execFileSync('spatch', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    // installed later by the coccinelle section, or missing
  }
  return {
    cpu: cpu[0]?.model?.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    gitHead,
    spatch,
  };
}

function sizeOf(files) {
  let bytes = 0;
  for (const f of files) bytes += statSync(f).size;
  return bytes;
}

// ---------------------------------------------------------------- lsp-check runs

function lspCheck(args, cwd, label) {
  log(`${label}: lsp-check ${args.filter((a) => !a.startsWith('/')).join(' ')} …`);
  const started = nowMs();
  const run = spawnSync(process.execPath, [LSP_CHECK, '--format', 'json', '--quiet', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wallS = (nowMs() - started) / 1000;
  if (run.error) throw run.error;
  if (run.status !== 0 && run.status !== 1 && run.status !== 2) throw new Error(`lsp-check exited ${run.status ?? run.signal}: ${run.stderr.slice(-2000)}`);
  let json;
  try {
    json = JSON.parse(run.stdout);
  } catch (e) {
    throw new Error(`lsp-check (exit ${run.status}) printed no JSON: ${e.message}; stderr: ${run.stderr.slice(-2000)}`);
  }
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  const failed = lines.filter((l) => /: failed: /.test(l));
  const timedOut = failed.filter((l) => /timed out/.test(l));
  const skipped = lines.filter((l) => /: skipped/.test(l) || /\bskipped\b/.test(l));
  const serverErrors = lines.filter((l) => /^lsp-check: (error|internal error):/.test(l));
  const perRule = {};
  for (const d of json.diagnostics) perRule[d.rule] = (perRule[d.rule] ?? 0) + 1;
  log(`${label}: ${fmt(wallS, 1)} s, ${json.files} files analysed, ${json.diagnostics.length} findings, ${failed.length} failed (${timedOut.length} timed out), exit ${run.status}`);
  return {
    wallS,
    exit: run.status,
    analysed: json.files,
    findings: json.diagnostics.length,
    perRule,
    failed: failed.length,
    timedOut: timedOut.length,
    skippedNotes: skipped.length,
    serverErrors: serverErrors.length,
    problemSamples: [...failed, ...serverErrors].slice(0, 10).map((l) => l.slice(0, 300)),
    diagnostics: json.diagnostics,
  };
}

function parseFloor(files) {
  const dir = mkdtempSync(join(tmpdir(), 'dma-bench-'));
  try {
    const list = join(dir, 'files.json');
    writeFileSync(list, JSON.stringify(files));
    log(`dma: parse floor (tree-sitter-c, one thread, child process) over ${files.length} files …`);
    const started = nowMs();
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'parse-floor.mjs'), list], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const wallS = (nowMs() - started) / 1000;
    if (run.status !== 0) throw new Error(`parse-floor exited ${run.status ?? run.signal}: ${run.stderr.slice(-2000)}`);
    const r = JSON.parse(run.stdout.trim().split('\n').pop());
    log(`dma: parse floor ${fmt(r.rawParseMs / 1000, 2)} s raw parse, ${fmt(r.maskedParseMs / 1000, 2)} s mask+parse, ${fmt(wallS, 2)} s process`);
    return { ...r, processWallS: wallS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sectionDma(tree, files, bytes) {
  const floor = parseFloor(files);
  const j1 = lspCheck(['--jobs', '1', ...files], tree, 'dma jobs 1');
  const j2 = lspCheck(['--jobs', '2', ...files], tree, 'dma jobs 2');
  return { files: files.length, bytes, floor, j1, j2 };
}

function sectionDrivers(tree) {
  const all = walk(join(tree, 'drivers'), [], (n) => n.endsWith('.c') || n.endsWith('.h'));
  const bytes = sizeOf(all);
  const run = lspCheck(['--jobs', '2', 'drivers'], tree, 'drivers jobs 2');
  return { files: all.length, cFiles: all.filter((f) => f.endsWith('.c')).length, bytes, run };
}

// ---------------------------------------------------------------- editor latency and memory

function largest(files, n) {
  return files
    .map((f) => ({ f, size: statSync(f).size }))
    .sort((a, b) => b.size - a.size)
    .slice(0, n);
}

/** Edit k (0-based): insert a space at the start of a line in the middle of the file. */
function editRange(lineCount, k) {
  const line = Math.floor(lineCount / 2) + (k % 200);
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

async function sectionLatency(tree, files) {
  const picked = largest(files, LATENCY_FILES);
  const session = await LspSession.start({ rootPath: tree });
  const perFile = [];
  const all = [];
  try {
    for (const { f, size } of picked) {
      const text = readFileSync(f, 'utf8');
      const lines = text.split('\n').length;
      const t0 = nowMs();
      const uri = await session.open(f, text);
      const first = await session.waitFor(uri, 1);
      const openMs = nowMs() - t0;
      const times = [];
      for (let k = 0; k < LATENCY_EDITS; k++) {
        const version = k + 2;
        const sent = await session.change(uri, version, editRange(lines, k), ' ');
        const got = await session.waitFor(uri, version);
        const ms = Number(got.at - sent) / 1e6;
        times.push(ms);
        all.push(ms);
      }
      await session.close(uri);
      const sorted = [...times].sort((a, b) => a - b);
      const row = { file: relative(tree, f), bytes: size, lines, openMs, findings: first.count, p50: pct(sorted, 50), p95: pct(sorted, 95), max: sorted.at(-1) };
      perFile.push(row);
      log(`latency: ${row.file} open ${fmt(openMs, 0)} ms, edits p50 ${fmt(row.p50)} ms p95 ${fmt(row.p95)} ms`);
    }
  } finally {
    await session.stop();
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { perFile, edits: all.length, p50: pct(sorted, 50), p95: pct(sorted, 95), max: sorted.at(-1), serverMessages: session.messages.slice(0, 5) };
}

async function sectionMemory(tree, files) {
  const picked = largest(files, MEMORY_FILES);
  const session = await LspSession.start({ rootPath: tree });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const idle = memoryOf(session.pid);
    const t0 = nowMs();
    const uris = [];
    for (const { f } of picked) uris.push(await session.open(f));
    await Promise.all(uris.map((u) => session.waitFor(u, 1, 600000)));
    const openS = (nowMs() - t0) / 1000;
    const afterOpen = memoryOf(session.pid);
    log(`memory: ${picked.length} files open in ${fmt(openS, 1)} s, RSS ${fmt(afterOpen.rssKb / 1024)} MB, peak ${fmt(afterOpen.hwmKb / 1024)} MB`);

    const target = picked[0];
    const uri = uris[0];
    const lines = readFileSync(target.f, 'utf8').split('\n').length;
    const samples = [{ edits: 0, ...afterOpen }];
    const te = nowMs();
    for (let k = 0; k < MEMORY_EDITS; k++) {
      const version = k + 2;
      await session.change(uri, version, editRange(lines, k), ' ');
      await session.waitFor(uri, version);
      if ((k + 1) % 100 === 0) {
        samples.push({ edits: k + 1, ...memoryOf(session.pid) });
        log(`memory: ${k + 1} edits, RSS ${fmt(samples.at(-1).rssKb / 1024)} MB`);
      }
    }
    const editS = (nowMs() - te) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const settled = memoryOf(session.pid);
    return {
      files: picked.length,
      bytes: picked.reduce((s, x) => s + x.size, 0),
      openS,
      idle,
      afterOpen,
      editedFile: relative(tree, target.f),
      edits: MEMORY_EDITS,
      editS,
      samples,
      settled,
      serverMessages: session.messages.slice(0, 5),
    };
  } finally {
    await session.stop();
  }
}

// ---------------------------------------------------------------- coccinelle

function ensureSpatch() {
  if (spawnSync('spatch', ['--version']).status === 0) return;
  log('coccinelle: spatch missing, apt-get install -y coccinelle …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['install', '-y', '-qq', 'coccinelle'], { stdio: 'inherit', env });
  if (spawnSync('spatch', ['--version']).status !== 0) throw new Error('spatch is not installed and apt-get install coccinelle failed');
}

function runSpatch(tree, files) {
  return new Promise((resolvePromise) => {
    const dir = mkdtempSync(join(tmpdir(), 'dma-bench-cocci-'));
    // spatch treats the files named on its command line as one group, and --file-groups
    // (1.1.1) runs shell commands per entry; so it gets a directory of symlinks to exactly
    // the DMA files (same relative paths as in the tree) through --dir.
    const links = join(dir, 'files');
    for (const f of files) {
      const to = join(links, relative(tree, f));
      mkdirSync(dirname(to), { recursive: true });
      symlinkSync(f, to);
    }
    const args = ['--sp-file', COCCI, '--dir', links, '--jobs', '2', '--very-quiet', '--no-show-diff', '--no-includes', '--timeout', '120', '--tmp-dir', join(dir, 'par')];
    log(`coccinelle: spatch ${args.filter((a) => !a.startsWith('/')).join(' ')} (cap ${COCCI_TIMEOUT_S} s) …`);
    const started = nowMs();
    const proc = spawn('spatch', args, { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err = (err + d).slice(-20000)));
    let capped = false;
    const timer = setTimeout(() => {
      capped = true;
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        proc.kill('SIGKILL');
      }
    }, COCCI_TIMEOUT_S * 1000);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolvePromise({ wallS: (nowMs() - started) / 1000, code, signal, capped, out, err, links });
    });
  });
}

async function sectionCoccinelle(tree, files, ours) {
  ensureSpatch();
  const version = execFileSync('spatch', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  const run = await runSpatch(tree, files);
  const hits = [...new Set(run.out.split('\n').filter((l) => /^\S+:\d+:\d+$/.test(l)))].map((l) => {
    const [, file, line] = /^(.*):(\d+):\d+$/.exec(l);
    return { file: resolve(tree, relative(run.links, resolve(tree, file))), line: Number(line) };
  });
  const timeouts = (run.err.match(/timeout/gi) ?? []).length;
  log(`coccinelle: ${fmt(run.wallS, 1)} s, ${hits.length} matches, exit ${run.code ?? run.signal}${run.capped ? ' (capped)' : ''}`);
  const mine = ours.diagnostics.filter((d) => d.rule === 'dma/unchecked-map').map((d) => ({ file: resolve(tree, d.file), line: d.line }));
  const key = (h) => `${h.file}:${h.line}`;
  const mineKeys = new Set(mine.map(key));
  const both = hits.filter((h) => mineKeys.has(key(h))).length;
  return {
    version,
    wallS: run.wallS,
    exit: run.code,
    signal: run.signal,
    capped: run.capped,
    timeoutMentions: timeouts,
    stderrTail: run.err.slice(-600),
    matches: hits.length,
    filesWithMatches: new Set(hits.map((h) => h.file)).size,
    ours: mine.length,
    oursWallS: ours.wallS,
    oursJobs: ours.jobs,
    sameLine: both,
  };
}

// ---------------------------------------------------------------- report

function target(ok, text) {
  return ok === undefined ? `${text}: n/a` : `${ok ? 'met' : '**missed**'} (${text})`;
}

function report(m, corpus) {
  const s = results.sections;
  const out = [];
  out.push('# DMA Lint benchmarks', '');
  out.push('Written by `npm run bench` (scripts/bench.mjs); every number below was measured in that run. Re-run it to refresh this file.', '');
  out.push('| machine | |', '|---|---|');
  out.push(`| CPU | ${m.cpu} |`, `| cores | ${m.cores} |`, `| memory | ${fmt(m.memoryGb, 1)} GB |`, `| Node | ${m.node} (${m.platform}) |`);
  out.push(`| date | ${m.date} |`, `| DMA Lint commit | ${m.gitHead || 'n/a'} |`);
  if (corpus) {
    out.push(`| kernel tree | Debian linux-source-6.1 (\`${corpus.treeName}\`) |`);
    out.push(`| DMA-using driver files | ${corpus.files} drivers/**/*.c files calling the DMA API, ${fmt(mb(corpus.bytes), 1)} MB |`);
  }
  if (s.drivers) out.push(`| all of drivers/ | ${s.drivers.files} files (*.c and *.h; ${s.drivers.cFiles} .c), ${fmt(mb(s.drivers.bytes), 1)} MB |`);
  const notRun = results.skipped.filter((k) => !results.reused[k]);
  if (notRun.length) out.push(`| skipped sections | ${notRun.join(', ')} (BENCH_SKIP) |`);
  for (const [k, at] of Object.entries(results.reused)) out.push(`| section ${k} | numbers from an earlier run, measured ${at} |`);
  out.push('');

  const miss = [];
  const summary = [];

  // dma
  out.push('## 1. DMA-using driver files: whole-corpus lint and the parse floor', '', ...loadLine(s.dma));
  if (s.dma) {
    const d = s.dma;
    const floorS = d.floor.rawParseMs / 1000;
    const ratio = d.j1.wallS / floorS;
    const ok = ratio <= 1.3;
    if (!ok) miss.push(`lint/parse-floor ratio ${fmt(ratio, 1)} vs ≤ 1.3 (${fmt(ratio / 1.3, 1)}× over)`);
    summary.push(['lint / parse floor (jobs 1, DMA files)', `${fmt(ratio, 1)}×`, '≤ 1.3×', ok]);
    out.push('How measured: `lsp-check --format json --quiet --jobs N <files>` as a child process, wall clock from spawn to exit (includes server start-up); parse floor: a separate Node process reads every file, then parses each whole file once with raw tree-sitter-c on one thread (timed loop only, no start-up, no reading); "mask + parse" is the engine\'s own CParser (kernel-dialect masking + parse) on the same texts.', '');
    out.push('| measurement | wall | throughput | target |', '|---|---|---|---|');
    out.push(`| parse floor: tree-sitter-c only, 1 thread | ${fmt(floorS, 2)} s | ${fmt(mb(d.bytes) / floorS, 1)} MB/s | |`);
    out.push(`| engine CParser: mask + parse, 1 thread | ${fmt(d.floor.maskedParseMs / 1000, 2)} s | ${fmt(mb(d.bytes) / (d.floor.maskedParseMs / 1000), 1)} MB/s | |`);
    out.push(`| reading the files (utf8) | ${fmt(d.floor.readMs / 1000, 2)} s | | |`);
    out.push(`| lsp-check --jobs 1 | ${fmt(d.j1.wallS, 1)} s | ${fmt(mb(d.bytes) / d.j1.wallS, 2)} MB/s | |`);
    out.push(`| lsp-check --jobs 2 | ${fmt(d.j2.wallS, 1)} s | ${fmt(mb(d.bytes) / d.j2.wallS, 2)} MB/s | |`);
    out.push(`| ratio lint (jobs 1) / parse floor | ${fmt(ratio, 1)}× | | ${target(ok, 'target ≤ 1.3×')} |`);
    out.push(`| speed-up jobs 2 vs jobs 1 | ${fmt(d.j1.wallS / d.j2.wallS, 2)}× | | |`);
    out.push('');
    out.push(`Files analysed: ${d.j1.analysed} (jobs 1), ${d.j2.analysed} (jobs 2) of ${d.files}; failed or timed out (lsp-check stderr): ${d.j1.failed} / ${d.j1.timedOut} timed out (jobs 1), ${d.j2.failed} / ${d.j2.timedOut} timed out (jobs 2); server error messages: ${d.j1.serverErrors} / ${d.j2.serverErrors}; exit codes ${d.j1.exit} / ${d.j2.exit}. The parse floor saw ${d.floor.filesWithErrors} files with tree-sitter ERROR nodes (${d.floor.nodes} nodes in all).`, '');
    const samples = [...d.j1.problemSamples, ...d.j2.problemSamples];
    if (samples.length) out.push('Problems reported:', '', '```', ...samples.map((l) => l.replace(/\/[^\s:]*linux-source-6\.1\//g, '')), '```', '');
    out.push(`Findings per rule (jobs 1 run; ${d.j1.findings} in all${d.j1.findings !== d.j2.findings ? `; the jobs 2 run found ${d.j2.findings}` : ', the jobs 2 run found the same number'}):`, '');
    out.push('| rule | findings |', '|---|---|');
    for (const [rule, n] of Object.entries(d.j1.perRule).sort((a, b) => b[1] - a[1])) out.push(`| ${rule} | ${n} |`);
    out.push('');
  } else out.push(sectionNote('dma'), '');

  // drivers
  out.push('## 2. All of drivers/', '', ...loadLine(s.drivers));
  if (s.drivers) {
    const r = s.drivers.run;
    const ok = r.wallS < 60;
    if (!ok) miss.push(`drivers/ with 2 jobs ${fmt(r.wallS, 0)} s vs < 60 s (${fmt(r.wallS / 60, 1)}× over)`);
    summary.push(['all of drivers/, 2 jobs', `${fmt(r.wallS, 1)} s`, '< 60 s', ok]);
    out.push('How measured: `lsp-check --format json --quiet --jobs 2 drivers` run from the tree root (the CLI walks the directory for *.c and *.h), wall clock from spawn to exit.', '');
    out.push('| measurement | value | target |', '|---|---|---|');
    out.push(`| wall time, 2 jobs | ${fmt(r.wallS, 1)} s | ${target(ok, 'target < 60 s')} |`);
    out.push(`| throughput | ${fmt(mb(s.drivers.bytes) / r.wallS, 2)} MB/s, ${fmt(s.drivers.files / r.wallS, 0)} files/s | |`);
    out.push(`| files analysed | ${r.analysed} of ${s.drivers.files} | |`);
    out.push(`| failed / timed out | ${r.failed} / ${r.timedOut} | |`);
    out.push(`| server error messages | ${r.serverErrors} | |`);
    out.push(`| findings | ${r.findings} | |`);
    out.push('');
    if (r.problemSamples.length) out.push('Problems reported (first 10):', '', '```', ...r.problemSamples.map((l) => l.replace(/\/[^\s:]*linux-source-6\.1\//g, '')), '```', '');
    out.push('| rule | findings |', '|---|---|');
    for (const [rule, n] of Object.entries(r.perRule).sort((a, b) => b[1] - a[1])) out.push(`| ${rule} | ${n} |`);
    out.push('');
  } else out.push(sectionNote('drivers'), '');

  // latency
  out.push('## 3. Editor latency: edit to diagnostics', '', ...loadLine(s.latency));
  if (s.latency) {
    const l = s.latency;
    const ok = l.p95 < 30;
    if (!ok) miss.push(`p95 edit-to-diagnostics ${fmt(l.p95, 1)} ms vs < 30 ms (${fmt(l.p95 / 30, 1)}× over)`);
    summary.push(['p95 edit → diagnostics, 10 largest DMA files', `${fmt(l.p95, 1)} ms`, '< 30 ms', ok]);
    out.push(`How measured: the real server (\`out/server/src/lsp/main.js --stdio\`) driven over stdio with vscode-jsonrpc as a push-diagnostics client, settings \`{debounceMs: 0}\` through initializationOptions. Each of the ${LATENCY_FILES} largest DMA-using files is opened (open = didOpen to its first publishDiagnostics), then gets ${LATENCY_EDITS} incremental didChange edits, one at a time, each inserting one space at the start of a line in the middle of the file; latency = from sending didChange to receiving publishDiagnostics for that version. Files are opened one at a time (closed after their edits).`, '');
    out.push('| file | size | lines | open | findings | p50 | p95 | max | target p95 < 30 ms |', '|---|---|---|---|---|---|---|---|---|');
    for (const r of l.perFile) {
      out.push(`| ${r.file} | ${fmt(r.bytes / 1024, 0)} KB | ${r.lines} | ${fmt(r.openMs, 0)} ms | ${r.findings} | ${fmt(r.p50)} ms | ${fmt(r.p95)} ms | ${fmt(r.max)} ms | ${r.p95 < 30 ? 'met' : '**missed**'} |`);
    }
    out.push(`| **all ${l.edits} edits** | | | | | **${fmt(l.p50)} ms** | **${fmt(l.p95)} ms** | ${fmt(l.max)} ms | ${target(ok, 'target < 30 ms')} |`);
    out.push('');
    if (l.serverMessages.length) out.push(`Server messages: ${l.serverMessages.join(' / ')}`, '');
  } else out.push(sectionNote('latency'), '');

  // memory
  out.push('## 4. Server memory', '', ...loadLine(s.memory));
  if (s.memory) {
    const x = s.memory;
    const peakMb = x.afterOpen.hwmKb / 1024;
    const ok = peakMb < 300;
    if (!ok) miss.push(`server peak RSS with ${x.files} files open ${fmt(peakMb, 0)} MB vs < 300 MB (${fmt(peakMb / 300, 1)}× over)`);
    summary.push([`server peak RSS, ${x.files} largest DMA files open`, `${fmt(peakMb, 0)} MB`, '< 300 MB', ok]);
    const growth = (x.settled.rssKb - x.afterOpen.rssKb) / 1024;
    out.push(`How measured: a fresh server over stdio (as in 3.); VmRSS and VmHWM (peak RSS) read from /proc/<pid>/status. The ${x.files} largest DMA-using files (${fmt(mb(x.bytes), 1)} MB) are opened together and measured once all have published diagnostics; then ${x.edits} one-space edits (as in 3.) go to the largest, ${x.editedFile}, each waiting for its diagnostics, sampled every 100 edits; "settled" is 2 s after the last edit.`, '');
    out.push('| point | RSS | peak RSS (VmHWM) | target |', '|---|---|---|---|');
    out.push(`| server idle after initialize | ${fmt(x.idle.rssKb / 1024, 0)} MB | ${fmt(x.idle.hwmKb / 1024, 0)} MB | |`);
    out.push(`| ${x.files} files open (took ${fmt(x.openS, 1)} s) | ${fmt(x.afterOpen.rssKb / 1024, 0)} MB | ${fmt(peakMb, 0)} MB | ${target(ok, 'peak < 300 MB')} |`);
    for (const smp of x.samples.slice(1)) out.push(`| after ${smp.edits} edits | ${fmt(smp.rssKb / 1024, 0)} MB | ${fmt(smp.hwmKb / 1024, 0)} MB | |`);
    out.push(`| settled, after ${x.edits} edits (${fmt(x.editS, 1)} s of editing) | ${fmt(x.settled.rssKb / 1024, 0)} MB | ${fmt(x.settled.hwmKb / 1024, 0)} MB | RSS ${growth >= 0 ? '+' : ''}${fmt(growth, 0)} MB over the ${x.edits} edits |`);
    out.push('');
  } else out.push(sectionNote('memory'), '');

  // coccinelle
  out.push('## 5. Coccinelle comparison', '', ...loadLine(s.coccinelle));
  if (s.coccinelle) {
    const c = s.coccinelle;
    const speed = c.wallS / c.oursWallS;
    const ok = c.capped ? undefined : speed >= 20;
    if (ok === false) miss.push(`speed vs spatch ${fmt(speed, 1)}× vs ≥ 20× (${fmt(20 / speed, 1)}× short)`);
    summary.push(['faster than spatch (same files, 2 jobs each)', c.capped ? `> ${fmt(speed, 1)}× (spatch capped)` : `${fmt(speed, 1)}×`, '≥ 20×', ok]);
    out.push(`How measured: \`spatch --sp-file scripts/bench/unchecked-map.cocci --dir <symlinks to the DMA files> --jobs 2 --very-quiet --no-show-diff --no-includes --timeout 120\` (${c.version}) over the same DMA-using files, wall clock from spawn to exit${c.capped ? `, **capped at ${COCCI_TIMEOUT_S} s: spatch was killed, its numbers are partial**` : ''}; ours: lsp-check --jobs ${c.oursJobs} over the same files (from section 1), counting dma/unchecked-map findings only. The semantic patch flags \`E = dma_map_single(...)\` / \`E = dma_map_page(...)\` when no path from there to the end of the function calls \`dma_mapping_error(..., E)\` on the same expression; it does not follow the handle into other variables, helpers or return values, so its count is a rough baseline, not ground truth. "Same line" = a spatch match on a file and line where we also report dma/unchecked-map.`, '');
    out.push('| tool | wall | findings | files with findings | target |', '|---|---|---|---|---|');
    out.push(`| spatch, 2 jobs | ${fmt(c.wallS, 1)} s${c.capped ? ' (capped)' : ''} | ${c.matches} | ${c.filesWithMatches} | |`);
    out.push(`| DMA Lint (lsp-check, ${c.oursJobs} job${c.oursJobs === 1 ? '' : 's'}), dma/unchecked-map | ${fmt(c.oursWallS, 1)} s | ${c.ours} | | ${target(ok, `${fmt(speed, 1)}× faster, target ≥ 20×`)} |`);
    out.push(`| same file and line in both | | ${c.sameLine} | | |`);
    out.push('');
    out.push(`spatch exit: ${c.exit ?? c.signal}; "timeout" mentioned ${c.timeoutMentions} times on its stderr (per-file --timeout 120).`, '');
  } else out.push(sectionNote('coccinelle'), '');

  // summary at the top of the targets
  const head = ['## Targets', '', '| target | measured | goal | result |', '|---|---|---|---|'];
  for (const [name, v, goal, ok] of summary) head.push(`| ${name} | ${v} | ${goal} | ${ok === undefined ? 'n/a' : ok ? 'met' : '**missed**'} |`);
  head.push('');
  if (miss.length) head.push(`Missed: ${miss.join('; ')}. These are the numbers as measured.`, '');
  const errs = Object.entries(results.errors);
  if (errs.length) {
    head.push('Sections that failed in this run:', '');
    for (const [k, e] of errs) head.push(`- ${k}: ${e.split('\n')[0].slice(0, 400)}`);
    head.push('');
  }
  const at = out.findIndex((l) => l.startsWith('## 1.'));
  out.splice(at, 0, ...head);
  return `${out.join('\n')}\n`;
}

/** The 1-minute load average at the start and end of a section: > 2 means others shared the 2 cores. */
function loadLine(sec) {
  if (!sec?.load) return [];
  const [a, b] = sec.load;
  const busy = Math.max(a, b) > cores() + 0.5;
  return [`Load average (1 min) at start / end of this section: ${fmt(a, 2)} / ${fmt(b, 2)}${busy ? ' — other work was running on this machine, so times may be inflated' : ''}.`, ''];
}
function cores() {
  return availableParallelism();
}

function sectionNote(name) {
  if (SKIP.has(name)) return `Skipped (BENCH_SKIP=${[...SKIP].join(',')}).`;
  if (results.errors[name]) return `**Failed in this run:** \`${results.errors[name].split('\n')[0].slice(0, 500)}\``;
  return 'Not run.';
}

// ---------------------------------------------------------------- main

// BENCH_REUSE=1: a skipped section takes its numbers from the previous run's
// bench-results.json (to re-measure one section, e.g. after a disturbed run).
let previous;
if (process.env.BENCH_REUSE === '1') {
  try {
    previous = JSON.parse(readFileSync(join(CACHE, 'bench-results.json'), 'utf8'));
  } catch (e) {
    log(`BENCH_REUSE: no previous results (${e.message})`);
  }
}
results.reused = {};

async function section(name, fn) {
  if (SKIP.has(name)) {
    const prev = previous?.sections?.[name];
    if (prev) {
      results.sections[name] = prev;
      results.reused[name] = prev.measuredAt ?? previous.machine?.date ?? 'an earlier run';
      log(`${name}: skipped, reusing the numbers measured ${results.reused[name]}`);
    } else log(`${name}: skipped`);
    return;
  }
  const t0 = nowMs();
  try {
    const load0 = loadavg()[0];
    results.sections[name] = { ...(await fn()), measuredAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), load: [load0, loadavg()[0]] };
    log(`${name}: done in ${fmt((nowMs() - t0) / 1000, 0)} s`);
  } catch (e) {
    results.errors[name] = e && e.stack ? e.stack : String(e);
    log(`${name}: FAILED: ${results.errors[name]}`);
  }
}

const m = machine();
let corpus;
try {
  const tree = kernelTree();
  let files = dmaDriverFiles(tree);
  if (FILES_LIMIT > 0) files = files.slice(0, FILES_LIMIT);
  corpus = { tree, treeName: relative(CACHE, tree) || tree, files: files.length, bytes: sizeOf(files) };
  log(`${files.length} DMA-using driver files (${fmt(mb(corpus.bytes), 1)} MB) in ${tree}; ${m.cores} cores, ${m.node}`);

  await section('dma', () => sectionDma(tree, files, corpus.bytes));
  await section('drivers', () => sectionDrivers(tree));
  await section('latency', () => sectionLatency(tree, files));
  await section('memory', () => sectionMemory(tree, files));
  await section('coccinelle', async () => {
    // Same parallelism as spatch (2 jobs) for the speed ratio; findings from that run too.
    const d = results.sections.dma;
    const ours = d?.j2?.diagnostics ? { ...d.j2, jobs: 2 } : { ...lspCheck(['--jobs', '2', ...files], tree, 'coccinelle (ours)'), jobs: 2 };
    return sectionCoccinelle(tree, files, ours);
  });
} catch (e) {
  results.errors.setup = e && e.stack ? e.stack : String(e);
  log(`setup FAILED: ${results.errors.setup}`);
}

m.spatch = m.spatch || results.sections.coccinelle?.version || '';
const md = report(m, corpus);
writeFileSync(join(ROOT, 'BENCHMARKS.md'), md);
try {
  const raw = JSON.parse(JSON.stringify({ machine: m, corpus, ...results }, (k, v) => (k === 'diagnostics' ? undefined : v)));
  writeFileSync(join(CACHE, 'bench-results.json'), JSON.stringify(raw, null, 1));
} catch {
  // the cache folder may be missing when setup failed
}
log(`wrote BENCHMARKS.md${Object.keys(results.errors).length ? ` (failed: ${Object.keys(results.errors).join(', ')})` : ''}`);
