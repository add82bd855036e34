#!/usr/bin/env node
// Robustness run: pushes kernel .c/.h files (and mutated variants of them written into a
// temp dir) through lsp-check and reports crashes (server died), hangs (per-file
// timeouts), engine exceptions (server error messages) and files skipped with an info
// diagnostic. Exit 1 on any crash, hang or engine exception.
//
//   npm run robustness                           whole Debian 6.1 tree (~55,000 files)
//   ROBUST_DIRS=drivers/net,crypto npm run robustness
//   ROBUST_LIMIT=500 ...                         first N files (sorted) of the selection
//   ROBUST_JOBS=2 ROBUST_TIMEOUT_MS=30000 ROBUST_BATCH=1500 ROBUST_MUTANTS=0|1 ROBUST_JSON=out.json
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { kernelTree, walk } from './kernel-tree.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const LSP_CHECK = join(ROOT, 'bin', 'lsp-check.js');
const JOBS = Number(process.env.ROBUST_JOBS ?? 2);
const TIMEOUT_MS = Number(process.env.ROBUST_TIMEOUT_MS ?? 30000);
const BATCH = Number(process.env.ROBUST_BATCH ?? 1500);
const LIMIT = process.env.ROBUST_LIMIT ? Number(process.env.ROBUST_LIMIT) : Infinity;
const MUTANTS = process.env.ROBUST_MUTANTS !== '0';
const FALLBACK_SEEDS = ['drivers/net/ethernet/intel/e1000/e1000_main.c', 'drivers/net/ethernet/realtek/8139cp.c'];

// ---------------------------------------------------------------- deterministic randomness
let seed = 0x5eed1234;
function rand() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (n) => Math.floor(rand() * n);

// ---------------------------------------------------------------- mutated variants
const DRIVER_FN = `static int foo_xmit(struct device *dev, void *buf, size_t len)
{
	dma_addr_t h;

	/* map the buffer "for the device" */
	h = dma_map_single(dev, buf, len, DMA_TO_DEVICE);
	writel(lower_32_bits(h), foo_regs + FOO_TX_ADDR);
	return 0;
}
`;

function repeatTo(text, size) {
  const parts = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const t = text.replace(/foo_xmit/g, `foo_xmit_${i}`);
    parts.push(t);
    n += t.length;
  }
  return parts.join('').slice(0, size);
}

