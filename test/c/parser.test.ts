import { describe, expect, it } from 'vitest';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import { CParser } from '../../server/src/c/parser';

const KERNEL_FN = [
  '#include <linux/dma-mapping.h>',
  '',
  'static DEFINE_SPINLOCK(foo_lock);',
  'module_param(foo_debug, int, 0644);',
  '',
  'struct foo_desc {',
  '\tstruct list_head node;',
  '\tdma_addr_t addr;',
  '\tvoid *buf;',
  '\tsize_t len;',
  '} __packed;',
  '',
  'static int __must_check foo_map_all(struct foo_priv *priv) __acquires(&priv->lock)',
  '{',
  '\tstruct foo_desc *d, *tmp;',
  '\tvoid __iomem *regs = priv->regs;',
  '\tstruct foo_dev *fd = container_of(priv, struct foo_dev, priv);',
  '',
  '\tlist_for_each_entry_safe(d, tmp, &priv->descs, node) {',
  '\t\td->addr = dma_map_single(fd->dev, d->buf, min_t(size_t, d->len, 4096), DMA_TO_DEVICE);',
  '#ifdef CONFIG_FOO_DEBUG',
  '\t\tif (dma_mapping_error(fd->dev, d->addr)) {',
  '#else',
  '\t\tif (unlikely(dma_mapping_error(fd->dev, d->addr))) {',
  '#endif',
  '\t\t\tdev_err(fd->dev, "map failed\\n");',
  '\t\t\tgoto unwind;',
  '\t\t}',
  '\t}',
  '\treturn 0;',
  'unwind:',
  '\tlist_for_each_entry_continue_reverse(d, &priv->descs, node)',
  '\t\tdma_unmap_single(fd->dev, d->addr, d->len, DMA_TO_DEVICE);',
  '\treturn -ENOMEM;',
  '}',
  '',
].join('\n');

describe('CParser', () => {
  it('a kernel-style function has ERROR nodes raw and none after masking', () => {
    const raw = new Parser();
    raw.setLanguage(C as unknown as Parser.Language);
    expect(raw.parse(KERNEL_FN).rootNode.hasError).toBe(true);

    const doc = new CParser().parse(KERNEL_FN);
    expect(doc.text).toBe(KERNEL_FN);
    expect(doc.masked.length).toBe(KERNEL_FN.length);
    expect(doc.tree.rootNode.hasError).toBe(false);
    const fns = doc.tree.rootNode.descendantsOfType('function_definition');
    expect(fns).toHaveLength(1);
    const name = fns[0].childForFieldName('declarator')?.descendantsOfType('identifier')[0];
    expect(name?.text).toBe('foo_map_all');
    // Offsets are string indices into the original text.
    const call = doc.tree.rootNode.descendantsOfType('call_expression').find((c) => c.text.startsWith('dma_map_single'));
    expect(call).toBeDefined();
    if (call) expect(KERNEL_FN.slice(call.startIndex, call.endIndex)).toBe(call.text);
    expect(doc.tree.rootNode.descendantsOfType('while_statement').length).toBe(2);
  });

  it('parses a 2 MB input in full', () => {
    const p = new CParser();
    const unit = 'int f_X(int a) { return a + 1; }\n';
    let text = '';
    for (let i = 0; text.length < 2 * 1024 * 1024; i++) text += unit.replace('X', String(i));
    const doc = p.parse(text);
    expect(doc.tree.rootNode.hasError).toBe(false);
    expect(doc.tree.rootNode.endIndex).toBe(text.length);
    expect(doc.tree.rootNode.namedChildCount).toBe(text.split('\n').length - 1);
  });

  it('reports UTF-16 indices with non-ASCII text', () => {
    const text = '/* é 😀 */ int x = 1;\n';
    const doc = new CParser().parse(text);
    const decl = doc.tree.rootNode.descendantsOfType('declaration')[0];
    expect(text.slice(decl.startIndex, decl.endIndex)).toBe('int x = 1;');
  });

  it('incremental reparse gives the same tree as a fresh parse after random edits', () => {
    const p = new CParser();
    let s = 1234567;
    const rand = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const inserts = ['x', ';', '{', '}', '\n', ' __iomem ', 'list_for_each_entry(a, b, c) ', '#if 0\n', '#endif\n', '/*', '*/', '"', '😀', 'é', ''];
    let doc = p.parse(KERNEL_FN);
    let text = KERNEL_FN;
    for (let k = 0; k < 150; k++) {
      const at = Math.floor(rand() * (text.length + 1));
      const del = rand() < 0.5 ? Math.floor(rand() * 8) : 0;
      const ins = inserts[Math.floor(rand() * inserts.length)];
      let next = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + del));
      if (rand() < 0.1) next = next.replace('\n', '\r\n');
      doc = p.reparse(doc, next);
      text = next;
      const fresh = p.parse(text);
      expect(doc.masked).toBe(fresh.masked);
      expect(doc.tree.rootNode.toString()).toBe(fresh.tree.rootNode.toString());
    }
  });

  it('reparse with unchanged text keeps the tree; dispose does not throw', () => {
    const p = new CParser();
    const doc = p.parse(KERNEL_FN);
    const again = p.reparse(doc, KERNEL_FN);
    expect(again.tree).toBe(doc.tree);
    p.dispose(again);
  });

  it('applies macro settings', () => {
    const p = new CParser();
    const text = 'void f(void) {\n\tmy_walk(a, b) {\n\t\tg(a);\n\t}\n}\n';
    const doc = p.parse(text, { iterators: ['my_walk'] });
    expect(doc.tree.rootNode.hasError).toBe(false);
    expect(doc.tree.rootNode.descendantsOfType('while_statement')).toHaveLength(1);
  });
});
