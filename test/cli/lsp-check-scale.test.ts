import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../client/src/lsp-check/args';
import { ResultCache, runKey } from '../../client/src/lsp-check/cache';
import { parseUnifiedZero } from '../../client/src/lsp-check/changed';
import { Progress, progressEnabled } from '../../client/src/lsp-check/progress';

const BIN = resolve(__dirname, '../../bin/lsp-check.js');
const FIXTURES = resolve(__dirname, '../fixtures');
const UNCHECKED = readFileSync(join(FIXTURES, 'unchecked.c'), 'utf8');
const CHECKED = readFileSync(join(FIXTURES, 'checked.c'), 'utf8');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60000, env: { ...process.env, DMA_LINT_PROGRESS: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dmalint-scale-'));
  copyFileSync(join(FIXTURES, 'unchecked.c'), join(d, 'unchecked.c'));
  copyFileSync(join(FIXTURES, 'checked.c'), join(d, 'checked.c'));
  return d;
}

/** A second unchecked function, appended after the first. */
const SECOND = UNCHECKED.replace('foo_xmit', 'bar_xmit');

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

describe('--cache', () => {
  it('a second run is served from the cache with byte-identical output; content and config changes miss', () => {
    const d = workdir();
    const first = run(d, ['--cache', '--format', 'json', '.']);
    expect(first.code).toBe(1);
    expect(first.stderr).not.toContain('from cache');
    expect(existsSync(join(d, '.dma-lint-cache'))).toBe(true);
    const second = run(d, ['--cache', '--format', 'json', '.']);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/2 files analysed \(2 from cache\): 1 error/);
    // gcc and sarif from the cache are what a fresh run prints
    expect(run(d, ['--cache', '.']).stdout).toBe(run(d, ['.']).stdout);
    expect(run(d, ['--cache', '--format', 'sarif', '.']).stdout).toBe(run(d, ['--format', 'sarif', '.']).stdout);

    // content: only the edited file is re-analysed
    writeFileSync(join(d, 'unchecked.c'), `/* moved */\n${UNCHECKED}`);
    const edited = run(d, ['--cache', '.']);
    expect(edited.stderr).toMatch(/\(1 from cache\)/);
    expect(edited.stdout).toMatch(/^unchecked\.c:6:/m);

    // the .dmalint.json that applies
    writeFileSync(join(d, '.dmalint.json'), '{ "rules": { "dma/unchecked-map": "warning" } }');
    const config = run(d, ['--cache', '.']);
    expect(config.stderr).not.toContain('from cache');
    expect(config.stdout).toMatch(/: warning: /);
    expect(run(d, ['--cache', '.']).stderr).toMatch(/\(2 from cache\)/);

    // run settings: --platform, --config, -D
    expect(run(d, ['--cache', '--platform', 'arm64', '.']).stderr).not.toContain('from cache');
    writeFileSync(join(d, 'off.json'), '{ "rules": { "dma/unchecked-map": "off" } }');
    expect(run(d, ['--cache', '--config', 'off.json', '.'])).toMatchObject({ code: 0, stdout: '' });
    expect(run(d, ['--cache', '-DCONFIG_X', 'unchecked.c']).stderr).not.toContain('from cache');
  });

  it('--cache=DIR; corrupt entries are misses and are rewritten', () => {
    const d = workdir();
    const fresh = run(d, ['--cache=c', '.']);
    const dir = join(d, 'c');
    const entries = readdirSync(dir);
    expect(entries).toHaveLength(2);
    writeFileSync(join(dir, entries[0]), '{ "v": 1, "key": ');
    writeFileSync(join(dir, entries[1]), JSON.stringify({ v: 1, key: 'x', diagnostics: 3 }));
    const again = run(d, ['--cache=c', '.']);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe(fresh.stdout);
    expect(again.stderr).not.toContain('from cache');
    expect(run(d, ['--cache=c', '.']).stderr).toMatch(/\(2 from cache\)/);
  });

  it('a broken .dmalint.json is never served from the cache (its error is reported every run)', () => {
    const d = workdir();
    writeFileSync(join(d, '.dmalint.json'), '{ "rulez": {} }');
    for (let i = 0; i < 2; i++) {
      const r = run(d, ['--cache', 'unchecked.c']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("unknown key 'rulez'");
    }
  });

  it('keys change with the engine version and run settings, and with the file', () => {
    const base = runKey('0.1.0', { platforms: ['arm64'] });
    expect(runKey('0.1.1', { platforms: ['arm64'] })).not.toBe(base);
    expect(runKey('0.1.0', { platforms: ['arm64', 'swiotlb'] })).not.toBe(base);
    expect(runKey('0.1.0', { platforms: ['arm64'] })).toBe(base);
    const d = workdir();
    const c = new ResultCache(join(d, 'cache'), base, undefined, () => undefined);
    const k = c.keyFor(join(d, 'unchecked.c'), UNCHECKED);
    expect(k).toBeDefined();
    expect(c.keyFor(join(d, 'unchecked.c'), `${UNCHECKED} `)).not.toBe(k);
    expect(new ResultCache(join(d, 'cache'), runKey('0.2.0', {}), undefined, () => undefined).keyFor(join(d, 'unchecked.c'), UNCHECKED)).not.toBe(k);
    c.set(join(d, 'unchecked.c'), k ?? '', []);
    expect(c.get(join(d, 'unchecked.c'), k ?? '')).toEqual([]);
    expect(c.get(join(d, 'unchecked.c'), 'other')).toBeUndefined();
  });
});

