import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, disableEdit } from '../../out/server/src/lsp/codeActions';
import { compatibleFixes, FIX_ALL_KIND } from '../../out/server/src/lsp/fixAll';
import type { Finding } from '../../shared/src/findings';
import { applyEdits, Harness, type TextEdit } from './harness';

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
    expect(actions.map((a) => a.title)).toEqual([
      'Use DMA_TO_DEVICE',
      'Disable dma/direction-none for this line',
      'Show documentation for dma/direction-none',
      'Fix all dma-lint problems in the file (1)',
    ]);
    expect(actions[2]).toMatchObject({ command: { command: 'dma-lint.showDocs', arguments: ['dma/direction-none'] } });
    expect(actions[3]).toMatchObject({ kind: 'source.fixAll.dma-lint' });
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

const at = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });
const fixable = (rule: string, line: number, a: number, b: number, newText: string): Finding => ({
  ...finding,
  rule,
  range: at(line, a, b),
  fix: { title: `fix ${rule} ${line}:${a}`, edits: [{ range: at(line, a, b), newText }] },
});

describe('fix all', () => {
  const doc2 = TextDocument.create('file:///y.c', 'c', 1, 'a b c d\ne f g h\n');
  const r1 = fixable('r/one', 0, 0, 1, 'A');
  const r1b = fixable('r/one', 1, 0, 1, 'E');
  const r2 = fixable('r/two', 0, 0, 3, 'X');
  const r2b = fixable('r/two', 1, 4, 5, 'G');

  it('takes fixes in document order and drops one overlapping a fix already taken', () => {
    expect(compatibleFixes([r2b, r2, r1b, r1]).map((f) => f.fix?.title)).toEqual(['fix r/two 0:0', 'fix r/one 1:0', 'fix r/two 1:4']);
  });

  it('offers "fix all of this rule" when the rule has two fixable findings, next to a finding of it', () => {
    const titles = codeActions(doc2, [r1, r1b, r2b], at(1, 0, 0)).map((a) => a.title);
    expect(titles).toContain('Fix all r/one problems in the file (2)');
    expect(titles.some((t) => t.startsWith('Fix all r/two'))).toBe(false);
    const all = codeActions(doc2, [r1, r1b, r2b], at(1, 0, 0)).find((a) => a.title.startsWith('Fix all r/one'));
    expect(all?.kind).toBe('quickfix');
    expect(applyEdits(doc2.getText(), all!.edit!.changes!['file:///y.c'])).toBe('A b c d\nE f g h\n');
  });

  it('answers context.only: source.fixAll.dma-lint and its prefixes get the fix-all action, whatever the range', () => {
    for (const only of [[FIX_ALL_KIND], ['source.fixAll'], ['source']]) {
      const actions = codeActions(doc2, [r1, r2b], at(5, 0, 0), only);
      expect(actions.map((a) => a.kind)).toEqual([FIX_ALL_KIND]);
      expect(applyEdits(doc2.getText(), actions[0].edit!.changes!['file:///y.c'])).toBe('A b c d\ne f G h\n');
    }
    expect(codeActions(doc2, [r1, r2b], at(0, 0, 0), ['quickfix']).every((a) => a.kind === 'quickfix')).toBe(true);
    expect(codeActions(doc2, [r1], at(0, 0, 0), ['refactor'])).toEqual([]);
    expect(codeActions(doc2, [], at(0, 0, 0), [FIX_ALL_KIND])).toEqual([]);
  });
});

