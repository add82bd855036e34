/**
 * Small mutated C inputs for the robustness tests (the big versions are in
 * scripts/robustness.mjs). Deterministic: a seeded generator, no kernel tree needed.
 */

export const UNCHECKED_BUG = `static int foo_xmit(struct device *dev, void *buf, size_t len)
{
	dma_addr_t h;

	/* map the buffer "for the device" */
	h = dma_map_single(dev, buf, len, DMA_TO_DEVICE);
	writel(lower_32_bits(h), foo_regs + FOO_TX_ADDR);
	return 0;
}
`;

/** A driver-shaped file: comments, strings, #if, error paths, a map that is checked and one that is not. */
export const DRIVER = `// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#define RING_SIZE 64 /* entries */

struct foo_priv {
	struct device *dev;
	void *rx_buf;
	dma_addr_t rx_dma;
};

static const char *foo_name = "foo \\"dma\\" driver /* not a comment */";

static int foo_rx_init(struct foo_priv *p, size_t len)
{
	p->rx_dma = dma_map_single(p->dev, p->rx_buf, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(p->dev, p->rx_dma)) {
		dev_err(p->dev, "%s: map failed\\n", foo_name);
		return -ENOMEM;
	}
#ifdef CONFIG_FOO_DEBUG
	if (len > RING_SIZE) {
		dma_unmap_single(p->dev, p->rx_dma, len, DMA_FROM_DEVICE);
		return -EINVAL;
	}
#else
	(void)len;
#endif
	return 0;
}

${UNCHECKED_BUG}`;

export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function repeatTo(text: string, size: number): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < size; i++) {
    const t = text.replace(/foo_xmit/g, `foo_xmit_${i}`);
    parts.push(t);
    n += t.length;
  }
  return parts.join('').slice(0, size);
}

export function bigFile(size: number): string {
  return repeatTo(UNCHECKED_BUG, size);
}

/** Nesting `depth` deep inside a function that maps. */
export function deep(open: string, close: string, depth: number, closed: boolean): string {
  return `static int f(struct device *d, void *b, size_t n, int x)\n{\n\tdma_addr_t h = dma_map_single(d, b, n, DMA_TO_DEVICE);\n${open.repeat(depth)}\n\th = dma_map_single(d, b, n, DMA_FROM_DEVICE);\n${closed ? close.repeat(depth) : ''}\n\treturn 0;\n}\n`;
}

/** `n` maps in one function: the analysis cost grows with n² (see robustness report). */
export function manyMaps(n: number, sep = '\n'): string {
  return `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h;\n${`\th = dma_map_single(d, b, n, DMA_TO_DEVICE);${sep}`.repeat(n)}\n\treturn 0;\n}\n`;
}

/** name → text. Strings only: invalid UTF-8 reaches the server decoded (U+FFFD) or as lone surrogates. */
export function variants(): [string, string][] {
  const r = rng(42);
  const out: [string, string][] = [];
  const text = DRIVER;
  for (let i = 0; i < 6; i++) out.push([`cut-rand${i}.c`, text.slice(0, Math.floor(r() * text.length))]);
  out.push(['cut-comment.c', text.slice(0, text.indexOf('/* entries') + 4)]);
  out.push(['cut-string.c', text.slice(0, text.indexOf('"foo') + 3)]);
  out.push(['cut-call.c', text.slice(0, text.indexOf('dma_map_single') + 15)]);
  out.push(['cut-char-escape.c', text.slice(0, text.indexOf('\\"dma') + 1)]);
  out.push(['random-chars.c', Array.from({ length: 20000 }, () => String.fromCharCode(1 + Math.floor(r() * 0xfffe))).join('')]);
  const soup = ['{', '}', '(', ')', ';', '#if X\n', '#endif\n', '#else\n', '"', "'", '/*', '*/', '//', '\\\n', 'if', 'else', 'goto l;', 'l:', 'dma_map_single(d, b, 4, DMA_TO_DEVICE)', 'dma_mapping_error(d, h)', 'h =', 'return'];
  out.push(['token-soup.c', Array.from({ length: 5000 }, () => soup[Math.floor(r() * soup.length)]).join(' ')]);
  out.push(['invalid-utf8-decoded.c', text.replace(/map/g, 'm\ufffdap').replace(/buffer/g, '\ufffd\ufffd')]);
  out.push(['lone-surrogates.c', text.replace(/the buffer/g, 'the \ud800 buf \udfff fer').replace('foo_name', 'foo_\udc00name')]);
  out.push(['crlf.c', text.replace(/\n/g, '\r\n')]);
  out.push(['cr.c', text.replace(/\n/g, '\r')]);
  out.push(['mixed-eol.c', text.split('\n').map((l, i) => l + ['\n', '\r\n', '\r', '\u2028'][i % 4]).join('')]);
  out.push(['bom.c', `\ufeff${text}`]);
  out.push(['empty.c', '']);
  out.push(['deep-braces.c', deep('{', '}', 10000, true)]);
  out.push(['deep-braces-open.c', deep('{', '}', 10000, false)]);
  out.push(['deep-parens.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'('.repeat(10000)}n${')'.repeat(10000)}, DMA_TO_DEVICE);\n\treturn 0;\n}\n`]);
  out.push(['deep-parens-open.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'('.repeat(10000)}n, DMA_TO_DEVICE);\n}\n`]);
  out.push(['deep-if.c', deep('if (x) {', '}', 10000, true)]);
  out.push(['deep-if-open.c', deep('if (x) {', '}', 10000, false)]);
  out.push(['deep-else-if.c', deep('if (x) { h = 0; } else ', '', 10000, false)]);
  out.push(['deep-binary.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, ${'n + '.repeat(20000)}n, DMA_TO_DEVICE);\n\treturn 0;\n}\n`]);
  out.push(['deep-ifdef.c', `${'#ifdef A\n'.repeat(10000)}${UNCHECKED_BUG}${'#endif\n'.repeat(10000)}`]);
  out.push(['unbalanced-endif.c', `#endif\n#else\n#elif X\n${UNCHECKED_BUG}`]);
  out.push(['unbalanced-if.c', `#if A\n#if B\n${UNCHECKED_BUG}#else\n#else\n}\n`]);
  out.push(['no-endif.c', text.replace(/^#endif$/m, '')]);
  out.push(['pp-splits-braces.c', `static int foo(struct device *dev, void *buf, size_t len)\n{\n#if A\n\tif (x) {\n#else\n\tif (y) {\n#endif\n\tdma_addr_t h = dma_map_single(dev, buf, len, DMA_TO_DEVICE);\n#ifdef B\n\t}\n#endif\n\treturn 0;\n}\n`]);
  out.push(['one-long-line.c', `static int f(struct device *d, void *b, size_t n)\n{\n\tdma_addr_t h = dma_map_single(d, b, n, DMA_TO_DEVICE); /*${'x'.repeat(1024 * 1024)}*/ if (dma_mapping_error(d, h)) return -1;\n\treturn 0;\n}\n`]);
  out.push(['long-identifier.c', UNCHECKED_BUG.replace(/\bbuf\b/g, `b${'u'.repeat(100000)}f`)]);
  return out;
}
