import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../lsp/harness';
import { extensionPath, unzip } from './zip';

/**
 * The .vsix as users get it: built by `npm run package`'s script (or DMA_LINT_VSIX, to reuse
 * one), unpacked outside the repository, its bundled server started from there.
 */
const ROOT = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'dma-lint-vsix-test-'));
const unpacked = join(work, 'unpacked');
let names: string[] = [];
let vsix = '';

beforeAll(() => {
  vsix = process.env.DMA_LINT_VSIX ?? join(work, 'dma-lint.vsix');
  if (!process.env.DMA_LINT_VSIX) {
    // out/ is fresh: `npm test` compiles before running vitest
    execFileSync(process.execPath, [join(ROOT, 'scripts/package-vsix.mjs'), vsix], { cwd: ROOT, stdio: 'pipe' });
  }
  names = unzip(vsix, unpacked);
}, 120000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const has = (rel: string) => names.includes(`extension/${rel}`);

describe('the .vsix', () => {
  it('holds the client, the server, its data files and the runtime dependencies', () => {
    for (const f of [
      'package.json',
      'out/client/src/extension.js',
      'out/server/src/lsp/main.js',
      'out/shared/src/protocol.js',
      'bin/lsp-check.js',
      'server/src/c/dialect.json',
      'docs/rules/dma-unchecked-map.md',
      'docs/rules/README.md',
      'syntaxes/dma-lint.injection.tmLanguage.json',
      'node_modules/vscode-languageclient/lib/node/main.js',
      'node_modules/vscode-languageserver/lib/node/main.js',
      'node_modules/vscode-languageserver-textdocument/package.json',
      'node_modules/node-gyp-build/index.js',
    ]) {
      expect(has(f), f).toBe(true);
    }
    for (const platform of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64']) {
      expect(has(`node_modules/tree-sitter/prebuilds/${platform}/tree-sitter.node`), platform).toBe(true);
      expect(has(`node_modules/tree-sitter-c/prebuilds/${platform}/tree-sitter-c.node`), platform).toBe(true);
    }
  });

  it('leaves out tests, sources, maps and the locally compiled addon', () => {
    expect(names.filter((n) => /^extension\/(test|examples|scripts|client\/src|shared\/src)\//.test(n))).toEqual([]);
    expect(names.filter((n) => n.endsWith('.map') || (n.endsWith('.ts') && !n.endsWith('.d.ts')))).toEqual([]);
    // node-gyp-build loads build/Release before prebuilds/: a linux build would break macOS
    expect(names.filter((n) => /node_modules\/tree-sitter(-c)?\/build\//.test(n))).toEqual([]);
    const manifest = JSON.parse(readFileSync(extensionPath(unpacked, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.main).toBe('./out/client/src/extension.js');
    expect(manifest.capabilities).toMatchObject({ untrustedWorkspaces: { supported: true } });
    expect(statSync(vsix).size).toBeLessThan(8 * 1024 * 1024);
  });

  it('its bundled server, started from the unpacked folder, reports an unchecked map', async () => {
    const h = new Harness({ server: extensionPath(unpacked, 'out/server/src/lsp/main.js'), cwd: work });
    try {
      await h.initialize();
      const uri = pathToFileURL(join(work, 'foo.c')).href;
      await h.open(uri, readFileSync(join(ROOT, 'test/fixtures/unchecked.c'), 'utf8'));
      const published = await h.diagnosticsFor(uri, 1);
      expect(published.diagnostics.map((d) => d.code)).toEqual(['dma/unchecked-map']);
      // the rule link points at the page shipped inside the package
      const href = published.diagnostics[0].codeDescription?.href ?? '';
      expect(href).toBe(pathToFileURL(extensionPath(unpacked, 'docs/rules/dma-unchecked-map.md')).href);
      expect(existsSync(new URL(href))).toBe(true);
    } finally {
      await h.dispose();
    }
  });
});
