// npm run corpus: lsp-check over every drivers/ file of the 6.1 tree that calls the DMA API.
// Prints findings per rule, files that failed or were skipped, and the wall time; writes
// the full JSON next to the tree (never into the repository).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { CACHE, dmaDriverFiles, kernelTree } from './kernel-tree.mjs';

const tree = kernelTree();
const files = dmaDriverFiles(tree);
const jobs = Number(process.env.JOBS ?? availableParallelism());
console.error(`corpus: ${files.length} driver files that call the DMA API, ${jobs} server processes`);
const started = Date.now();
const run = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'lsp-check.js'), '--format', 'json', '--jobs', String(jobs), '--quiet', ...files], {
  cwd: tree,
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
const seconds = (Date.now() - started) / 1000;
if (run.status !== 0 && run.status !== 1) {
  console.error(run.stderr);
  console.error(`corpus: lsp-check exited ${run.status}`);
}
const result = JSON.parse(run.stdout || '{"files":0,"diagnostics":[]}');
const out = join(CACHE, 'corpus-results.json');
writeFileSync(out, JSON.stringify(result, null, 1));
const perRule = new Map();
for (const d of result.diagnostics) perRule.set(d.rule, (perRule.get(d.rule) ?? 0) + 1);
console.log(`files: ${result.files}   findings: ${result.diagnostics.length}   wall: ${seconds.toFixed(1)} s`);
for (const [rule, n] of [...perRule].sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(34)} ${n}`);
const failed = (run.stderr.match(/^.*(failed|timed out|skipped).*$/gm) ?? []).slice(0, 20);
if (failed.length) console.log(`problems reported by lsp-check:\n  ${failed.join('\n  ')}`);
console.log(`full results: ${relative(process.cwd(), out) || out}`);
process.exit(run.status === 2 ? 2 : 0);