describe('fix all over stdio', () => {
  const TEXT = [
    'static int foo_a(struct foo_priv *priv)',
    '{',
    '\tdma_addr_t h;',
    '',
    '\th = dma_map_single(priv->dev, priv->a, 64, DMA_TO_DEVICE);',
    '\twritel(lower_32_bits(h), priv->regs + 0x10);',
    '\treturn 0;',
    '}',
    '',
    'static int foo_b(struct foo_priv *priv)',
    '{',
    '\tdma_addr_t h = dma_map_single(priv->dev, priv->b, 64, DMA_TO_DEVICE);',
    '',
    '\twritel(lower_32_bits(h), priv->regs + 0x20);',
    '\treturn 0;',
    '}',
    '',
    'static int foo_c(struct foo_priv *priv)',
    '{',
    '\tdma_addr_t h;',
    '',
    '\th = dma_map_single(priv->dev, priv->c, 64, DMA_TO_DEVICE);',
    '\tif (dma_mapping_error(priv->dev, h))',
    '\t\treturn -ENOMEM;',
    '\twritel(lower_32_bits(h), priv->regs + 0x30);',
    '\tfoo_wait(priv);',
    '\tdma_unmap_single(priv->dev, h, 64, DMA_FROM_DEVICE);',
    '\treturn 0;',
    '}',
    '',
  ].join('\n');
  interface Action {
    title: string;
    kind: string;
    edit: { changes: Record<string, TextEdit[]> };
  }
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  async function actionsAt(uri: string, line: number, only?: string[]): Promise<Action[]> {
    return h!.conn.sendRequest<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });
  }

  let version = 1;
  async function reopened(uri: string, text: string): Promise<string[]> {
    await h!.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await h!.open(uri, text, ++version);
    return (await h!.diagnosticsFor(uri, version)).diagnostics.map((d) => String(d.code));
  }

  it('declares source.fixAll.dma-lint; "fix all of this rule" and the fix-all action leave none of those findings', async () => {
    h = new Harness({ configuration: () => ({ debounceMs: 0 }) });
    const init = await h.initialize();
    expect(init.capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix', FIX_ALL_KIND] });
    const uri = pathToFileURL(join(mkdtempSync(join(tmpdir(), 'dmalint-fixall-')), 'f.c')).href;
    await h.open(uri, TEXT);
    const before = (await h.diagnosticsFor(uri, 1)).diagnostics.map((d) => String(d.code));
    expect(before.sort()).toEqual(['dma/unchecked-map', 'dma/unchecked-map', 'dma/unmap-direction-mismatch']);

    const actions = await actionsAt(uri, 4);
    const rule = actions.find((a) => a.title === 'Fix all dma/unchecked-map problems in the file (2)');
    expect(rule?.kind).toBe('quickfix');
    const byRule = applyEdits(TEXT, rule!.edit.changes[uri]);
    expect(byRule.split('\n').slice(4, 7)).toEqual(['\th = dma_map_single(priv->dev, priv->a, 64, DMA_TO_DEVICE);', '\tif (dma_mapping_error(priv->dev, h))', '\t\treturn -ENOMEM;']);
    expect(await reopened(uri, byRule)).toEqual(['dma/unmap-direction-mismatch']);

    await reopened(uri, TEXT);
    const all = (await actionsAt(uri, 4)).find((a) => a.kind === FIX_ALL_KIND);
    expect(all?.title).toBe('Fix all dma-lint problems in the file (3)');
    expect(await reopened(uri, applyEdits(TEXT, all!.edit.changes[uri]))).toEqual([]);

    // what VS Code's editor.codeActionsOnSave sends: only the fix-all kind, at line 0
    await reopened(uri, TEXT);
    const onSave = await actionsAt(uri, 0, [FIX_ALL_KIND]);
    expect(onSave.map((a) => a.kind)).toEqual([FIX_ALL_KIND]);
    expect(await actionsAt(uri, 4, ['refactor'])).toEqual([]);
  });

  it('the unwind-label leak fix reaches the client as one versioned edit of the label and the goto, and the leak is gone', async () => {
    const ladder = [
      'static int foo_setup(struct foo_priv *priv, void *cmd)',
      '{',
      '\tdma_addr_t h;',
      '\tint ret;',
      '',
      '\th = dma_map_single(priv->dev, cmd, 64, DMA_TO_DEVICE);',
      '\tif (dma_mapping_error(priv->dev, h)) {',
      '\t\tret = -ENOMEM;',
      '\t\tgoto err_free;',
      '\t}',
      '\tret = foo_ring_alloc(priv);',
      '\tif (ret)',
      '\t\tgoto err_free;',
      '\twritel(lower_32_bits(h), priv->regs + 0x10);',
      '\treturn 0;',
      'err_free:',
      '\tkfree(cmd);',
      '\treturn ret;',
      '}',
      '',
    ].join('\n');
    h = new Harness({ configuration: () => ({ debounceMs: 0 }) });
    await h.initialize();
    const uri = pathToFileURL(join(mkdtempSync(join(tmpdir(), 'dmalint-unwind-')), 'f.c')).href;
    await h.open(uri, ladder);
    expect((await h.diagnosticsFor(uri, 1)).diagnostics.map((d) => String(d.code))).toEqual(['dma/leak-on-error-path']);
    const fix = (await actionsAt(uri, 5)).find((a) => a.title.startsWith('Unmap h in a new unwind label'));
    expect(fix?.kind).toBe('quickfix');
    expect(fix!.edit.changes[uri].map((e) => e.range.start.line)).toEqual([15, 12]);
    const fixed = applyEdits(ladder, fix!.edit.changes[uri]);
    expect(fixed.split('\n').slice(11, 19)).toEqual([
      '\tif (ret)',
      '\t\tgoto err_unmap_h;',
      '\twritel(lower_32_bits(h), priv->regs + 0x10);',
      '\treturn 0;',
      'err_unmap_h:',
      '\tdma_unmap_single(priv->dev, h, 64, DMA_TO_DEVICE);',
      'err_free:',
      '\tkfree(cmd);',
    ]);
    expect(fixed.split('\n')[8]).toBe('\t\tgoto err_free;');
    expect(await reopened(uri, fixed)).toEqual([]);
  });
});
