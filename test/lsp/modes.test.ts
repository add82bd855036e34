import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { type Diag, Harness, type HarnessOptions, SERVER } from './harness';

const UNCHECKED = readFileSync(resolve(__dirname, '../fixtures/unchecked.c'), 'utf8');
const CHECK = '\tif (dma_mapping_error(dev, h))\n\t\treturn -ENOMEM;\n';

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

const uri = (name: string) => pathToFileURL(join(mkdtempSync(join(tmpdir(), 'dmalint-modes-')), name)).href;
const insertCheck = (u: string, version: number) => ({
  textDocument: { uri: u, version },
  contentChanges: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: CHECK }],
});

describe('run modes', () => {
  it('onSave: edits do not re-analyse, a save does', async () => {
    const h = await start({ configuration: () => ({ run: 'onSave', debounceMs: 0 }) });
    const u = uri('save.c');
    await h.open(u, UNCHECKED);
    expect((await h.diagnosticsFor(u, 1)).diagnostics).toHaveLength(1);
    await h.conn.sendNotification('textDocument/didChange', insertCheck(u, 2));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.published.filter((p) => p.version === 2)).toEqual([]);
    await h.conn.sendNotification('textDocument/didSave', { textDocument: { uri: u } });
    expect((await h.diagnosticsFor(u, 2)).diagnostics).toEqual([]);
  });

  it('debounces bursts of edits into one analysis', async () => {
    const h = await start({ configuration: () => ({ debounceMs: 150 }) });
    const u = uri('burst.c');
    await h.open(u, UNCHECKED);
    await h.diagnosticsFor(u, 1);
    for (let v = 2; v <= 6; v++) {
      await h.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: u, version: v },
        contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }],
      });
    }
    await h.diagnosticsFor(u, 6);
    expect(h.published.filter((p) => p.uri === u).map((p) => p.version)).toEqual([1, 6]);
  });

  it('pull mode asks the client to refresh after a configuration change', async () => {
    const h = await start({ pull: true, configuration: () => ({}) });
    await h.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await h.until(() => h.refreshes > 0, 5000, 'workspace/diagnostic/refresh');
  });
});

describe('skipped files', () => {
  it('gets one info diagnostic at line 1 with code "skipped"', async () => {
    const h = await start({ configuration: () => ({ maxFileBytes: 10 }) });
    const u = uri('big.c');
    await h.open(u, UNCHECKED);
    const p = await h.diagnosticsFor(u, 1);
    expect(p.diagnostics).toHaveLength(1);
    const d: Diag = p.diagnostics[0];
    expect(d).toMatchObject({ severity: 3, code: 'skipped', source: 'dma-lint' });
    expect(d.range.start).toEqual({ line: 0, character: 0 });
    expect(d.message).toMatch(/^dma-lint: file not analysed: /);
  });
});

describe('transports', () => {
  it('serves over --node-ipc', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const published: { uri: string; diagnostics: Diag[] }[] = [];
    const got = new Promise<void>((res) =>
      conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
        published.push(p);
        res();
      }),
    );
    conn.listen();
    try {
      const init = await conn.sendRequest<{ serverInfo: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      expect(init.serverInfo.name).toBe('dma-lint');
      await conn.sendNotification('initialized', {});
      const u = uri('ipc.c');
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'c', version: 1, text: UNCHECKED } });
      await got;
      expect(published[0].diagnostics.map((d) => d.code)).toEqual(['dma/unchecked-map']);
    } finally {
      conn.dispose();
      child.kill();
    }
  });
});
