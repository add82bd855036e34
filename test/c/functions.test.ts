import { createHash } from 'node:crypto';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import { describe, expect, it } from 'vitest';
import { functionAt, indexFunctions } from '../../server/src/c/functions';

const parser = new Parser();
parser.setLanguage(C as unknown as Parser.Language);

function index(src: string) {
  return indexFunctions(parser.parse(src).rootNode);
}

describe('indexFunctions', () => {
  it('names, params and return types of ordinary kernel functions', () => {
    const fns = index(`
#include <linux/dma-mapping.h>

struct foo_priv;

static dma_addr_t foo_map(struct foo_priv *priv, void *buf, size_t len,
			  enum dma_data_direction dir)
{
	return dma_map_single(priv->dev, buf, len, dir);
}

static struct sk_buff *foo_rx_skb(struct foo_priv *priv)
{
	return NULL;
}

int foo_count(void)
{
	return 0;
}

static const char **foo_names(int, unsigned long flags, u8 mac[ETH_ALEN], ...)
{
	return NULL;
}
`);
    expect(fns.map((f) => f.name)).toEqual(['foo_map', 'foo_rx_skb', 'foo_count', 'foo_names']);
    const [map, rx, count, names] = fns;
    expect(map?.params).toEqual([
      { name: 'priv', type: 'struct foo_priv *' },
      { name: 'buf', type: 'void *' },
      { name: 'len', type: 'size_t' },
      { name: 'dir', type: 'enum dma_data_direction' },
    ]);
    expect(map?.returnType).toBe('static dma_addr_t');
    expect(rx?.returnType).toBe('static struct sk_buff *');
    expect(rx?.params).toEqual([{ name: 'priv', type: 'struct foo_priv *' }]);
    expect(count?.params).toEqual([]);
    expect(count?.returnType).toBe('int');
    expect(names?.returnType).toBe('static const char **');
    expect(names?.params).toEqual([
      { name: '', type: 'int' },
      { name: 'flags', type: 'unsigned long' },
      { name: 'mac', type: 'u8[ETH_ALEN]' },
      { name: '', type: '...' },
    ]);
  });

  it('node, body, hash and hasErrors', () => {
    const src = 'static void foo_a(void)\n{\n\tfoo();\n}\n\nstatic void foo_b(void)\n{\n\tfoo();\n}\n';
    const [a, b] = index(src);
    expect(a?.node.type).toBe('function_definition');
    expect(a?.body.type).toBe('compound_statement');
    expect(a?.hash).toBe(createHash('sha1').update(a?.node.text ?? '').digest('hex'));
    expect(a?.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(a?.hash).not.toBe(b?.hash);
    expect(a?.hasErrors).toBe(false);
    // Same text elsewhere in another file: same hash.
    const [moved] = index(`/* moved */\n\n${src}`);
    expect(moved?.hash).toBe(a?.hash);
  });

  it('function pointer parameters and parenthesized / attributed declarators', () => {
    const fns = index(`
static int foo_register(struct foo_priv *priv, void (*done)(struct foo_priv *, int),
			int (*const table[])(void))
{
	return 0;
}

static int (foo_paren)(int a)
{
	return a;
}

static void (*foo_get_cb(struct foo_priv *priv))(int)
{
	return NULL;
}

int [[gnu::unused]] foo_attr(int a)
{
	return a;
}
`);
    expect(fns.map((f) => f.name)).toEqual(['foo_register', 'foo_paren', 'foo_get_cb', 'foo_attr']);
    expect(fns[0]?.params).toEqual([
      { name: 'priv', type: 'struct foo_priv *' },
      { name: 'done', type: 'void (*)(struct foo_priv *, int)' },
      { name: 'table', type: 'int (*const[])(void)' },
    ]);
    expect(fns[1]?.params).toEqual([{ name: 'a', type: 'int' }]);
    expect(fns[2]?.params).toEqual([{ name: 'priv', type: 'struct foo_priv *' }]);
  });

  it('finds definitions inside #if / #ifdef / #else blocks', () => {
    const fns = index(`
#ifdef CONFIG_PM
static int foo_suspend(struct device *dev)
{
	return 0;
}
#if IS_ENABLED(CONFIG_FOO_DEBUG)
static void foo_dump(struct foo_priv *priv)
{
}
#endif
#else
static int foo_suspend_stub(struct device *dev)
{
	return 0;
}
#endif
`);
    expect(fns.map((f) => f.name)).toEqual(['foo_suspend', 'foo_dump', 'foo_suspend_stub']);
  });

  it('finds intact definitions inside top-level ERROR nodes', () => {
    // Unbalanced braces across #ifdef/#else (before the dialect mask blanks a branch):
    // tree-sitter wraps the region in an ERROR node, the second definition is intact.
    const fns = index(`
static int foo_good(int a)
{
	return a;
}

#ifdef CONFIG_FOO_A
static int foo_setup(struct foo_priv *priv) { if (priv->a) { }
#else
static int foo_setup(struct foo_priv *priv) {
#endif
	return 0;
}
`);
    expect(fns.map((f) => f.name)).toEqual(['foo_good', 'foo_setup']);
    const setup = fns[1];
    expect(setup?.node.parent?.type).toBe('ERROR');
    expect(setup?.params).toEqual([{ name: 'priv', type: 'struct foo_priv *' }]);
  });

  it('marks functions whose body has ERROR or MISSING nodes', () => {
    const [missing, error, ok] = index(`
static int foo_missing(int a)
{
	a = 1
	return a;
}

static int foo_error(int a)
{
	a = = ) 2;
	return a;
}

static int foo_ok(int a)
{
	return a;
}
`);
    expect(missing?.name).toBe('foo_missing');
    expect(missing?.hasErrors).toBe(true);
    expect(error?.hasErrors).toBe(true);
    expect(ok?.hasErrors).toBe(false);
  });

  it('ignores prototypes and does not throw on truncated files', () => {
    expect(index('static int foo_proto(int a);\nextern void foo_ext(void);\n')).toEqual([]);
    const src = 'static int foo_t(struct foo_priv *priv)\n{\n\tif (priv->x) {\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n';
    for (let cut = 0; cut <= src.length; cut++) {
      const fns = index(src.slice(0, cut));
      for (const f of fns) {
        expect(f.name).toBe('foo_t');
        expect(typeof f.hasErrors).toBe('boolean');
      }
    }
  });
});

describe('functionAt', () => {
  it('returns the function containing an offset', () => {
    const src = 'int foo_a(void)\n{\n\treturn 1;\n}\n\nint foo_b(void)\n{\n\treturn 2;\n}\n';
    const fns = index(src);
    expect(functionAt(fns, src.indexOf('return 1'))?.name).toBe('foo_a');
    expect(functionAt(fns, src.indexOf('return 2'))?.name).toBe('foo_b');
    expect(functionAt(fns, src.indexOf('int foo_b'))?.name).toBe('foo_b');
    expect(functionAt(fns, src.indexOf('\n\nint foo_b') + 1)).toBeUndefined();
    expect(functionAt(fns, src.length + 10)).toBeUndefined();
    expect(functionAt([], 0)).toBeUndefined();
  });
});