/** Writes the mutated variants into `dir`; `seeds` are real driver files. */
export function writeMutants(dir, seeds) {
  const out = [];
  const put = (name, data) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    out.push(p);
  };
  seeds.forEach((p, k) => {
    const text = readFileSync(p, 'latin1');
    const buf = readFileSync(p);
    const base = `s${k}`;
    // truncations: random offsets, inside a comment, inside a string literal, mid-identifier
    for (let i = 0; i < 3; i++) put(`${base}-cut-rand${i}.c`, buf.subarray(0, randInt(buf.length)));
    const com = text.indexOf('/*', randInt(Math.max(1, text.length / 2)));
    if (com >= 0) put(`${base}-cut-comment.c`, buf.subarray(0, com + 3));
    const str = text.indexOf('"', randInt(Math.max(1, text.length / 2)));
    if (str >= 0) put(`${base}-cut-string.c`, buf.subarray(0, str + 2));
    const dm = text.indexOf('dma_map');
    if (dm >= 0) put(`${base}-cut-call.c`, buf.subarray(0, dm + 9));
    // invalid UTF-8 at random places
    const bad = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xe2, 0x82])];
    const pieces = [];
    let last = 0;
    for (let i = 0; i < 40; i++) {
      const at = Math.min(buf.length, last + randInt(Math.max(1, buf.length / 40)));
      pieces.push(buf.subarray(last, at), bad[randInt(bad.length)]);
      last = at;
    }
    pieces.push(buf.subarray(last));
    put(`${base}-utf8.c`, Buffer.concat(pieces));
    // NUL byte in the middle (lsp-check skips it as binary; the server is tested in vitest)
    put(`${base}-nul.c`, Buffer.concat([buf.subarray(0, buf.length >> 1), Buffer.from([0]), buf.subarray(buf.length >> 1)]));
    // CRLF and lone CR line endings
    put(`${base}-crlf.c`, text.replace(/\r?\n/g, '\r\n'));
    put(`${base}-cr.c`, text.replace(/\r?\n/g, '\r'));
    // a whole driver on one line (comments blanked so that it stays C)
    put(`${base}-oneline.c`, text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ').replace(/\\\n/g, ' ').replace(/\n(?!#)/g, ' '));
    // unbalanced preprocessor conditionals: drop every #endif / add stray ones
    put(`${base}-noendif.c`, text.replace(/^#\s*endif.*$/gm, ''));
    put(`${base}-extra-endif.c`, text.replace(/^(static .*)$/gm, '#endif\n#else\n$1'));
    // lines shuffled
    const lines = text.split('\n');
    for (let i = lines.length - 1; i > 0; i--) {
      const j = randInt(i + 1);
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    put(`${base}-shuffled.c`, lines.join('\n'));
  });
  // random bytes: with NULs (binary), without NULs, printable C punctuation soup
  put('random-bytes.c', Buffer.from(Array.from({ length: 65536 }, () => randInt(256))));
  put('random-nonul.c', Buffer.from(Array.from({ length: 65536 }, () => 1 + randInt(255))));
  const soup = '{}()[];,*&|#"\'\\/ \n\tif else while for dma_map_single dma_unmap_single dma_mapping_error return goto x y 0 1';
  put('random-soup.c', Array.from({ length: 20000 }, () => soup.split(' ')[randInt(soup.split(' ').length)] + ' ').join(''));
  put('random-dma-tokens.c', `static int f(struct device *d, void *b)\n{\n${Array.from({ length: 5000 }, () => ['dma_map_single(d, b, 4, DMA_TO_DEVICE)', 'if (x) {', '}', 'goto out;', 'out:', ';', '(', ')', 'dma_unmap_single(d, h, 4, DMA_TO_DEVICE);', 'h = ', 'return -1;'][randInt(11)]).join(' ')}\n}\n`);
  // size: 10 MB (over maxFileBytes), just under the 4 MiB limit, one 1 MB line
  put('big-10mb.c', repeatTo(DRIVER_FN, 10 * 1024 * 1024));
  put('big-under-limit.c', repeatTo(DRIVER_FN, 4 * 1024 * 1024 - 1024));
  put('one-1mb-line.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h;\n${'\th = dma_map_single(d, b, n, DMA_TO_DEVICE); '.repeat(1024 * 1024 / 45)}\n\treturn 0;\n}\n`);
  put('one-1mb-line-nocode.c', `/* ${'x'.repeat(1024 * 1024)} */\nint a;\n`);
  // 10,000-deep nesting, closed and not closed, inside a DMA function
  const N = 10000;
  const deep = (open, close, closed) =>
    `static int f(struct device *d, void *b, size_t n, int x)\n{\n\tdma_addr_t h = dma_map_single(d, b, n, DMA_TO_DEVICE);\n${open.repeat(N)}\n\th = dma_map_single(d, b, n, DMA_FROM_DEVICE);\n${closed ? close.repeat(N) : ''}\n\treturn 0;\n}\n`;
  put('deep-braces.c', deep('{', '}', true));
  put('deep-braces-open.c', deep('{', '}', false));
  put('deep-if.c', deep('if (x) {', '}', true));
  put('deep-if-open.c', deep('if (x) {', '}', false));
  put('deep-else-if.c', deep('if (x) { h = 0; } else ', '', false));
  put('deep-parens.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'('.repeat(N)}n${')'.repeat(N)}, DMA_TO_DEVICE);\n\treturn 0;\n}\n`);
  put('deep-parens-open.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'('.repeat(N)}n, DMA_TO_DEVICE);\n\treturn 0;\n}\n`);
  put('deep-ternary.c', `static int f(struct device *d, void *b, size_t n, int x)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'x ? n : '.repeat(N)}n, DMA_TO_DEVICE);\n\treturn 0;\n}\n`);
  put('deep-binary.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'n + '.repeat(50000)}n, DMA_TO_DEVICE);\n\treturn 0;\n}\n`);
  put('deep-ifdef.c', `${'#ifdef A\n'.repeat(N)}${DRIVER_FN}${'#endif\n'.repeat(N)}`);
  put('deep-ifdef-else.c', `${'#if A\n#else\n'.repeat(N)}${DRIVER_FN}`);
  put('many-gotos.c', `static int f(struct device *d, void *b, size_t n, int x)\n{\n\tdma_addr_t h = dma_map_single(d, b, n, DMA_TO_DEVICE);\n${Array.from({ length: 3000 }, (_, i) => `\tif (x == ${i}) goto l${i};\n`).join('')}${Array.from({ length: 3000 }, (_, i) => `l${i}:\n\tdma_unmap_single(d, h, n, DMA_TO_DEVICE);\n`).join('')}\treturn 0;\n}\n`);
  put('many-ifs.c', `static int f(struct device *d, void *b, size_t n, int x)\n{\n\tdma_addr_t h = dma_map_single(d, b, n, DMA_TO_DEVICE);\n${Array.from({ length: 3000 }, (_, i) => `\tif (x & ${i}) h = dma_map_single(d, b, n, DMA_TO_DEVICE); else dma_unmap_single(d, h, n, DMA_TO_DEVICE);\n`).join('')}\treturn 0;\n}\n`);
  put('unbalanced-pp.c', `#endif\n#else\n#elif X\n${DRIVER_FN}#if A\n#if B\n${DRIVER_FN.replace('foo_xmit', 'bar')}#else\n#else\n}\n#endif\n#endif\n#endif\n`);
  put('pp-splits-function.c', `static int foo(struct device *dev, void *buf, size_t len)\n{\n#if A\n\tif (x) {\n#else\n\tif (y) {\n#endif\n\tdma_addr_t h = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\n#ifdef B\n\t}\n#endif\n\treturn 0;\n}\n`);
  put('empty.c', '');
  put('only-bom.c', '\ufeff');
  put('bom-driver.c', `\ufeff${DRIVER_FN}`);
  put('lone-surrogates.c', DRIVER_FN.replace('map the buffer', 'map \ud800 the \udfff buffer'));
  put('emoji-idents.c', DRIVER_FN.replace(/\bh\b/g, 'h\u00e9\u{1f600}'));
  put('long-identifier.c', DRIVER_FN.replace(/\bbuf\b/g, `b${'u'.repeat(200000)}f`));
  put('many-functions.c', Array.from({ length: 20000 }, (_, i) => `static void f${i}(struct device *d, void *b) { dma_addr_t h = dma_map_single(d, b, 4, DMA_TO_DEVICE); }\n`).join(''));
  return out;
}

// ---------------------------------------------------------------- running lsp-check
/** One lsp-check invocation; returns parsed outcome. */
function runLspCheck(paths, cwd) {
  return new Promise((res) => {
    const started = Date.now();
    const args = [LSP_CHECK, '--jobs', String(JOBS), '--format', 'json', '--timeout-ms', String(TIMEOUT_MS), '--exit-zero', ...paths];
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A hang of lsp-check itself (not of one file): generous, it has per-file timeouts.
    const watchdogMs = 120000 + paths.length * (TIMEOUT_MS + 2000) / Math.max(1, JOBS);
    let watchdog = false;
    const t = setTimeout(() => {
      watchdog = true;
      child.kill('SIGKILL');
    }, watchdogMs);
    child.on('close', (code, signal) => {
      clearTimeout(t);
      const r = { code, signal, watchdog, ms: Date.now() - started, failed: [], skipped: [], binary: [], errors: [], diagnostics: 0, files: 0, summary: '', stderrTail: stderr.slice(-2000) };
      for (const line of stderr.split('\n')) {
        const m = /^lsp-check: (.*?): failed: (.*)$/.exec(line);
        if (m) {
          r.failed.push({ file: m[1], reason: m[2] });
          continue;
        }
        const s = /^lsp-check: (.*?): dma-lint: file not analysed: (.*)$/.exec(line);
        if (s) {
          r.skipped.push({ file: s[1], reason: s[2] });
          continue;
        }
        const b = /^lsp-check: (.*?): skipped: binary file$/.exec(line);
        if (b) {
          r.binary.push(b[1]);
          continue;
        }
        const e = /^lsp-check: (error|warning): (.*)$/.exec(line);
        if (e) r.errors.push(`${e[1]}: ${e[2]}`);
        else if (/files? analysed/.test(line)) r.summary = line;
      }
      try {
        const j = JSON.parse(stdout);
        r.diagnostics = j.diagnostics.length;
        r.files = j.files;
      } catch {
        r.jsonError = true;
      }
      res(r);
    });
  });
}

function classify(f) {
  if (/timed out/.test(f.reason)) return 'timeout';
  return 'crash';
}

async function runSet(label, paths, cwd, totals) {
  for (let i = 0; i < paths.length; i += BATCH) {
    const chunk = paths.slice(i, i + BATCH);
    const r = await runLspCheck(chunk.map((p) => relative(cwd, p)), cwd);
    totals.files += chunk.length;
    totals.analysed += r.files;
    totals.diagnostics += r.diagnostics;
    totals.ms += r.ms;
    totals.exitCodes[String(r.code ?? r.signal)] = (totals.exitCodes[String(r.code ?? r.signal)] ?? 0) + 1;
    for (const f of r.failed) (classify(f) === 'timeout' ? totals.timeouts : totals.crashes).push({ ...f, set: label });
    for (const s of r.skipped) totals.skipped.push({ ...s, set: label });
    totals.binary += r.binary.length;
    for (const e of r.errors) totals.errors.push({ message: e, set: label, batch: i / BATCH });
    if (r.watchdog) totals.hangs.push({ set: label, batch: i / BATCH, files: chunk.length, note: `lsp-check itself killed after ${r.ms} ms` });
    if (r.jsonError && !r.watchdog) totals.crashes.push({ set: label, file: `(batch ${i / BATCH})`, reason: `lsp-check printed no JSON (exit ${r.code}): ${r.stderrTail}` });
    const accounted = r.files + r.failed.length + r.binary.length;
    if (!r.watchdog && accounted !== chunk.length) {
      totals.unaccounted.push({ set: label, batch: i / BATCH, expected: chunk.length, got: accounted });
    }
    process.stderr.write(
      `robustness: ${label}: ${Math.min(i + BATCH, paths.length)}/${paths.length} files, batch ${(r.ms / 1000).toFixed(1)}s, exit ${r.code ?? r.signal}` +
        `${r.failed.length ? `, ${r.failed.length} failed` : ''}${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}${r.errors.length ? `, ${r.errors.length} server errors` : ''}\n`,
    );
  }
}

function newTotals() {
  return { files: 0, analysed: 0, diagnostics: 0, ms: 0, exitCodes: {}, crashes: [], timeouts: [], hangs: [], skipped: [], binary: 0, errors: [], unaccounted: [] };
}

function printTotals(label, t) {
  const lines = [
    `== ${label} ==`,
    `files: ${t.files}  analysed (result received): ${t.analysed}  binary (skipped by lsp-check): ${t.binary}`,
    `crashes: ${t.crashes.length}  timeouts: ${t.timeouts.length}  lsp-check hangs: ${t.hangs.length}  server errors: ${t.errors.length}  unaccounted files: ${t.unaccounted.length}`,
    `skipped with an info diagnostic (code 'skipped'): ${t.skipped.length}`,
    `diagnostics: ${t.diagnostics}  lsp-check exit codes (per batch): ${JSON.stringify(t.exitCodes)}  wall: ${(t.ms / 1000).toFixed(1)}s`,
  ];
  for (const c of t.crashes) lines.push(`  CRASH   ${c.file}: ${c.reason.slice(0, 2000)}`);
  for (const c of t.timeouts) lines.push(`  TIMEOUT ${c.file}: ${c.reason}`);
  for (const h of t.hangs) lines.push(`  HANG    batch ${h.batch} (${h.files} files): ${h.note}`);
  for (const e of t.errors.slice(0, 50)) lines.push(`  ERROR   ${e.message.slice(0, 2000)}`);
  for (const s of t.skipped.slice(0, 50)) lines.push(`  skipped ${s.file}: ${s.reason}`);
  if (t.skipped.length > 50) lines.push(`  ... ${t.skipped.length - 50} more skipped`);
  for (const u of t.unaccounted) lines.push(`  UNACCOUNTED batch ${u.batch}: ${u.got} of ${u.expected} files have a result`);
  console.log(lines.join('\n'));
}

async function main() {
  const started = Date.now();
  const tree = kernelTree();
  const dirs = (process.env.ROBUST_DIRS ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
  let files = [];
  for (const d of dirs.length ? dirs : ['.']) walk(join(tree, d), files, (name) => /\.[ch]$/.test(name));
  files = [...new Set(files)].sort();
  if (files.length > LIMIT) files = files.slice(0, LIMIT);
  console.error(`robustness: ${files.length} kernel files under ${dirs.length ? dirs.join(', ') : 'the whole tree'} (${tree}); jobs ${JOBS}, timeout ${TIMEOUT_MS} ms`);

  const results = {};
  let tmp;
  if (MUTANTS) {
    tmp = mkdtempSync(join(tmpdir(), 'dmalint-robust-'));
    const mdir = join(tmp, 'mutants');
    mkdirSync(mdir);
    const dmaFiles = files.filter((p) => p.endsWith('.c') && /\bdma_map_single\s*\(/.test(readFileSync(p, 'latin1')));
    const seeds = [];
    for (let i = 0; i < Math.min(8, dmaFiles.length); i++) seeds.push(dmaFiles[Math.floor((i * dmaFiles.length) / Math.min(8, dmaFiles.length))]);
    // a selection without DMA drivers still gets mutated drivers
    for (const f of FALLBACK_SEEDS) if (seeds.length < 2) seeds.push(join(tree, f));
    const mutants = writeMutants(mdir, seeds);
    console.error(`robustness: ${mutants.length} mutated variants in ${mdir} (seeds: ${seeds.map((s) => relative(tree, s)).join(', ')})`);
    const mt = newTotals();
    await runSet('mutants', mutants, mdir, mt);
    results.mutants = mt;
  }
  const kt = newTotals();
  await runSet('kernel', files, tree, kt);
  results.kernel = kt;

  if (results.mutants) printTotals('mutated variants', results.mutants);
  printTotals('kernel files', results.kernel);
  const bad = Object.values(results).reduce((n, t) => n + t.crashes.length + t.timeouts.length + t.hangs.length + t.errors.filter((e) => e.message.startsWith('error')).length + t.unaccounted.length, 0);
  console.log(`total wall time: ${((Date.now() - started) / 1000).toFixed(1)}s; ${bad === 0 ? 'OK: no crash, no hang' : `FAIL: ${bad} crash/hang/engine-error/unaccounted entries`}`);
  if (process.env.ROBUST_JSON) writeFileSync(process.env.ROBUST_JSON, JSON.stringify(results, null, 2));
  if (tmp && process.env.ROBUST_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
  else if (tmp) console.error(`robustness: kept ${tmp}`);
  process.exitCode = bad === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
