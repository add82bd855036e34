import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatusParams } from '../../shared/src/protocol';
import { Harness, type HarnessOptions } from './harness';

const RING = readFileSync(resolve(__dirname, '../../examples/ring_net.c'), 'utf8');
const LINES = RING.split('\n');
const URI = pathToFileURL(resolve(__dirname, '../../examples/ring_net.c')).href;

interface HoverResult {
  contents: { kind: string; value: string };
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.dispose()));
  harnesses = [];
});

async function start(opts: HarnessOptions = {}): Promise<{ h: Harness; status: StatusParams[] }> {
  const h = new Harness(opts);
  harnesses.push(h);
  const status: StatusParams[] = [];
  h.conn.onNotification('dmaLint/status', (p: StatusParams) => status.push(p));
  await h.initialize();
  return { h, status };
}

/** 1-based line as in editors and lsp-check; the column of `word`'s first character in it (+ skip). */
function at(line: number, word: string, nth = 0): { line: number; character: number } {
  let col = -1;
  for (let i = 0; i <= nth; i++) col = LINES[line - 1].indexOf(word, col + 1);
  if (col < 0) throw new Error(`${word} not on line ${line}`);
  return { line: line - 1, character: col + 1 };
}

const hoverAt = (h: Harness, position: { line: number; character: number }) =>
  h.conn.sendRequest<HoverResult | null>('textDocument/hover', { textDocument: { uri: URI }, position });

describe('hover', () => {
  it('is advertised with the recheck command', async () => {
    const h = new Harness();
    harnesses.push(h);
    const init = await h.initialize();
    expect(init.capabilities).toMatchObject({ hoverProvider: true, executeCommandProvider: { commands: ['dma-lint.recheck', 'dma-lint.showDocs'] } });
  });

  it('over the map call: the finding, its rule page and its related sites', async () => {
    const { h } = await start();
    await h.open(URI, RING);
    await h.diagnosticsFor(URI, 1);
    expect(LINES[123]).toContain('dma = dma_map_single(');
    const r = await hoverAt(h, at(124, 'dma_map_single'));
    expect(r?.contents.kind).toBe('markdown');
    const md = r!.contents.value;
    expect(md).toContain('**dma/unchecked-map** (error)');
    expect(md).toMatch(/\[rule page\]\(file:\/\/\S+\/docs\/rules\/dma-unchecked-map\.md\)/);
    expect(md).toContain("handle 'dma' is stored for later use");
    expect(md).toContain('- line 128: stored here');
    expect(md).toContain('- line 134: returns here without the test');
    expect(r!.range).toEqual({ start: { line: 123, character: 7 }, end: { line: 123, character: 21 } });
  });

  it('over the handle on its map line, on a related line and where the message names it in between', async () => {
    const { h } = await start();
    await h.open(URI, RING);
    await h.diagnosticsFor(URI, 1);
    for (const [line, word, nth] of [[124, 'dma', 0], [128, 'dma', 0], [127, 'dma', 1]] as const) {
      const r = await hoverAt(h, at(line, word, nth));
      expect(r?.contents.value, `line ${line}`).toContain('dma/unchecked-map');
    }
    // an unmap with the wrong direction: the unmap call and the mapped buffer it names
    expect(LINES[109]).toContain('dma_unmap_single(dev, priv->rx_dma[i]');
    for (const word of ['dma_unmap_single', 'rx_dma']) {
      const md = (await hoverAt(h, at(110, word)))?.contents.value;
      expect(md).toContain('**dma/unmap-direction-mismatch**');
      expect(md).toContain('- line 58: mapped DMA\\_FROM\\_DEVICE into rn\\_priv.rx\\_dma\\[\\] here');
    }
  });

  it('nothing over unrelated identifiers, keywords, blanks or lines without findings', async () => {
    const { h } = await start();
    await h.open(URI, RING);
    await h.diagnosticsFor(URI, 1);
    expect(await hoverAt(h, at(124, 'dev'))).toBeNull();
    expect(await hoverAt(h, at(124, 'skb'))).toBeNull();
    expect(await hoverAt(h, at(134, 'return'))).toBeNull();
    expect(await hoverAt(h, { line: 123, character: 0 })).toBeNull();
    expect(await hoverAt(h, at(118, 'priv'))).toBeNull();
    expect(await hoverAt(h, { line: 0, character: 0 })).toBeNull();
  });

  it('follows the current text, not the last published result', async () => {
    const { h } = await start({ configuration: () => ({ run: 'onSave' }) });
    await h.open(URI, RING);
    await h.diagnosticsFor(URI, 1);
    // add the missing test after the map; hover answers for the new text at once (onSave mode: no debounced analysis ran)
    await h.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 124, character: 0 }, end: { line: 124, character: 0 } }, text: '\tif (dma_mapping_error(dev, dma))\n\t\treturn NETDEV_TX_BUSY;\n' }],
    });
    expect(await hoverAt(h, at(124, 'dma_map_single'))).toBeNull();
  });

  it('nothing for a document that is not open', async () => {
    const { h } = await start();
    expect(await hoverAt(h, { line: 123, character: 10 })).toBeNull();
  });
});

