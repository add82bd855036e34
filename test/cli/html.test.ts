import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../shared/src/findings';

const BIN = resolve(__dirname, '../../bin/lsp-check.js');
const FIXTURE = resolve(__dirname, '../fixtures/rx-read-before-sync.c');

function run(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Tags that are opened must be closed, in order (void elements aside): a cheap well-formedness check. */
function unbalanced(html: string): string[] {
  const VOID = new Set(['meta', 'br', 'hr', 'img', 'link', 'input', 'col', 'wbr']);
  const stack: string[] = [];
  const bad: string[] = [];
  const body = html.replace(/<style[^>]*>[\s\S]*?<\/style>/, '<style></style>');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const name = m[2].toLowerCase();
    if (VOID.has(name)) continue;
    if (m[1] === '') stack.push(name);
    else if (stack.pop() !== name) bad.push(name);
  }
  return [...bad, ...stack];
}

describe('lsp-check --format html', () => {
  it('a self-contained page: the finding, its rule link, a timeline per platform with the stale read highlighted', () => {
    const r = run(resolve(__dirname, '../..'), '--format', 'html', '--explain', FIXTURE);
    expect(r.code).toBe(1);
    const html = r.stdout;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(unbalanced(html)).toEqual([]);
    // nothing to fetch: no script, no external stylesheet or image, a CSP that forbids them
    expect(html).not.toMatch(/<script|<link|<img|src=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('dma/cpu-access-while-device-owned');
    expect(html).toMatch(/<a class="rule" href="file:\/\/[^"]+\/docs\/rules\/dma-cpu-access-while-device-owned\.md">/);
    expect(html).toContain('rx-read-before-sync.c:11:');
    for (const p of PLATFORMS) expect(html).toContain(`<span class="pname">${p}</span>`);
    // corrupts on every platform but the coherent one
    expect(html).toMatch(/<div class="platform correct">\s*<table class="timeline">\s*<caption><span class="pname">coherent</);
    expect(html.match(/<div class="platform corrupts">/g)).toHaveLength(4);
    // lanes, versions, and the CPU read of old data highlighted (armv7: the cached line)
    for (const lane of ['CPU', 'CPU cache', 'RAM', 'bounce slot', 'device']) expect(html).toContain(`<th scope="row">${lane}</th>`);
    expect(html).toContain('device write #1');
    expect(html).toMatch(/<td class="v-old bad at" title="the CPU reads an older version than the newest write"><span class="act">reads<\/span> <span class="v">old data<\/span>/);
    // source lines of the steps
    expect(html).toContain('<code class="code">status = buf[0];</code>');
  });

  it('--format html without --explain draws the traces too; findings without a trace have none', () => {
    const d = mkdtempSync(join(tmpdir(), 'dmalint-html-'));
    writeFileSync(join(d, 'unchecked.c'), readFileSync(resolve(__dirname, '../fixtures/unchecked.c')));
    const r = run(d, '--format', 'html', '--quiet', 'unchecked.c');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dma/unchecked-map');
    expect(r.stdout).not.toContain('class="timeline"');
    expect(r.stderr).toBe('');
    const none = run(d, '--format', 'html', '--quiet', resolve(__dirname, '../fixtures/checked.c'));
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No findings.');
  });

  it('escapes file names, event texts and source lines', () => {
    const d = mkdtempSync(join(tmpdir(), 'dmalint-html-'));
    const name = 'rx<b>&"x".c';
    writeFileSync(join(d, name), readFileSync(FIXTURE, 'utf8').replace('status = buf[0];', 'status = buf[len < 8];'));
    const r = run(d, '--format', 'html', '--quiet', name);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rx&lt;b&gt;&amp;&quot;x&quot;.c:11:');
    expect(r.stdout).not.toContain('<b>');
    expect(r.stdout).toContain('CPU reads buf[len &lt; 8]');
    expect(r.stdout).not.toContain('len < 8');
    expect(unbalanced(r.stdout)).toEqual([]);
  });

  it('is in the usage text and checked as a value', () => {
    const d = mkdtempSync(join(tmpdir(), 'dmalint-html-'));
    expect(run(d, '--help').stdout).toContain('--format gcc|json|sarif|html');
    const bad = run(d, '--format', 'htm', 'x.c');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('gcc, json, sarif or html');
  });
});
