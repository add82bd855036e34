import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/src/findings';
import { EXPLAIN_REQUEST, type ExplainResult } from '../../shared/src/protocol';
import { Harness } from './harness';

const PATH = resolve(__dirname, '../fixtures/rx-read-before-sync.c');
const TEXT = readFileSync(PATH, 'utf8');
const URI = pathToFileURL(PATH).href;

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.dispose()));
  harnesses = [];
});

async function opened(): Promise<Harness> {
  const h = new Harness();
  harnesses.push(h);
  await h.initialize();
  await h.open(URI, TEXT);
  await h.diagnosticsFor(URI, 1);
  return h;
}

const explain = (h: Harness, uri: string, line: number, character: number) =>
  h.conn.sendRequest<ExplainResult>(EXPLAIN_REQUEST, { uri, position: { line, character } });

describe('dmaLint/explain', () => {
  it('returns the finding under the cursor with its trace, for the current version', async () => {
    const h = await opened();
    // line 11 (1-based): status = buf[0];
    const r = await explain(h, URI, 10, 11);
    expect(r.version).toBe(1);
    expect(r.findings).toHaveLength(1);
    const f: Finding = r.findings[0];
    expect(f).toMatchObject({ rule: 'dma/cpu-access-while-device-owned', severity: 'error', function: 'foo_rx' });
    expect(f.platforms).toEqual(['armv7', 'arm64', 'arm64-pre-5.19', 'swiotlb']);
    expect(f.trace?.map((t) => t.line)).toEqual([6, 11, 11]);
    expect(f.trace?.at(-1)?.event).toBe('CPU reads buf[0]');
    expect(f.trace?.[0].places.map((p) => p.platform)).toEqual(['coherent', 'armv7', 'arm64', 'arm64-pre-5.19', 'swiotlb']);
    // anywhere on the finding's line when the cursor is outside its range
    expect((await explain(h, URI, 10, 0)).findings.map((x) => x.rule)).toEqual(['dma/cpu-access-while-device-owned']);
  });

  it('nothing where there is no finding or for documents that are not open; after an edit, the new version', async () => {
    const h = await opened();
    expect(await explain(h, URI, 2, 2)).toEqual({ findings: [] });
    expect(await explain(h, 'file:///not/open.c', 10, 11)).toEqual({ findings: [] });
    await h.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ text: TEXT.replace('status = buf[0];', 'status = buf[1];') }],
    });
    // the request waits for the analysis of the current text: the answer is for version 2
    const after = await explain(h, URI, 10, 11);
    expect(after.version).toBe(2);
    expect(after.findings[0].trace?.at(-1)?.event).toBe('CPU reads buf[1]');
  });
});