describe('dmaLint/status opt-in', () => {
  it('is never sent to clients that did not ask for it', async () => {
    const { h, status } = await start();
    await h.open(URI, RING);
    await h.diagnosticsFor(URI, 1);
    await h.conn.sendRequest('workspace/executeCommand', { command: 'dma-lint.recheck' });
    await new Promise((r) => setTimeout(r, 300));
    expect(status).toEqual([]);
  });
});

describe('dmaLint/status and the recheck command', () => {
  it('reports analysing, then idle with the time and the count, again on recheck', async () => {
    const { h, status } = await start({ initializationOptions: { statusNotification: true } });
    await h.open(URI, RING);
    await h.diagnosticsFor(URI, 1);
    const first = await h.until(() => status.find((s) => s.state === 'idle'), 5000, 'idle status');
    expect(status[0]).toEqual({ uri: URI, state: 'analysing' });
    expect(first).toMatchObject({ uri: URI, state: 'idle', version: 1, diagnostics: 3 });
    expect(first.ms).toBeGreaterThan(0);
    const before = h.published.length;
    const n = status.length;
    expect(await h.conn.sendRequest('workspace/executeCommand', { command: 'dma-lint.recheck' })).toEqual({ documents: 1 });
    await h.until(() => h.published.length > before && status.slice(n).find((s) => s.state === 'idle'), 5000, 'recheck');
    expect(status.slice(n)[0]).toEqual({ uri: URI, state: 'analysing' });
  });

  it('pull mode: idle after each pull that analysed', async () => {
    const { h, status } = await start({ pull: true, initializationOptions: { statusNotification: true } });
    await h.open(URI, RING);
    const report = await h.conn.sendRequest<{ items: unknown[] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    expect(report.items).toHaveLength(3);
    const idle = await h.until(() => status.find((s) => s.state === 'idle'), 5000, 'idle status');
    expect(idle.ms).toBeGreaterThan(0);
  });
});

describe('show documentation', () => {
  it('the dma-lint.showDocs command asks the client to open the rule page (window/showDocument)', async () => {
    const h = new Harness();
    harnesses.push(h);
    await h.initialize();
    const shown: string[] = [];
    h.conn.onRequest('window/showDocument', (p: { uri: string; external?: boolean }) => {
      shown.push(p.uri);
      return { success: true };
    });
    const res = await h.conn.sendRequest<{ success: boolean } | null>('workspace/executeCommand', { command: 'dma-lint.showDocs', arguments: ['dma/unchecked-map'] });
    expect(res).toEqual({ success: true });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^file:\/\/.*docs\/rules\/dma-unchecked-map\.md$/);
    expect(await h.conn.sendRequest('workspace/executeCommand', { command: 'dma-lint.showDocs', arguments: ['dma/no-such-rule'] })).toBeNull();
  });
});
