import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/lsp-check.js');
const FIXTURES = resolve(__dirname, '../fixtures');
const UNCHECKED = readFileSync(join(FIXTURES, 'unchecked.c'), 'utf8');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp dir with unchecked.c and checked.c. */
function workdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dmalint-cli-'));
  copyFileSync(join(FIXTURES, 'unchecked.c'), join(d, 'unchecked.c'));
  copyFileSync(join(FIXTURES, 'checked.c'), join(d, 'checked.c'));
  return d;
}

const GCC_LINE = /^unchecked\.c:5:\d+: error: .+ \[dma\/unchecked-map\]$/;

describe('formats', () => {
  it('gcc: one line per finding on stdout, summary on stderr, exit 1', () => {
    const d = workdir();
    const r = run(d, 'unchecked.c', 'checked.c');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout.trimEnd()).toMatch(GCC_LINE);
    expect(r.stderr).toMatch(/2 files analysed: 1 error, 0 warnings, 0 info/);
    expect(r.code).toBe(1);
  });

  it('gcc: nothing found gives exit 0 and empty stdout', () => {
    const r = run(workdir(), 'checked.c');
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });

  it('json: exactly the documented shape', () => {
    const r = run(workdir(), '--format', 'json', 'unchecked.c', 'checked.c');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { version: number; files: number; diagnostics: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['version', 'files', 'diagnostics', 'notAnalysed']);
    expect(out.version).toBe(1);
    expect(out.files).toBe(2);
    expect(out.diagnostics).toHaveLength(1);
    const d = out.diagnostics[0];
    expect(Object.keys(d)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'function', 'platforms', 'related']);
    expect(d).toMatchObject({ file: 'unchecked.c', line: 5, rule: 'dma/unchecked-map', severity: 'error', function: 'foo_xmit' });
    for (const rel of d.related as Record<string, unknown>[]) expect(Object.keys(rel)).toEqual(['file', 'line', 'column', 'message']);
  });

  it('sarif: 2.1.0 with rules, relative locations and line-shift-stable fingerprints', () => {
    const d = workdir();
    const r = run(d, '--format', 'sarif', 'unchecked.c');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string; help?: { markdown: string }; defaultConfiguration: { level: string } }[] } };
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('dma-lint');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    const rule = driver.rules.find((x) => x.id === 'dma/unchecked-map');
    expect(rule?.defaultConfiguration.level).toBe('error');
    expect(rule?.helpUri).toMatch(/^file:\/\/.*docs\/rules\/dma-unchecked-map\.md$/);
    expect(rule?.help?.markdown).toContain('dma/unchecked-map');
    expect(driver.rules.every((x) => x.id !== 'dma/sg-iterate-wrong-count')).toBe(true); // not implemented: did not run
    const res = log.runs[0].results[0];
    expect(res).toMatchObject({ ruleId: 'dma/unchecked-map', level: 'error' });
    expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'unchecked.c', uriBaseId: 'SRCROOT' });
    expect(res.locations[0].physicalLocation.region.startLine).toBe(5);
    // shift the code down: same fingerprint, new line
    writeFileSync(join(d, 'unchecked.c'), `/* header */\n\n#include <linux/dma-mapping.h>\n\n${UNCHECKED}`);
    const again = JSON.parse(run(d, '--format', 'sarif', 'unchecked.c').stdout) as typeof log;
    expect(again.runs[0].results[0].locations[0].physicalLocation.region.startLine).toBe(9);
    expect(again.runs[0].results[0].partialFingerprints).toEqual(res.partialFingerprints);
  });
});

