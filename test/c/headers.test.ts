import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../client/src/lsp-check/args';
import { memoryResolver } from '../../server/src/c/headers';
import { parseEditorSettings } from '../../server/src/config/editor';
import { loadConfigFile } from '../../server/src/config/load';
import { defaultSettings } from '../../server/src/config/defaults';
import { DocumentAnalyzer } from '../../server/src/engine/analyze';
import { FileIncludeResolver } from '../../server/src/lsp/includes';

const DRIVER = `#include "foo.h"

static int foo_rx(struct foo_priv *priv)
{
	dma_addr_t h = dma_map_single(priv->dev, priv->rx_buf, 8, DMA_FROM_DEVICE);

	if (dma_mapping_error(priv->dev, h))
		return -ENOMEM;
	foo_start(priv, h);
	return 0;
}
`;

const struct = (align: string) => `struct foo_priv {\n\tstruct device *dev;\n\tu32 status;\n\tu8 rx_buf[8]${align};\n\tint count${align};\n};\n`;

const sharing = (findings: { rule: string }[]) => findings.filter((f) => f.rule === 'dma/cacheline-sharing').length;

describe('struct layouts from headers', () => {
  it('a header edited between two analyses of an unchanged file is read again', () => {
    const files = new Map([['/drv/foo.h', struct('')]]);
    const analyzer = new DocumentAnalyzer('file:///drv/foo.c');
    const settings = defaultSettings();
    expect(sharing(analyzer.update(DRIVER, settings, memoryResolver(files)).findings)).toBe(1);
    files.set('/drv/foo.h', struct(' __aligned(ARCH_DMA_MINALIGN)'));
    expect(sharing(analyzer.update(DRIVER, settings, memoryResolver(files)).findings)).toBe(0);
    analyzer.dispose();
  });

  it('includes of headers are followed three levels deep, not four', () => {
    const chain = (depth: number) => {
      const files = new Map<string, string>();
      for (let i = 1; i < depth; i++) files.set(`/drv/${i === 1 ? 'foo' : `h${i}`}.h`, `#include "h${i + 1}.h"\n`);
      files.set(`/drv/${depth === 1 ? 'foo' : `h${depth}`}.h`, struct(''));
      const analyzer = new DocumentAnalyzer('file:///drv/foo.c');
      const n = sharing(analyzer.update(DRIVER, defaultSettings(), memoryResolver(files)).findings);
      analyzer.dispose();
      return n;
    };
    expect(chain(3)).toBe(1);
    expect(chain(4)).toBe(0);
  });

  it('the server reads an open header from the editor, a closed one from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmalint-hdr-'));
    writeFileSync(join(dir, 'foo.h'), struct(''));
    const open = new Map<string, { text: string; version: number }>();
    const resolver = new FileIncludeResolver((p) => open.get(p));
    const analyzer = new DocumentAnalyzer(pathToFileURL(join(dir, 'foo.c')).href);
    expect(sharing(analyzer.update(DRIVER, defaultSettings(), resolver).findings)).toBe(1);
    open.set(join(dir, 'foo.h'), { text: struct(' __aligned(ARCH_DMA_MINALIGN)'), version: 2 });
    expect(sharing(analyzer.update(DRIVER, defaultSettings(), resolver).findings)).toBe(0);
    expect(resolver.read(join(dir, 'missing.h'))).toBeUndefined();
    expect(resolver.read(dir)).toBeUndefined();
    analyzer.dispose();
  });
});

describe('include path settings', () => {
  it('.dmalint.json includePaths are relative to the file; bad values are errors', () => {
    const root = mkdtempSync(join(tmpdir(), 'dmalint-inc-'));
    mkdirSync(join(root, 'ws'));
    writeFileSync(join(root, 'ws/.dmalint.json'), '{ "includePaths": ["inc", "/abs/dir"] }');
    expect(loadConfigFile(join(root, 'ws/.dmalint.json')).layer.includePaths).toEqual([join(root, 'ws/inc'), '/abs/dir']);
    writeFileSync(join(root, 'ws/bad.json'), '{ "includePaths": "inc" }');
    expect(loadConfigFile(join(root, 'ws/bad.json')).errors.join()).toMatch(/includePaths: expected an array of directory paths/);
  });

  it('the editor setting is validated; an empty list means unset', () => {
    const errors: string[] = [];
    expect(parseEditorSettings({ includePaths: ['a'] }, errors).layer.includePaths).toEqual(['a']);
    expect(parseEditorSettings({ includePaths: [] }, errors).layer.includePaths).toBeUndefined();
    parseEditorSettings({ includePaths: [3] }, errors);
    expect(errors.join()).toMatch(/dmaLint\.includePaths/);
  });

  it('lsp-check takes -I from a make C=2 command line, -include stays ignored', () => {
    const o = parseArgs(['-Wall', '-I./drivers/net/foo', '-I', '/abs/inc', '-include', 'x.h', 'drivers/net/foo/foo.c']);
    expect(o.includePaths).toEqual([join(process.cwd(), 'drivers/net/foo'), '/abs/inc']);
    expect(o.paths).toEqual(['drivers/net/foo/foo.c']);
  });
});
