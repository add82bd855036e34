import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The bundled examples are what a new user runs first (`npx lsp-check examples/`): they
 * must produce exactly the findings examples/expected.json lists, and the clean driver none.
 */
const root = join(__dirname, '..');

interface Expected {
  file: string;
  line: number;
  rule: string;
}

interface JsonReport {
  files: number;
  diagnostics: { file: string; line: number; rule: string }[];
}

describe('bundled examples', () => {
  it('report exactly the expected findings through lsp-check', () => {
    const run = spawnSync(process.execPath, [join(root, 'bin', 'lsp-check.js'), '--format', 'json', '--quiet', 'examples/'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const expected = JSON.parse(readFileSync(join(root, 'examples', 'expected.json'), 'utf8')) as Expected[];
    const key = (d: Expected) => `${d.file}:${d.line} ${d.rule}`;
    expect(report.diagnostics.map((d) => key({ file: d.file.replace(/\\/g, '/'), line: d.line, rule: d.rule })).sort()).toEqual(expected.map(key).sort());
    expect(report.diagnostics.some((d) => d.file.includes('clean'))).toBe(false);
  });
});