describe('exit codes and options', () => {
  function warningConfig(d: string): void {
    writeFileSync(join(d, '.dmalint.json'), '{ "rules": { "dma/unchecked-map": "warning" } }');
  }

  it('--fail-on and --max-warnings', () => {
    const d = workdir();
    warningConfig(d);
    expect(run(d, 'unchecked.c').code).toBe(1);
    expect(run(d, '--fail-on', 'error', 'unchecked.c').code).toBe(0);
    expect(run(d, '--fail-on', 'warning', 'unchecked.c').code).toBe(1);
    expect(run(d, '--fail-on', 'error', '--max-warnings', '0', 'unchecked.c').code).toBe(1);
    expect(run(d, '--fail-on', 'error', '--max-warnings', '1', 'unchecked.c').code).toBe(0);
    expect(run(d, 'unchecked.c').stdout).toMatch(/: warning: /);
  });

  it('--config overrides discovery; a missing one is a usage error', () => {
    const d = workdir();
    warningConfig(d);
    writeFileSync(join(d, 'off.json'), '{ "rules": { "dma/unchecked-map": "off" } }');
    expect(run(d, '--config', 'off.json', 'unchecked.c')).toMatchObject({ code: 0, stdout: '' });
    const r = run(d, '--config', 'nope.json', 'unchecked.c');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.json');
  });

  it('a broken .dmalint.json: message with the path, results still printed, exit 2', () => {
    const d = workdir();
    writeFileSync(join(d, '.dmalint.json'), '{ "rulez": {} }');
    const r = run(d, 'unchecked.c');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(d, '.dmalint.json'));
    expect(r.stderr).toContain("unknown key 'rulez'");
    expect(r.stdout.trimEnd()).toMatch(GCC_LINE);
  });

  it('--platform is validated', () => {
    const d = workdir();
    const bad = run(d, '--platform', 'arm64,x86', 'unchecked.c');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown platform 'x86'");
    expect(bad.stdout).toBe('');
    expect(run(d, '--platform', 'arm64,swiotlb', 'checked.c').code).toBe(0);
  });

  it('usage errors exit 2', () => {
    const d = workdir();
    expect(run(d, 'missing.c').code).toBe(2);
    expect(run(d, 'missing.c').stderr).toContain('missing.c');
    expect(run(d).code).toBe(2);
    expect(run(d, '--format', 'xml', 'checked.c').code).toBe(2);
    expect(run(d, '--jobs', '0', 'checked.c').code).toBe(2);
    expect(run(d, '--bogus', 'checked.c').code).toBe(2);
  });

  it('--quiet, --version, --help, --list-rules', () => {
    const d = workdir();
    expect(run(d, '--quiet', 'checked.c')).toMatchObject({ code: 0, stderr: '' });
    expect(run(d, '--version').stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(run(d, '--help').stdout).toContain('usage: lsp-check');
    const rules = run(d, '--list-rules');
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^dma\/unchecked-map\s+error\s+implemented\s/m);
    expect(rules.stdout).toMatch(/^dma\/sg-iterate-wrong-count\s+error\s+not implemented yet\s/m);
  });
});