describe('baselines', () => {
  it('write, apply, over the count, stale entries', () => {
    const d = workdir();
    const w = run(d, ['--write-baseline', 'baseline.json', '.']);
    expect(w).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(join(d, 'baseline.json'), 'utf8'))).toEqual({ version: 1, files: { 'unchecked.c': { 'dma/unchecked-map': 1 } } });

    const applied = run(d, ['--baseline', 'baseline.json', '.']);
    expect(applied).toMatchObject({ code: 0, stdout: '' });
    expect(applied.stderr).toMatch(/not shown: 1 in the baseline/);

    writeFileSync(join(d, 'unchecked.c'), `${UNCHECKED}\n${SECOND}`);
    const over = run(d, ['--baseline', 'baseline.json', '.']);
    expect(over.code).toBe(1);
    expect(over.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(over.stderr).toContain('unchecked.c: 2 dma/unchecked-map findings where the baseline allows 1: all 2 reported');
    expect(over.stderr).toMatch(/2 findings reported because a file has more than the baseline allows/);

    writeFileSync(join(d, 'unchecked.c'), CHECKED);
    const stale = run(d, ['--baseline', 'baseline.json', '.']);
    expect(stale).toMatchObject({ code: 0, stdout: '' });
    expect(stale.stderr).toContain('hint: unchecked.c: dma/unchecked-map: the baseline allows 1, there are now 0');
    expect(stale.stderr).toContain('--write-baseline baseline.json');
    // a file not checked this run has no stale entries
    expect(run(d, ['--baseline', 'baseline.json', 'checked.c']).stderr).not.toContain('hint:');
  });

  it('a missing or malformed baseline is exit 2 with the reason', () => {
    const d = workdir();
    const missing = run(d, ['--baseline', 'nope.json', '.']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--baseline nope.json: no such file');
    expect(missing.stdout).toBe('');
    for (const [text, why] of [
      ['{ "version": 1, ', 'not valid JSON'],
      ['{ "version": 2, "files": {} }', 'unsupported version 2'],
      ['{ "version": 1, "files": { "a.c": { "dma/unchecked-map": -1 } } }', 'is not a count'],
      ['[]', 'not an object'],
    ]) {
      writeFileSync(join(d, 'b.json'), text);
      const r = run(d, ['--baseline', 'b.json', '.']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(why);
    }
    expect(run(d, ['--baseline']).code).toBe(2);
  });
});

describe('--changed-since', () => {
  it('reports only findings on changed lines; untracked files count as changed', () => {
    const d = workdir();
    git(d, 'init', '-q');
    git(d, 'add', 'unchecked.c', 'checked.c');
    git(d, 'commit', '-q', '-m', 'base');
    writeFileSync(join(d, 'unchecked.c'), `${UNCHECKED}\n${SECOND}`);
    writeFileSync(join(d, 'new.c'), UNCHECKED);
    const all = run(d, ['.']);
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(3);
    const r = run(d, ['--changed-since', 'HEAD', '.']);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/^new\.c:5:/), expect.stringMatching(/^unchecked\.c:14:/)]);
    expect(r.stderr).toMatch(/not shown: 1 on lines unchanged since HEAD/);
    git(d, 'commit', '-q', '-am', 'second');
    expect(run(d, ['--changed-since', 'HEAD', 'unchecked.c'])).toMatchObject({ code: 0, stdout: '' });
    expect(run(d, ['--changed-since', 'HEAD~1', 'unchecked.c']).stdout).toMatch(/^unchecked\.c:14:/);
  });

  it('outside a repository or with an unknown revision: exit 2', () => {
    const d = workdir();
    const none = run(d, ['--changed-since', 'HEAD', '.'], { GIT_CEILING_DIRECTORIES: tmpdir() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('not in a git repository');
    git(d, 'init', '-q');
    git(d, 'add', '.');
    git(d, 'commit', '-q', '-m', 'base');
    const bad = run(d, ['--changed-since', 'no-such-rev', '.']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown git revision 'no-such-rev'");
  });

  it('parses git diff --unified=0', () => {
    const diff = [
      'diff --git a/x.c b/x.c',
      '--- a/x.c',
      '+++ b/x.c',
      '@@ -3 +3 @@',
      '@@ -10,0 +11,3 @@ int f(void)',
      '@@ -20,2 +23,0 @@',
      'diff --git a/gone.c b/gone.c',
      '+++ /dev/null',
      '@@ -1,4 +0,0 @@',
      '+++ "b/sp ac\\303\\251.c"',
      '@@ -0,0 +1,2 @@',
    ].join('\n');
    const m = parseUnifiedZero(diff);
    expect([...(m.get('x.c') ?? [])]).toEqual([3, 11, 12, 13]);
    expect(m.has('gone.c')).toBe(false);
    expect([...(m.get('sp acé.c') ?? [])]).toEqual([1, 2]);
  });
});

describe('kernel-style invocation (make C=2 CHECK=lsp-check)', () => {
  const KBUILD = [
    '-D__linux__', '-Dlinux', '-D__STDC__', '-Wbitwise', '-Wno-return-void', '--arch=x86', '-mlittle-endian', '-m64',
    '-Wp,-MMD,drivers/net/.foo.o.d', '-nostdinc', '-I./arch/x86/include', '-I', './include', '-include', './include/linux/kconfig.h',
    '-isystem', '/usr/lib/gcc/include', '-D__KERNEL__', '-fmacro-prefix-map=./=', '-std=gnu11', '-O2', '--param=allow-store-data-races=0',
    '-DKBUILD_MODNAME="foo"', '-o', 'foo.o',
  ];

  it('compiler flags are ignored, -D reaches the preprocessor, the last argument is the file', () => {
    const d = workdir();
    writeFileSync(join(d, 'foo.c'), `#ifndef CONFIG_FOO_DMA\n${UNCHECKED}#endif\n`);
    const plain = run(d, [...KBUILD, 'foo.c']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/^foo\.c:6:\d+: error: .*\[dma\/unchecked-map\]$/m);
    expect(run(d, [...KBUILD, '-DCONFIG_FOO_DMA=1', 'foo.c'])).toMatchObject({ code: 0, stdout: '' });
    expect(run(d, [...KBUILD, '-D', 'CONFIG_FOO_DMA', 'foo.c'])).toMatchObject({ code: 0, stdout: '' });
    expect(run(d, [...KBUILD, '-DCONFIG_FOO_DMA', '-UCONFIG_FOO_DMA', 'foo.c']).code).toBe(1);
    expect(run(d, ['--exit-zero', ...KBUILD, 'foo.c'])).toMatchObject({ code: 0 });
    const bogus = run(d, ['--bogus', ...KBUILD, 'foo.c']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('unknown option --bogus');
  });

  it('parseArgs', () => {
    const o = parseArgs(['--format', 'json', ...KBUILD, '-DA=2', '-DB', '-D', 'C=x y', '-UB', '-DF(x)=x', 'drivers/net/foo.c']);
    expect(o.paths).toEqual(['drivers/net/foo.c']);
    expect(o.compilerStyle).toBe(true);
    expect(o.format).toBe('json');
    expect(o.defines).toMatchObject({ __KERNEL__: '1', KBUILD_MODNAME: '"foo"', A: '2', C: 'x y' });
    expect(o.defines?.B).toBeUndefined();
    expect(o.defines?.F).toBeUndefined();
    expect(parseArgs(['a.c', 'b.c']).paths).toEqual(['a.c', 'b.c']);
    expect(parseArgs(['a.c', 'b.c']).defines).toBeUndefined();
    expect(parseArgs(['--cache', 'a.c'])).toMatchObject({ cache: '.dma-lint-cache', paths: ['a.c'] });
    expect(parseArgs(['--cache=/tmp/x', 'a.c']).cache).toBe('/tmp/x');
    expect(() => parseArgs(['-include'])).toThrow(/expects a value/);
  });
});

describe('progress', () => {
  it('forced with DMA_LINT_PROGRESS=1: drawn on stderr and erased before the summary; off when not a TTY', () => {
    const d = workdir();
    const on = run(d, ['.'], { DMA_LINT_PROGRESS: '1' });
    expect(on.code).toBe(1);
    expect(on.stderr).toContain('\r\x1b[K[');
    expect(on.stderr).toMatch(/\d\/2 files {2}\d+\.\d files\/s/);
    // eslint-disable-next-line no-control-regex -- the progress line is an ANSI erase-line sequence
    expect(on.stderr).toMatch(/\r\x1b\[Klsp-check: 2 files analysed/);
    expect(on.stdout).toBe(run(d, ['.']).stdout);
    const off = run(d, ['.']);
    expect(off.stderr).not.toContain('\r');
    expect(run(d, ['--quiet', '.'], { DMA_LINT_PROGRESS: '1' }).stderr).toBe('');
  });

  it('redraws at most every 100 ms and estimates time left', () => {
    let now = 0;
    const out: string[] = [];
    const p = new Progress(10, { write: (s: string) => out.push(s) }, true, () => now);
    expect(out).toHaveLength(1);
    now = 50;
    p.tick();
    expect(out).toHaveLength(1);
    now = 1000;
    p.tick();
    expect(out).toHaveLength(2);
    expect(out[1]).toContain('2/10 files  2.0 files/s  ~4s left');
    p.tick(8);
    expect(out[2]).toContain('10/10 files');
    p.finish();
    expect(out[3]).toBe('\r\x1b[K');
    expect(progressEnabled(false, { isTTY: true, write: () => true }, {})).toBe(true);
    expect(progressEnabled(false, { isTTY: false, write: () => true }, {})).toBe(false);
    expect(progressEnabled(true, { isTTY: true, write: () => true }, { DMA_LINT_PROGRESS: '1' })).toBe(false);
    expect(progressEnabled(false, { isTTY: true, write: () => true }, { DMA_LINT_PROGRESS: '0' })).toBe(false);
  });
});
