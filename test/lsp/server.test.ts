import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdits, type Diag, Harness, type HarnessOptions, type TextEdit } from './harness';

const FIXTURES = resolve(__dirname, '../fixtures');
const UNCHECKED = readFileSync(join(FIXTURES, 'unchecked.c'), 'utf8');
const CHECKED = readFileSync(join(FIXTURES, 'checked.c'), 'utf8');

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.dispose()));
  harnesses = [];
});

async function start(opts: HarnessOptions = {}): Promise<Harness> {
  const h = new Harness(opts);
  harnesses.push(h);
  await h.initialize();
  return h;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dmalint-lsp-'));
}

function uriIn(dir: string, name: string): string {
  return pathToFileURL(join(dir, name)).href;
}

function expectUncheckedMap(d: Diag | undefined, uri: string): void {
  expect(d).toBeDefined();
  expect(d).toMatchObject({
    severity: 1,
    source: 'dma-lint',
    code: 'dma/unchecked-map',
    codeDescription: { href: expect.stringContaining('dma-unchecked-map') as string },
    data: { rule: 'dma/unchecked-map', function: 'foo_xmit' },
  });
  expect(d!.range.start.line).toBe(4);
  expect(Array.isArray(d!.data?.platforms)).toBe(true);
  for (const r of d!.relatedInformation ?? []) expect(r.location.uri).toBe(uri);
}

describe('push diagnostics (no pull support)', () => {
  it('does not advertise a diagnostic provider and pushes on open with the version', async () => {
    const h = new Harness();
    harnesses.push(h);
    const init = await h.initialize();
    expect(init.capabilities.diagnosticProvider).toBeUndefined();
    expect(init.capabilities.textDocumentSync).toMatchObject({ change: 2 });
    const uri = uriIn(tempDir(), 'a.c');
    await h.open(uri, UNCHECKED, 7);
    const p = await h.diagnosticsFor(uri, 7);
    expect(p.diagnostics).toHaveLength(1);
    expectUncheckedMap(p.diagnostics[0], uri);
  });

  it('re-analyses after an incremental change and clears on close', async () => {
    const h = await start({ configuration: () => ({ debounceMs: 10 }) });
    const uri = uriIn(tempDir(), 'b.c');
    await h.open(uri, UNCHECKED, 1);
    await h.diagnosticsFor(uri, 1);
    // insert the error check after the map (line 4 ends after ";")
    const at = { line: 5, character: 0 };
    await h.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: at, end: at }, text: '\tif (dma_mapping_error(dev, h))\n\t\treturn -ENOMEM;\n' }],
    });
    const p2 = await h.diagnosticsFor(uri, 2);
    expect(p2.diagnostics).toEqual([]);
    const n = h.published.length;
    await h.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const closed = await h.until(() => h.published.slice(n).find((p) => p.uri === uri));
    expect(closed.diagnostics).toEqual([]);
  });

  it('finds nothing in the checked version', async () => {
    const h = await start();
    const uri = uriIn(tempDir(), 'c.c');
    await h.open(uri, CHECKED);
    expect((await h.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  });
});

describe('pull diagnostics', () => {
  it('answers textDocument/diagnostic and never pushes', async () => {
    const h = new Harness({ pull: true });
    harnesses.push(h);
    const init = await h.initialize();
    expect(init.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: false });
    const uri = uriIn(tempDir(), 'd.c');
    await h.open(uri, UNCHECKED);
    const report = await h.conn.sendRequest<{ kind: string; items: Diag[] }>('textDocument/diagnostic', { textDocument: { uri } });
    expect(report.kind).toBe('full');
    expectUncheckedMap(report.items[0], uri);
    await h.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.published).toEqual([]);
  });

  it('answers an unknown document with an empty report', async () => {
    const h = await start({ pull: true });
    const report = await h.conn.sendRequest<{ items: Diag[] }>('textDocument/diagnostic', { textDocument: { uri: 'file:///nowhere/x.c' } });
    expect(report.items).toEqual([]);
  });
});

