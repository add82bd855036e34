// Child process of scripts/bench.mjs: the parse-only floor. Reads a JSON list of files from
// argv[2], parses each whole file with raw tree-sitter-c (single thread, same chunked input
// callback the engine uses), then again through the engine's CParser (kernel-dialect mask +
// parse), and prints one JSON line with the timings in milliseconds.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
// BENCH_BUILD: the frozen copy of the build scripts/bench.mjs runs (else this checkout).
const root = process.env.BENCH_BUILD ?? join(import.meta.dirname, '..', '..');
const Parser = require('tree-sitter');
const C = require('tree-sitter-c');
const { CParser } = require(join(root, 'out/server/src/c/parser.js'));

const files = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const CHUNK = 64 * 1024;
const now = () => Number(process.hrtime.bigint()) / 1e6;

const t0 = now();
const texts = files.map((f) => readFileSync(f, 'utf8'));
const readMs = now() - t0;

const parser = new Parser();
parser.setLanguage(C);
let nodes = 0;
let errors = 0;
const t1 = now();
for (const text of texts) {
  const tree = parser.parse((i) => (i < text.length ? text.slice(i, i + CHUNK) : null), null, { bufferSize: CHUNK });
  if (tree.rootNode.hasError) errors++;
  nodes += tree.rootNode.descendantCount;
}
const rawParseMs = now() - t1;

const cp = new CParser();
const t2 = now();
for (const text of texts) cp.parse(text);
const maskedParseMs = now() - t2;

process.stdout.write(`${JSON.stringify({ files: files.length, readMs, rawParseMs, maskedParseMs, nodes, filesWithErrors: errors })}\n`);
