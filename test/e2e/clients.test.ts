// Terminal tier of the real-editor end-to-end tests (design: REAL-CLIENTS.md).
// Three editors nobody on the team wrote drive the built stdio server: Neovim 0.7 (built-in
// vim.lsp), Emacs 28 + eglot 1.9, Vim 9 + ALE 3.3. Each one opens a copy of the fixture,
// receives its one dma/unchecked-map diagnostic, asks for code actions through the
// editor's own UI path, picks "Disable dma/unchecked-map for this line" by title, sees
// the re-published diagnostics drop to 0 and saves. A client whose editor is not
// installed is skipped (scripts/install-e2e-editors.sh installs them).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SERVER = join(ROOT, 'out/server/src/lsp/main.js');
const FIXTURE = join(ROOT, 'test/e2e/fixtures/unchecked.c');
const CLIENTS = join(ROOT, 'test/e2e/clients');
const RULE = 'dma/unchecked-map';
const TITLE = `Disable ${RULE} for this line`;
const FLAGGED = '\th = dma_map_single(priv->dev, buf, len, DMA_TO_DEVICE);\n';
const DIRECTIVE = `\t/* dma-lint-disable-next-line ${RULE} -- reason */\n`;

const onPath = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const someDir = (dir: string, prefix: string): boolean => existsSync(dir) && readdirSync(dir).some((n) => n.startsWith(prefix));

interface Client {
  name: string;
  cmd: string;
  args: string[];
  installed: boolean;
}

const clients: Client[] = [
  {
    name: 'neovim (built-in vim.lsp)',
    cmd: 'nvim',
    args: ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(CLIENTS, 'nvim-lsp.lua')}`],
    installed: onPath('nvim'),
  },
  {
    name: 'emacs + eglot',
    cmd: 'emacs',
    args: ['--batch', '-Q', '-l', join(CLIENTS, 'emacs-eglot.el')],
    installed: onPath('emacs') && someDir('/usr/share/emacs/site-lisp/elpa', 'eglot-'),
  },
  {
    name: 'vim + ALE',
    cmd: 'vim',
    args: ['-N', '-u', 'NONE', '-i', 'NONE', '-n', '-es', '-S', join(CLIENTS, 'vim-ale.vim')],
    installed: onPath('vim') && existsSync('/usr/share/vim/vimfiles/pack/dist-bundle/opt/ale'),
  },
];

describe('real terminal editors drive the language server', () => {
  it('has a fixture with exactly the one line the tests disable', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    expect(text.split(FLAGGED)).toHaveLength(2);
    expect(text).not.toContain('dma-lint-disable');
    expect(existsSync(SERVER), `${SERVER} missing: run tsc -p . first`).toBe(true);
  });

  for (const c of clients) {
    it.skipIf(!c.installed)(`${c.name}: diagnostic, code action by title, re-published 0, saved`, () => {
      const dir = mkdtempSync(join(tmpdir(), `dma-lint-e2e-${c.cmd}-`));
      const home = join(dir, 'home');
      mkdirSync(home);
      const file = join(dir, 'unchecked.c');
      copyFileSync(FIXTURE, file);
      // stdout/stderr go to a plain file: libuv's pipes are sockets, and Vim's
      // writefile('/dev/stdout') cannot open a socket through /proc
      const logFile = join(dir, 'client.log');
      const fd = openSync(logFile, 'w');
      const started = Date.now();
      const r = spawnSync(c.cmd, [...c.args, file], {
        cwd: dir,
        // HOME/XDG in the temp dir: the editors' state, caches and LSP logs stay out of the real home
        env: {
          ...process.env, NODE: process.execPath, SERVER, HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'),
          XDG_DATA_HOME: join(home, '.local/share'), XDG_STATE_HOME: join(home, '.local/state'),
        },
        stdio: ['ignore', fd, fd],
        timeout: 60000,
        killSignal: 'SIGKILL',
      });
      closeSync(fd);
      const ms = Date.now() - started;
      const log = readFileSync(logFile, 'utf8');
      const why = `${c.cmd} exited ${r.status}${r.signal ? ` (${r.signal})` : ''}${r.error ? ` ${r.error.message}` : ''} after ${ms} ms; log ${logFile}:\n${log}`;
      expect(r.status, why).toBe(0);

      // the published diagnostic: exactly one, with the rule as its code
      const published = /^DIAGNOSTICS (\[.*\])$/m.exec(log);
      expect(published, why).not.toBeNull();
      const diags = JSON.parse(published![1]) as Array<{ code?: string }>;
      expect(diags.map((d) => d.code), why).toEqual([RULE]);
      // the editor's own menu offered the disable action and the script picked it by title
      const offered = /^CODE_ACTIONS (\[.*\])$/m.exec(log);
      expect(offered, why).not.toBeNull();
      expect(JSON.parse(offered![1]), why).toContain(TITLE);
      expect(log, why).toMatch(new RegExp(`^CHOSEN ${TITLE}$`, 'm'));
      // the re-published diagnostics dropped to 0 before the save
      expect(log, why).toMatch(/^DIAGNOSTICS_AFTER_FIX 0$/m);
      expect(log, why).toMatch(/^PASS$/m);

      // on disk: the directive right above the flagged line, indented like it, and
      // nothing else changed (removing the directive gives back the fixture byte for byte)
      const saved = readFileSync(file, 'utf8');
      expect(saved).toContain(DIRECTIVE + FLAGGED);
      expect(saved.replace(DIRECTIVE, '')).toBe(readFileSync(FIXTURE, 'utf8'));
      expect(ms, `${c.name} took ${ms} ms`).toBeLessThan(15000);
      rmSync(dir, { recursive: true, force: true });
    }, 70000);
  }
});