describe('settings', () => {
  it('applies rule severities from workspace/configuration', async () => {
    const h = await start({ configuration: () => ({ rules: { 'dma/unchecked-map': 'warning' } }) });
    const uri = uriIn(tempDir(), 'e.c');
    await h.open(uri, UNCHECKED);
    const p = await h.diagnosticsFor(uri, 1);
    expect(p.diagnostics.map((d) => [d.code, d.severity])).toEqual([['dma/unchecked-map', 2]]);
  });

  it('uses initializationOptions.settings without workspace/configuration', async () => {
    const h = await start({ initializationOptions: { settings: { rules: { 'dma/unchecked-map': 'off' } } } });
    const uri = uriIn(tempDir(), 'f.c');
    await h.open(uri, UNCHECKED);
    expect((await h.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  });

  it('reports a bad setting once, ignores it, and still analyses', async () => {
    const h = await start({ configuration: () => ({ platforms: ['x86'], run: 'sometimes' }) });
    const dir = tempDir();
    await h.open(uriIn(dir, 'g.c'), UNCHECKED);
    await h.open(uriIn(dir, 'h.c'), UNCHECKED);
    await h.diagnosticsFor(uriIn(dir, 'g.c'), 1);
    const p = await h.diagnosticsFor(uriIn(dir, 'h.c'), 1);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['dma/unchecked-map']);
    expect(h.messages).toHaveLength(1);
    expect(h.messages[0].type).toBe(1);
    expect(h.messages[0].message).toContain("dmaLint.platforms: unknown platform 'x86'");
    expect(h.messages[0].message).toContain('dmaLint.run');
  });

  it('reports a malformed .dmalint.json with its path and analyses with defaults', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, '.dmalint.json'), '{ "rules": { "dma/unchecked-map": "off", }, }');
    const h = await start();
    await h.open(uriIn(join(dir, 'sub'), 'i.c'), UNCHECKED);
    await h.open(uriIn(dir, 'j.c'), UNCHECKED);
    const p = await h.diagnosticsFor(uriIn(dir, 'j.c'), 1);
    await h.diagnosticsFor(uriIn(join(dir, 'sub'), 'i.c'), 1);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['dma/unchecked-map']);
    expect(h.messages).toHaveLength(1);
    expect(h.messages[0].message).toContain(join(dir, '.dmalint.json'));
    expect(h.messages[0].message).toContain('invalid JSON at line 1');
  });

  it('honours a valid .dmalint.json, with editor settings on top', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.dmalint.json'), '// project\n{ "rules": { "dma/unchecked-map": "info" } }');
    const h = await start({ configuration: () => ({ platforms: null, rules: {} }) });
    await h.open(uriIn(dir, 'k.c'), UNCHECKED);
    expect((await h.diagnosticsFor(uriIn(dir, 'k.c'), 1)).diagnostics.map((d) => d.severity)).toEqual([3]);
    const h2 = await start({ configuration: () => ({ rules: { 'dma/unchecked-map': 'error' } }) });
    await h2.open(uriIn(dir, 'k.c'), UNCHECKED);
    expect((await h2.diagnosticsFor(uriIn(dir, 'k.c'), 1)).diagnostics.map((d) => d.severity)).toEqual([1]);
    expect(h.messages).toEqual([]);
  });

  it('re-pulls settings on didChangeConfiguration', async () => {
    let severity = 'error';
    const h = await start({ configuration: () => ({ rules: { 'dma/unchecked-map': severity } }) });
    const uri = uriIn(tempDir(), 'l.c');
    await h.open(uri, UNCHECKED);
    await h.diagnosticsFor(uri, 1);
    severity = 'off';
    const n = h.published.length;
    await h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const p = await h.until(() => h.published.slice(n).find((x) => x.uri === uri));
    expect(p.diagnostics).toEqual([]);
  });

  it('turns everything off with enable: false', async () => {
    const h = await start({ configuration: () => ({ enable: false }) });
    const uri = uriIn(tempDir(), 'm.c');
    await h.open(uri, UNCHECKED);
    expect((await h.diagnosticsFor(uri, 1)).diagnostics).toEqual([]);
  });
});

