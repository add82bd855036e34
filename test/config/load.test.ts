import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEditorSettings } from '../../out/server/src/config/editor';
import { findConfigFile, loadConfigFile, resolveSettings } from '../../out/server/src/config/load';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'dmalint-cfg-'));
  mkdirSync(join(root, 'ws/drivers/net'), { recursive: true });
  return root;
}

describe('findConfigFile', () => {
  it('finds the nearest file walking up, stopping at the workspace folder', () => {
    const root = tree();
    writeFileSync(join(root, '.dmalint.json'), '{}');
    expect(findConfigFile(join(root, 'ws/drivers/net'))).toBe(join(root, '.dmalint.json'));
    expect(findConfigFile(join(root, 'ws/drivers/net'), [join(root, 'ws')])).toBeUndefined();
    writeFileSync(join(root, 'ws/drivers/.dmalint.json'), '{}');
    expect(findConfigFile(join(root, 'ws/drivers/net'), [join(root, 'ws')])).toBe(join(root, 'ws/drivers/.dmalint.json'));
  });
});

describe('loadConfigFile', () => {
  it('parses comments and merges defaults <- file <- overrides', () => {
    const root = tree();
    writeFileSync(
      join(root, 'ws/.dmalint.json'),
      `{
        // project settings
        "rules": { "dma/unchecked-map": "warning", "dma/double-unmap": "off" },
        "platforms": ["arm64", "swiotlb"], /* block */
        "wrappers": { "foo_map": { "as": "dma_map_single", "args": [0, 1, 2, 3] } },
        "macros": { "iterators": ["foo_for_each"], "defines": { "CONFIG_FOO": "1" } },
        "maxFileBytes": 1000
      }`,
    );
    const r = resolveSettings({
      filePath: join(root, 'ws/drivers/net/a.c'),
      workspaceFolders: [join(root, 'ws')],
      overrides: { platforms: ['coherent'], rules: { 'dma/unchecked-map': 'info' } },
    });
    expect(r.errors).toEqual([]);
    expect(r.configPath).toBe(join(root, 'ws/.dmalint.json'));
    expect(r.settings.rules).toEqual({ 'dma/unchecked-map': 'info', 'dma/double-unmap': 'off' });
    expect(r.settings.platforms).toEqual(['coherent']);
    expect(r.settings.wrappers.foo_map).toEqual({ as: 'dma_map_single', args: [0, 1, 2, 3] });
    expect(r.settings.macros).toEqual({ iterators: ['foo_for_each'], defines: { CONFIG_FOO: '1' } });
    expect(r.settings.maxFileBytes).toBe(1000);
    expect(r.settings.enable).toBe(true);
  });

  it('reports every problem with the path and keeps the valid parts', () => {
    const root = tree();
    const p = join(root, '.dmalint.json');
    writeFileSync(
      p,
      JSON.stringify({
        rules: { 'dma/uncheked-map': 'error', 'dma/double-unmap': 'fatal', 'dma/stack-buffer': 'off' },
        platforms: ['arm64', 'x86'],
        wrappers: { foo_map: { as: 'dma_map_single' }, 'bad name': { as: 'x', args: [] } },
        macros: { iterator: [] },
        maxFileBytes: -1,
        extra: true,
      }),
    );
    const c = loadConfigFile(p);
    expect(c.errors.every((e) => e.startsWith(`${p}: `))).toBe(true);
    const text = c.errors.join('\n');
    expect(text).toContain("unknown rule id 'dma/uncheked-map' (did you mean 'dma/unchecked-map'?)");
    expect(text).toContain('rules.dma/double-unmap: expected "off", "info", "warning" or "error", got "fatal"');
    expect(text).toContain("unknown platform 'x86'");
    expect(text).toContain('wrappers.foo_map.args');
    expect(text).toContain('wrappers.bad name');
    expect(text).toContain("macros.iterator: unknown key 'iterator' (did you mean 'iterators'?)");
    expect(text).toContain('maxFileBytes: expected a positive integer');
    expect(text).toContain("unknown key 'extra'");
    expect(c.layer).toEqual({ rules: { 'dma/stack-buffer': 'off' }, platforms: ['arm64'], wrappers: {}, macros: {} });
  });

  it('reports JSON syntax errors with line and column, and re-reads a changed file', () => {
    const root = tree();
    const p = join(root, '.dmalint.json');
    writeFileSync(p, '{\n  "rules": {,\n}');
    const bad = loadConfigFile(p);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatch(new RegExp(`^${p.replace(/[.]/g, '\\.')}: invalid JSON at line 2, column \\d+`));
    expect(loadConfigFile(p)).toBe(bad);
    writeFileSync(p, '{"platforms": ["swiotlb"]}');
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    expect(loadConfigFile(p)).toMatchObject({ errors: [], layer: { platforms: ['swiotlb'] } });
  });

  it('never throws on a missing explicit file', () => {
    const r = resolveSettings({ configFile: '/nonexistent/.dmalint.json' });
    expect(r.errors[0]).toContain('/nonexistent/.dmalint.json: cannot read config file (ENOENT)');
    expect(r.settings.platforms.length).toBeGreaterThan(1);
  });
});

describe('kconfigPlatforms', () => {
  it('is on by default, turned off by .dmalint.json or the editor, and must be a boolean', () => {
    const root = tree();
    const file = join(root, 'ws/drivers/net/a.c');
    expect(resolveSettings({ filePath: file, workspaceFolders: [join(root, 'ws')] }).settings.kconfigPlatforms).toBe(true);
    writeFileSync(join(root, 'ws/.dmalint.json'), '{ "kconfigPlatforms": false }');
    expect(resolveSettings({ filePath: file, workspaceFolders: [join(root, 'ws')] }).settings.kconfigPlatforms).toBe(false);
    writeFileSync(join(root, 'ws/.dmalint.json'), '{ "kconfigPlatforms": "no" }');
    const r = resolveSettings({ filePath: file, workspaceFolders: [join(root, 'ws')] });
    expect(r.errors).toEqual([`${join(root, 'ws/.dmalint.json')}: kconfigPlatforms: expected true or false, got "no"`]);
    expect(r.settings.kconfigPlatforms).toBe(true);
    const errors: string[] = [];
    expect(parseEditorSettings({ kconfigPlatforms: false }, errors).layer).toEqual({ kconfigPlatforms: false });
    expect(parseEditorSettings({ kconfigPlatforms: null }, errors).layer).toEqual({});
    expect(errors).toEqual([]);
  });
});

describe('parseEditorSettings', () => {
  it('treats null and empty platform lists as unset and validates the rest', () => {
    const errors: string[] = [];
    const s = parseEditorSettings(
      { enable: true, run: 'onSave', debounceMs: 0, platforms: [], rules: { 'dma/nope': 'off' }, wrappers: null, trace: { server: 'off' } },
      errors,
    );
    expect(s).toEqual({ layer: { enable: true, rules: {} }, run: 'onSave', debounceMs: 0 });
    expect(errors).toEqual(["dmaLint.rules: unknown rule id 'dma/nope'"]);
  });
});
