#!/usr/bin/env node
// npm run package: builds dma-lint.vsix offline with @vscode/vsce.
//
// vsce refuses a .vscodeignore next to package.json's "files" (which the npm package needs),
// and with "files" alone it drops node_modules, where the server's runtime dependencies are
// (tree-sitter with its prebuilds, vscode-languageserver, ...). So the extension is packaged
// from a staging folder: the "files" list, package.json without "files", .vscodeignore, and
// the production dependency tree as `npm ls --omit=dev` lists it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'dma-lint.vsix'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stage = mkdtempSync(join(tmpdir(), 'dma-lint-vsix-'));
try {
  for (const entry of [...manifest.files, '.vscodeignore']) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  const { files: _files, scripts: _scripts, devDependencies: _dev, ...rest } = manifest;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(rest, null, 2)}\n`);
  const deps = execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((p) => p && resolve(p) !== root);
  for (const dir of deps) {
    const rel = relative(root, dir);
    // nested node_modules come as entries of their own
    cpSync(dir, join(stage, rel), { recursive: true, filter: (src) => !relative(dir, src).split(/[\\/]/).includes('node_modules') });
  }
  replaceLinuxPrebuild(stage);
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // README links to docs/rules/*.md, which ship in the package: keep them relative (the
  // repository is not on a forge vsce knows how to rewrite them for)
  execFileSync(process.execPath, [vsce, 'package', '--no-rewrite-relative-links', '--out', out], { cwd: stage, stdio: 'inherit' });
} catch (e) {
  process.stderr.write(`package-vsix: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  process.exitCode = 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/**
 * tree-sitter 0.25.1's linux-x64 prebuild needs GLIBCXX_3.4.31 (GCC 13's libstdc++), which
 * Debian 12 and Ubuntu 22.04 lack ("version `GLIBCXX_3.4.31' not found"); that is why its
 * install step compiles the addon. build/ itself cannot ship (node-gyp-build prefers it on
 * every platform), so on linux-x64 the addon compiled here replaces that one prebuild.
 */
function replaceLinuxPrebuild(dir) {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const built = join(root, 'node_modules/tree-sitter/build/Release/tree_sitter_runtime_binding.node');
  if (!existsSync(built)) return;
  copyFileSync(built, join(dir, 'node_modules/tree-sitter/prebuilds/linux-x64/tree-sitter.node'));
}