describe('struct layouts from headers', () => {
  const driver = '#include "foo.h"\n\nstatic int foo_rx(struct foo_priv *priv)\n{\n\tdma_addr_t h = dma_map_single(priv->dev, priv->rx_buf, 8, DMA_FROM_DEVICE);\n\n\tif (dma_mapping_error(priv->dev, h))\n\t\treturn -ENOMEM;\n\tfoo_start(priv, h);\n\treturn 0;\n}\n';
  const header = (align: string) => `struct foo_priv {\n\tstruct device *dev;\n\tu32 status;\n\tu8 rx_buf[8]${align};\n\tint count${align};\n};\n`;
  const sharing = (p: { diagnostics: Diag[] }) => p.diagnostics.filter((d) => d.code === 'dma/cacheline-sharing');

  it('reads the header from disk, then from the editor when it is open, and re-analyses on its edits', async () => {
    const h = await start({ configuration: () => ({ debounceMs: 10 }) });
    const dir = tempDir();
    writeFileSync(join(dir, 'foo.h'), header(''));
    const c = uriIn(dir, 'foo.c');
    await h.open(c, driver, 1);
    const first = sharing(await h.diagnosticsFor(c, 1));
    expect(first).toHaveLength(1);
    expect(first[0].relatedInformation?.[0].location.uri).toBe(uriIn(dir, 'foo.h'));
    const hdr = uriIn(dir, 'foo.h');
    await h.open(hdr, header(''), 1);
    const n = h.published.length;
    await h.conn.sendNotification('textDocument/didChange', { textDocument: { uri: hdr, version: 2 }, contentChanges: [{ text: header(' __aligned(ARCH_DMA_MINALIGN)') }] });
    await h.until(() => h.published.slice(n).find((p) => p.uri === c && sharing(p).length === 0), 10000, 'foo.c re-analysed without the finding');
  });
});

describe('robustness', () => {
  it('ignores changes to unopened documents and code actions for unknown ones', async () => {
    const h = await start();
    await h.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: 'file:///nowhere/y.c', version: 2 },
      contentChanges: [{ text: 'int x;' }],
    });
    await h.conn.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///nowhere/y.c' } });
    const actions = await h.conn.sendRequest<unknown[]>('textDocument/codeAction', {
      textDocument: { uri: 'file:///nowhere/y.c' },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    expect(actions).toEqual([]);
    const uri = 'untitled:Untitled-1';
    await h.open(uri, UNCHECKED);
    expect((await h.diagnosticsFor(uri, 1)).uri).toBe(uri);
    expect(h.logs.some((l) => l.includes('not open'))).toBe(true);
    expect(h.proc.exitCode).toBeNull();
  });

  it('survives binary garbage', async () => {
    const h = await start();
    const uri = uriIn(tempDir(), 'bin.c');
    await h.open(uri, '\u0000\u0001\uFFFD{{{((( /* ' + 'x'.repeat(10000));
    await h.diagnosticsFor(uri, 1);
    expect(h.proc.exitCode).toBeNull();
  });
});

describe('code actions', () => {
  interface Action {
    title: string;
    kind: string;
    edit: { changes: Record<string, TextEdit[]> };
  }

  it('inserts a disable comment above the line, indented, which silences the finding', async () => {
    const h = await start({ configuration: () => ({ debounceMs: 0 }) });
    const uri = uriIn(tempDir(), 'n.c');
    await h.open(uri, UNCHECKED);
    await h.diagnosticsFor(uri, 1);
    // eglot may send stale diagnostics: send a wrong one, the server must not use it
    const actions = await h.conn.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 4, character: 2 }, end: { line: 4, character: 2 } },
      context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'stale' }] },
    });
    const disable = actions.find((a) => a.title === 'Disable dma/unchecked-map for this line');
    expect(disable?.kind).toBe('quickfix');
    const edits = disable!.edit.changes[uri];
    const fixed = applyEdits(UNCHECKED, edits);
    expect(fixed.split('\n')[4]).toBe('\t/* dma-lint-disable-next-line dma/unchecked-map -- reason */');
    expect(fixed.split('\n')[5]).toBe(UNCHECKED.split('\n')[4]);
    await h.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })) });
    expect((await h.diagnosticsFor(uri, 2)).diagnostics).toEqual([]);
  });

  it('merges into an existing directive on the line above', async () => {
    const h = await start();
    const uri = uriIn(tempDir(), 'o.c');
    const lines = UNCHECKED.split('\n');
    lines.splice(4, 0, '\t// dma-lint-disable-next-line dma/double-unmap -- why');
    const text = lines.join('\n');
    await h.open(uri, text);
    await h.diagnosticsFor(uri, 1);
    const actions = await h.conn.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } },
      context: { diagnostics: [] },
    });
    const disable = actions.find((a) => a.title.startsWith('Disable dma/unchecked-map'));
    const fixed = applyEdits(text, disable!.edit.changes[uri]);
    expect(fixed.split('\n')[4]).toBe('\t// dma-lint-disable-next-line dma/double-unmap, dma/unchecked-map -- why');
    expect(fixed.split('\n').length).toBe(lines.length);
  });
});
