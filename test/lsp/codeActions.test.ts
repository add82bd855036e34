import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, disableEdit } from '../../out/server/src/lsp/codeActions';
import type { Finding } from '../../shared/src/findings';

const text = 'int f(void)\r\n{\r\n    /* dma-lint-disable-next-line dma/double-unmap */\r\n    h = dma_map_single(d, b, n, DMA_NONE);\r\n}\r\n';
const doc = TextDocument.create('file:///x.c', 'c', 3, text);

const finding: Finding = {
  rule: 'dma/direction-none',
  severity: 'error',
  message: 'DMA_NONE',
  range: { start: { line: 3, character: 32 }, end: { line: 3, character: 40 } },
  function: 'f',
  platforms: [],
  related: [],
  fix: { title: 'Use DMA_TO_DEVICE', edits: [{ range: { start: { line: 3, character: 32 }, end: { line: 3, character: 40 } }, newText: 'DMA_TO_DEVICE' }] },
};

describe('codeActions', () => {
  it('offers the finding fix first, then the disable comment, only for findings on the requested lines', () => {
    const actions = codeActions(doc, [finding], { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
    expect(actions.map((a) => a.title)).toEqual(['Use DMA_TO_DEVICE', 'Disable dma/direction-none for this line']);
    expect(actions[0]).toMatchObject({ kind: 'quickfix', isPreferred: true });
    expect(actions[0].edit?.changes?.['file:///x.c']).toEqual(finding.fix!.edits);
    expect(actions[0].diagnostics?.[0]).toMatchObject({ code: 'dma/direction-none', source: 'dma-lint' });
    expect(codeActions(doc, [finding], { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } })).toEqual([]);
  });

  it('merges into a block directive above, keeping its style', () => {
    const e = disableEdit(doc, 3, 'dma/direction-none');
    expect(e.range).toEqual({ start: { line: 2, character: 4 }, end: { line: 2, character: 53 } });
    expect(e.newText).toBe('/* dma-lint-disable-next-line dma/double-unmap, dma/direction-none */');
  });

  it('inserts a new directive line with the document line ending and indentation', () => {
    const e = disableEdit(doc, 1, 'dma/direction-none');
    expect(e).toEqual({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '/* dma-lint-disable-next-line dma/direction-none -- reason */\r\n' });
    const e2 = disableEdit(TextDocument.create('u', 'c', 1, 'a\n\tb();\n'), 1, 'r/x');
    expect(e2.newText).toBe('\t/* dma-lint-disable-next-line r/x -- reason */\n');
  });
});
