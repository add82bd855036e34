// Locates (installing and extracting if needed) Debian's linux-source-6.1 tree in a cache
// folder outside the repository, and lists the driver files that call the DMA API.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CACHE = process.env.DMA_LINT_CACHE ?? join(homedir(), '.cache', 'dma-lint');
const TARBALL = '/usr/src/linux-source-6.1.tar.xz';

export function kernelTree() {
  const tree = process.env.DMA_LINT_KERNEL ?? join(CACHE, 'linux-source-6.1');
  if (existsSync(join(tree, 'Makefile'))) return tree;
  if (!existsSync(TARBALL)) {
    console.error('corpus: installing Debian package linux-source-6.1 (needs root and apt)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'linux-source-6.1'], { stdio: 'inherit', env });
    if (update.status !== 0 || install.status !== 0 || !existsSync(TARBALL)) {
      throw new Error(`could not install linux-source-6.1; install it (apt-get install linux-source-6.1) or set DMA_LINT_KERNEL to a 6.1 tree`);
    }
  }
  mkdirSync(CACHE, { recursive: true });
  console.error(`corpus: extracting ${TARBALL} into ${CACHE}`);
  execFileSync('tar', ['-C', CACHE, '-xJf', TARBALL], { stdio: 'inherit' });
  return tree;
}

/** The DMA API as a driver calls it: the selection the issue and the benchmark use. */
export const DMA_API_CALL = /\b(dma_map_|dma_unmap_|dma_sync_|dma_alloc_coherent|dma_pool_alloc|dma_mapping_error|pci_map_|ib_dma_map_)\w*\s*\(/;

export function walk(dir, out = [], filter = (name) => name.endsWith('.c')) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p, out, filter);
    else if (st.isFile() && filter(name)) out.push(p);
  }
  return out;
}

export function dmaDriverFiles(tree) {
  return walk(join(tree, 'drivers'))
    .filter((p) => DMA_API_CALL.test(readFileSync(p, 'latin1')))
    .sort();
}