describe('inputs', () => {
  it('skips binary files with a note, analyses invalid UTF-8', () => {
    const d = workdir();
    writeFileSync(join(d, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
    writeFileSync(join(d, 'latin1.c'), Buffer.concat([Buffer.from('/* caf\xe9 \xff */\n', 'latin1'), Buffer.from(UNCHECKED)]));
    const bin = run(d, 'blob.c', 'checked.c');
    expect(bin.code).toBe(0);
    expect(bin.stderr).toContain('blob.c: skipped: binary file');
    const latin = run(d, 'latin1.c');
    expect(latin.code).toBe(1);
    expect(latin.stdout).toMatch(/^latin1\.c:6:\d+: error: .*\[dma\/unchecked-map\]$/m);
  });

  it('JSON and SARIF say which files were not analysed, and why', () => {
    const d = workdir();
    writeFileSync(join(d, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
    writeFileSync(join(d, 'small.json'), '{ "maxFileBytes": 100 }');
    const json = run(d, '--config', 'small.json', '--format', 'json', 'blob.c', 'unchecked.c', 'checked.c');
    const out = JSON.parse(json.stdout) as { notAnalysed: { file: string; kind: string; message: string }[] };
    expect(out.notAnalysed.map((n) => [n.file, n.kind])).toEqual([
      ['blob.c', 'skipped'],
      ['checked.c', 'skipped'],
      ['unchecked.c', 'skipped'],
    ]);
    expect(out.notAnalysed[2].message).toMatch(/^file not analysed: \d+ characters is over the 100 limit/);
    const sarif = JSON.parse(run(d, '--config', 'small.json', '--format', 'sarif', 'blob.c', 'checked.c').stdout) as {
      runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }[];
    };
    const inv = sarif.runs[0].invocations[0];
    expect(inv.executionSuccessful).toBe(true);
    expect(inv.toolExecutionNotifications.map((n) => [n.locations[0].physicalLocation.artifactLocation.uri, n.level, n.message.text.split(':')[0]])).toEqual([
      ['blob.c', 'warning', 'not analysed'],
      ['checked.c', 'warning', 'not analysed'],
    ]);
    const clean = JSON.parse(run(d, '--format', 'json', 'checked.c').stdout) as { notAnalysed: unknown[] };
    expect(clean.notAnalysed).toEqual([]);
  });

  it('a file the engine skips is a note on stderr, not a finding', () => {
    const d = workdir();
    writeFileSync(join(d, 'small.json'), '{ "maxFileBytes": 10 }');
    const r = run(d, '--config', 'small.json', 'unchecked.c');
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/unchecked\.c: dma-lint: file not analysed: /);
  });

  it('walks directories (skipping .git and node_modules); --jobs 2 matches --jobs 1', () => {
    const d = workdir();
    for (const sub of ['drivers/net', 'drivers/dma', '.git', 'node_modules/x']) mkdirSync(join(d, sub), { recursive: true });
    for (const [i, sub] of ['drivers/net', 'drivers/dma', '.git', 'node_modules/x'].entries()) {
      copyFileSync(join(FIXTURES, 'unchecked.c'), join(d, sub, `u${i}.c`));
      copyFileSync(join(FIXTURES, 'checked.c'), join(d, sub, `c${i}.h`));
    }
    writeFileSync(join(d, 'drivers/net/readme.txt'), 'dma_map_single');
    const one = run(d, '--jobs', '1', '--format', 'json', 'drivers', 'unchecked.c');
    const two = run(d, '--jobs', '2', '--format', 'json', 'drivers', 'unchecked.c');
    expect(one.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    const files = (JSON.parse(one.stdout) as { files: number; diagnostics: { file: string }[] });
    expect(files.files).toBe(5);
    expect(files.diagnostics.map((x) => x.file)).toEqual(['drivers/dma/u1.c', 'drivers/net/u0.c', 'unchecked.c']);
    expect(run(d, '--jobs', '2', 'drivers').stdout).toBe(run(d, '--jobs', '1', 'drivers').stdout);
  });

  it('a file that times out is reported as failed; the rest are printed; exit 2', () => {
    const d = workdir();
    const big = Array.from({ length: 3000 }, (_, i) => UNCHECKED.replace('foo_xmit', `foo_xmit${i}`)).join('\n');
    writeFileSync(join(d, 'big.c'), big);
    const r = run(d, '--timeout-ms', '1', '--jobs', '1', 'big.c');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/big\.c: failed: timed out after 1 ms/);
    const mixed = run(d, '--timeout-ms', '20000', '--jobs', '1', 'big.c', 'unchecked.c');
    expect(mixed.stdout).toMatch(/^unchecked\.c:5:/m);
  });
});

describe('memory-model traces', () => {
  const fixture = join(__dirname, '..', 'fixtures', 'rx-read-before-sync.c');

  it('--explain prints the steps that prove the finding, per platform, under it', () => {
    const r = spawnSync(process.execPath, [BIN, '--explain', '--quiet', fixture], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/rx-read-before-sync\.c:\d+:\d+: error: the CPU reads 'buf' while the device owns it.*\[dma\/cpu-access-while-device-owned\]$/);
    expect(r.stdout).toMatch(/line \d+: dma_map_single\(DMA_FROM_DEVICE\)\s+coherent/);
    expect(r.stdout).toMatch(/swiotlb\s+-\s+old data\s+device write #\d/);
    expect(r.stdout).toMatch(/armv7\s+old data\s+device write #\d/);
  });

  it('SARIF carries the trace as code flows, one thread per platform', () => {
    const r = spawnSync(process.execPath, [BIN, '--format', 'sarif', '--quiet', fixture], { encoding: 'utf8' });
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; codeFlows?: { threadFlows: { message: { text: string }; locations: unknown[] }[] }[] }[] }[] };
    const res = log.runs[0].results.find((x) => x.ruleId === 'dma/cpu-access-while-device-owned');
    const flows = res?.codeFlows?.[0].threadFlows ?? [];
    expect(flows.map((f) => f.message.text)).toEqual(['coherent', 'armv7', 'arm64', 'arm64-pre-5.19', 'swiotlb']);
    expect(flows[0].locations.length).toBeGreaterThanOrEqual(2);
  });

  it('--platform coherent: the hazard corrupts on none of the chosen platforms and is not reported', () => {
    const r = spawnSync(process.execPath, [BIN, '--platform', 'coherent', '--format', 'json', '--quiet', fixture], { encoding: 'utf8' });
    const j = JSON.parse(r.stdout) as { diagnostics: { rule: string }[] };
    expect(j.diagnostics.filter((d) => d.rule === 'dma/cpu-access-while-device-owned')).toEqual([]);
  });
});

describe('memory-model traces in related sites', () => {
  it('each step of the proof is a related site, for clients that show nothing else', () => {
    const fixture = join(__dirname, '..', 'fixtures', 'rx-read-before-sync.c');
    const r = spawnSync(process.execPath, [BIN, '--format', 'json', '--quiet', fixture], { encoding: 'utf8' });
    const j = JSON.parse(r.stdout) as { diagnostics: { rule: string; related: { line: number; message: string }[] }[] };
    const d = j.diagnostics.find((x) => x.rule === 'dma/cpu-access-while-device-owned');
    const steps = (d?.related ?? []).filter((x) => / — armv7: cache /.test(x.message));
    expect(steps.map((x) => x.line)).toEqual([6, 11, 11]);
    expect(steps[2].message).toMatch(/^CPU reads buf\[0\] — armv7: cache old data, RAM device write #\d+$/);
  });
});
