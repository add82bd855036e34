import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleTable, readRuleTable, rulePagePath } from '../../client/src/vscode/ruleTable';
import { lspCheckArgs } from '../../client/src/vscode/taskArgs';

const ROOT = resolve(__dirname, '../..');
interface Pattern {
  regexp: string;
  file: number;
  line: number;
  column: number;
  severity: number;
  message: number;
  code: number;
}
interface Manifest {
  contributes: {
    problemMatchers: { name: string; owner: string; fileLocation: string[]; pattern: Pattern }[];
    taskDefinitions: { type: string; properties: Record<string, unknown> }[];
    commands: { command: string }[];
  };
}
const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as Manifest;
const matcher = manifest.contributes.problemMatchers.find((m) => m.name === 'dma-lint')!;
const re = new RegExp(matcher.pattern.regexp);

function match(line: string) {
  const m = re.exec(line);
  if (!m) return undefined;
  const p = matcher.pattern;
  return { file: m[p.file], line: Number(m[p.line]), column: Number(m[p.column]), severity: m[p.severity], message: m[p.message], rule: m[p.code] };
}

interface JsonDiag {
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  rule: string;
}

describe('the $dma-lint problem matcher', () => {
  it('reads every line lsp-check prints on the example drivers, exactly as its JSON says', () => {
    const cli = resolve(ROOT, 'bin/lsp-check.js');
    const gcc = spawnSync(process.execPath, [cli, '--jobs', '1', '--quiet', 'examples/'], { cwd: ROOT, encoding: 'utf8' });
    expect(gcc.status).toBe(1);
    const json = spawnSync(process.execPath, [cli, '--jobs', '1', '--quiet', '--format', 'json', 'examples/'], { cwd: ROOT, encoding: 'utf8' });
    const expected = (JSON.parse(json.stdout) as { diagnostics: JsonDiag[] }).diagnostics.map((d) => ({
      file: d.file, line: d.line, column: d.column, severity: d.severity, message: d.message, rule: d.rule,
    }));
    const lines = gcc.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const parsed = lines.map(match);
    expect(parsed.every((p) => p !== undefined)).toBe(true);
    expect(parsed).toEqual(expected);
    expect(parsed.map((p) => p!.rule)).toContain('dma/unchecked-map');
  });

  it('handles drive letters, brackets in messages, info and the skipped notice; rejects other lines', () => {
    expect(match('C:\\src\\drv.c:12:3: warning: a [b] c [dma/unmap-type-mismatch]')).toEqual({
      file: 'C:\\src\\drv.c', line: 12, column: 3, severity: 'warning', message: 'a [b] c', rule: 'dma/unmap-type-mismatch',
    });
    expect(match('x.c:1:1: info: dma-lint: file not analysed: too big [skipped]')?.severity).toBe('info');
    expect(match('lsp-check: 4 files analysed: 6 errors, 0 warnings, 0 info in 0.36s')).toBeUndefined();
    expect(match('x.c:1:1: note: something [dma/x]')).toBeUndefined();
    expect(matcher.fileLocation).toEqual(['autoDetect', '${workspaceFolder}']);
  });
});

describe('the dma-lint task type', () => {
  it('turns a task definition into lsp-check arguments', () => {
    expect(lspCheckArgs({ type: 'dma-lint' })).toEqual(['--format', 'gcc', '.']);
    expect(lspCheckArgs({ type: 'dma-lint', paths: ['drivers/net', 'x.c'], platforms: ['arm64', 'swiotlb'], failOn: 'warning', config: 'ci.dmalint.json', jobs: 2 })).toEqual([
      '--format', 'gcc', '--jobs', '2', '--platform', 'arm64,swiotlb', '--fail-on', 'warning', '--config', 'ci.dmalint.json', 'drivers/net', 'x.c',
    ]);
    const props = manifest.contributes.taskDefinitions.find((t) => t.type === 'dma-lint')?.properties ?? {};
    expect(Object.keys(props).sort()).toEqual(['config', 'failOn', 'jobs', 'paths', 'platforms']);
  });
});

describe('rule pages for dmaLint.showRuleDocs', () => {
  it('lists every rule of docs/rules/README.md, each with its page', () => {
    const rows = readRuleTable(ROOT);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows[0]).toEqual(expect.objectContaining({ id: 'dma/unchecked-map', severity: 'error', implemented: true }));
    for (const r of rows) expect(() => readFileSync(rulePagePath(ROOT, r.id)), r.id).not.toThrow();
    expect(rulePagePath('/ext', 'async-tx/missing-fence')).toBe('/ext/docs/rules/async-tx-missing-fence.md');
    expect(parseRuleTable('| [a/b](a-b.md) | warning | what | no |\n| not | a | row |')).toEqual([{ id: 'a/b', severity: 'warning', description: 'what', implemented: false }]);
  });

  it('contributes the commands the client registers', () => {
    const ids = manifest.contributes.commands.map((c) => c.command);
    expect(ids).toEqual(expect.arrayContaining(['dmaLint.recheckWorkspace', 'dmaLint.showRuleDocs', 'dmaLint.restartServer']));
    const src = readFileSync(resolve(ROOT, 'client/src/extension.ts'), 'utf8');
    for (const id of ids) expect(src, id).toContain(`'${id}'`);
  });
});
