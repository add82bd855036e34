#!/usr/bin/env node
// Measures how often tree-sitter-c produces ERROR/MISSING nodes on real kernel driver
// files that call the DMA API, before and after the kernel-dialect mask.
//
// Usage: npx tsc -p . && node scripts/parse-errors.mjs [kernelRoot] [--top N] [--show BUCKET]
// The kernel tree is read only; nothing from it is written anywhere.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const Parser = require('tree-sitter');
const C = require('tree-sitter-c');
const maskPath = join(here, '..', 'out', 'server', 'src', 'c', 'mask.js');
if (!existsSync(maskPath)) {
  console.error(`missing ${maskPath}: run "npx tsc -p ." first`);
  process.exit(2);
}
const { maskKernelDialect } = require(maskPath);

const args = process.argv.slice(2);
let root = '/root/.cache/dma-lint/linux-source-6.1';
let top = 25;
let show = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--show') show = args[++i];
  else root = args[i];
}

const DMA_RE = /\b(dma_map_|dma_unmap_|dma_sync_|dma_alloc_coherent|dma_pool_alloc|dma_mapping_error|pci_map_|ib_dma_map_)/;

function* walk(dir) {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) yield* walk(p);
    else if (ent.isFile() && ent.name.endsWith('.c')) yield p;
  }
}

const files = [];
for (const p of walk(join(root, 'drivers'))) {
  const text = readFileSync(p, 'latin1');
  if (DMA_RE.test(text)) files.push(p);
}
files.sort();

const parser = new Parser();
parser.setLanguage(C);

function parseText(text) {
  return parser.parse((index) => (index < text.length ? text.slice(index, index + 65536) : null));
}

/** First ERROR or MISSING node in document order, or null. */
function firstError(node) {
  if (!node.hasError) return null;
  const cursor = node.walk();
  for (;;) {
    const n = cursor.currentNode;
    if (n.type === 'ERROR' || n.isMissing) return n;
    if (n.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return null;
    }
  }
}

function bucket(text, node) {
  // The first line of the ERROR node (or the line of the MISSING node), identifiers kept,
  // numbers and strings normalised, so similar causes group together.
  const start = node.startIndex;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', start);
  if (lineEnd < 0) lineEnd = text.length;
  let line = text.slice(lineStart, lineEnd).trim();
  line = line.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/\b\d+\b/g, 'N');
  const firstWord = (line.match(/[A-Za-z_]\w*/) ?? ['?'])[0];
  const kind = node.isMissing ? `MISSING ${node.type}` : 'ERROR';
  return { key: `${kind} @ ${firstWord}`, line };
}

const DMA_CALL_RE = /\b(dma_map_|dma_unmap_|dma_sync_|dma_alloc_coherent|dma_pool_alloc|dma_mapping_error|pci_map_|ib_dma_map_)\w*\s*\(/;

let rawBad = 0;
let maskedBad = 0;
let dmaFuncs = 0;
let dmaFuncsBad = 0;
let maskMs = 0;
let parseMs = 0;
let bytes = 0;
const buckets = new Map();

for (const p of files) {
  const text = readFileSync(p, 'latin1');
  bytes += text.length;
  const rawTree = parseText(text);
  if (rawTree.rootNode.hasError) rawBad++;

  const t0 = performance.now();
  const masked = maskKernelDialect(text);
  const t1 = performance.now();
  if (masked.length !== text.length) throw new Error(`length changed: ${p}`);
  const tree = parseText(masked);
  const t2 = performance.now();
  maskMs += t1 - t0;
  parseMs += t2 - t1;

  for (const fn of tree.rootNode.descendantsOfType('function_definition')) {
    if (!DMA_CALL_RE.test(masked.slice(fn.startIndex, fn.endIndex))) continue;
    dmaFuncs++;
    if (fn.hasError) dmaFuncsBad++;
  }

  if (tree.rootNode.hasError) {
    maskedBad++;
    const err = firstError(tree.rootNode);
    if (err) {
      const { key, line } = bucket(masked, err);
      const row = err.startPosition.row + 1;
      const b = buckets.get(key) ?? { count: 0, examples: [] };
      b.count++;
      if (b.examples.length < 4) b.examples.push(`${relative(root, p)}:${row}: ${line.slice(0, 120)}`);
      buckets.set(key, b);
    }
  }
}

const pct = (a, b) => (b === 0 ? '0.0' : ((100 * a) / b).toFixed(1));
console.log(`files calling the DMA API: ${files.length} (${(bytes / 1e6).toFixed(1)} MB)`);
console.log(`files with ERROR/MISSING, raw:    ${rawBad} (${pct(rawBad, files.length)}%)`);
console.log(`files with ERROR/MISSING, masked: ${maskedBad} (${pct(maskedBad, files.length)}%)`);
console.log(`functions calling the DMA API: ${dmaFuncs}, with ERROR after masking: ${dmaFuncsBad} (${pct(dmaFuncsBad, dmaFuncs)}%)`);
console.log(`time: mask ${maskMs.toFixed(0)} ms, parse (masked) ${parseMs.toFixed(0)} ms`);
console.log(`\ntop remaining causes (first ERROR per file):`);
const sorted = [...buckets.entries()].sort((a, b) => b[1].count - a[1].count);
for (const [key, b] of sorted.slice(0, top)) {
  console.log(`${String(b.count).padStart(4)}  ${key}`);
  if (show === null || key.includes(show)) for (const e of b.examples) console.log(`        ${e}`);
}
