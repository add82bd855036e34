import { describe, expect, it } from 'vitest';
import { dialectTable, maskKernelDialect } from '../../server/src/c/mask';

/** Asserts the structural guarantees and returns the masked text. */
function mask(text: string, macros?: Parameters<typeof maskKernelDialect>[1]): string {
  const out = maskKernelDialect(text, macros);
  expect(out.length).toBe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') expect(out[i]).toBe(c);
    if (out[i] !== c) expect(out[i] === ' ' || /[A-Za-z_"|0]/.test(out[i])).toBe(true);
  }
  return out;
}

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trimEnd());
}

describe('maskKernelDialect: table categories', () => {
  it('blanks annotations but keeps __le32-style types', () => {
    const src = 'static void __iomem *base __read_mostly;\nstatic __le32 __init foo(u32 __user *p);\n';
    const out = mask(src);
    expect(out).toBe('static void         *base              ;\nstatic __le32        foo(u32        *p);\n');
  });

  it('blanks annotations with their balanced arguments', () => {
    const src = 'struct s { u8 buf[64] __aligned(sizeof(long)); } __packed;\nvoid f(void) __acquires(&x->lock);\n';
    const out = mask(src);
    const blanked = (t: string, ...names: string[]): string =>
      names.reduce((acc, n) => acc.replace(n, ' '.repeat(n.length)), t);
    expect(out).toBe(blanked(src, '__aligned(sizeof(long))', '__packed', '__acquires(&x->lock)'));
  });

  it('turns iterators into while and keeps the argument list', () => {
    const src = '\tlist_for_each_entry(pos, &head, node) {\n\t\tfor_each_sg(sgl, sg, n, i)\n';
    const out = mask(src);
    expect(lines(out)).toEqual(['\twhile              (pos, &head, node) {', '\t\twhile      (sgl, sg, n, i)', '']);
  });

  it('leaves an iterator name alone when no argument list follows', () => {
    expect(mask('x = list_for_each_entry;')).toBe('x = list_for_each_entry;');
  });

  it('blanks statement macros with their ; and module registration', () => {
    const src = 'module_param(debug, int, 0644);\nMODULE_PARM_DESC(debug, "x");\nmodule_pci_driver(foo_driver);\n';
    expect(lines(mask(src))).toEqual(['', '', '', '']);
  });

  it('turns type arguments into expressions', () => {
    const src = 'p = container_of(w, struct foo_priv, work);\nn = min_t(unsigned int, a, b);\n';
    expect(lines(mask(src))).toEqual([
      'p = container_of(w,        foo_priv, work);',
      'n = min_t(0           , a, b);',
      '',
    ]);
  });

  it('keeps only the declared name of declaring macros', () => {
    const src = 'static DEFINE_TIMER(my_timer, my_fn);\nstatic DEFINE_PER_CPU(struct st, pcpu);\n';
    expect(lines(mask(src))).toEqual(['static DEFINE_TIMER(my_timer       );', 'static DEFINE_PER_CPU(           pcpu);', '']);
  });

  it('makes KERN_* string literals', () => {
    expect(mask('printk(KERN_ERR DRV "x");')).toBe('printk("      " DRV "x");');
  });

  it('extends the table from MacroSettings', () => {
    const src = 'static int __my_attr x;\nmy_each(a, b) {\n}\nint y __my_sect(".x");\n';
    const out = mask(src, { annotations: ['__my_attr'], iterators: ['my_each'], annotationsWithArgs: ['__my_sect'] });
    expect(lines(out)).toEqual(['static int           x;', 'while  (a, b) {', '}', 'int y                ;', '']);
  });

  it('ships a non-trivial table', () => {
    const t = dialectTable();
    expect(t.annotations).toContain('__iomem');
    expect(t.annotations).not.toContain('__le32');
    expect(t.iterators).toContain('list_for_each_entry_safe');
    expect(t.annotationsWithArgs).toContain('__aligned');
  });
});

describe('maskKernelDialect: comments and literals', () => {
  it('never touches comments, strings or char literals', () => {
    const src = [
      '/* __iomem list_for_each_entry(a, b, c) { */',
      '// __user #if 0',
      'const char *s = "__iomem \\" for_each_sg(x) __aligned(4)";',
      "char c = '\"'; int __iomem *p;",
      '',
    ].join('\n');
    const out = mask(src);
    const l = out.split('\n');
    expect(l[0]).toBe('/* __iomem list_for_each_entry(a, b, c) { */');
    expect(l[1]).toBe('// __user #if 0');
    expect(l[2]).toBe('const char *s = "__iomem \\" for_each_sg(x) __aligned(4)";');
    expect(l[3]).toBe("char c = '\"'; int         *p;");
  });

  it('does not see directives inside block comments', () => {
    const src = '/*\n#if 0\n*/\nint a;\n';
    expect(mask(src)).toBe(src);
  });
});

describe('maskKernelDialect: preprocessor conditionals', () => {
  it('blanks #if 0 regions whole and keeps #else of #if 0', () => {
    const src = '#if 0\nint dead;\n#else\nint live;\n#endif\n';
    expect(lines(mask(src))).toEqual(['', '', '', 'int live;', '', '']);
  });

  it('keeps the first branch of unknown conditions and blanks #elif/#else', () => {
    const src = [
      '#ifdef CONFIG_PM',
      'static int a(void) {',
      '#elif defined(CONFIG_X)',
      'static int b(void) {',
      '#else',
      'static int c(void) {',
      '#endif',
      '\treturn 0;',
      '}',
      '',
    ].join('\n');
    expect(lines(mask(src))).toEqual(['', 'static int a(void) {', '', '', '', '', '', '\treturn 0;', '}', '']);
  });

  it('respects defines for #ifdef/#ifndef/#if', () => {
    const src = '#ifndef CONFIG_A\nint a;\n#else\nint b;\n#endif\n#if defined(CONFIG_A) && !CONFIG_B\nint c;\n#else\nint d;\n#endif\n';
    const out = lines(mask(src, { defines: { CONFIG_A: '1', CONFIG_B: '0' } }));
    expect(out).toEqual(['', '', '', 'int b;', '', '', 'int c;', '', '', '', '']);
    const out2 = lines(mask(src));
    expect(out2).toEqual(['', 'int a;', '', '', '', '', 'int c;', '', '', '', '']);
  });

  it('handles nesting, continuations and comments on directive lines', () => {
    const src = [
      '#if 0',
      '#ifdef X',
      'int x;',
      '#endif',
      'int y;',
      '#else /* a comment',
      '   spanning lines */',
      '#if defined(A) || \\',
      '    defined(B)',
      'int z;',
      '#endif',
      '#endif',
      'int w;',
      '',
    ].join('\n');
    expect(lines(mask(src))).toEqual(['', '', '', '', '', '', '', '', '', 'int z;', '', '', 'int w;', '']);
  });

  it('copes with unbalanced directives', () => {
    expect(lines(mask('#endif\nint a;\n#else\nint b;\n'))).toEqual(['#endif', 'int a;', '#else', 'int b;', '']);
    expect(lines(mask('int a;\n#if 0\nint b;\n{\n'))).toEqual(['int a;', '', '', '', '']);
    expect(lines(mask('#ifdef X\nint a;\n#else\nint b;\n'))).toEqual(['', 'int a;', '', '', '']);
  });

  it('leaves #include and #define alone at file scope', () => {
    const src = '#include <linux/dma-mapping.h>\n#define FOO(x) __iomem x\n';
    expect(mask(src)).toBe(src);
  });
});

describe('maskKernelDialect: robustness', () => {
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 0x100000000;
    };
  }
  const pieces = [
    '#if 0', '#ifdef X', '#else', '#elif 1', '#endif', '#define A(x...) x', '\\\n', '\n', '\r\n', '/*', '*/', '//',
    '"', "'", '\\', '(', ')', '{', '}', ';', ',', '...', '__iomem', '__aligned(', 'list_for_each_entry(',
    'container_of(', 'struct x', 'KERN_ERR', 'static', 'DEFINE_MUTEX(', 'FOO(a)', 'x', ' ', '\t', '\0',
    '\ud800', '\udc00', '\ud83d\ude00', 'é', '#', 'module_param(', 'case 1 ... 2:',
  ];

  it('never throws and always preserves length and line breaks on garbage', () => {
    const r = rng(42);
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = Math.floor(r() * 60);
      for (let i = 0; i < len; i++) {
        if (r() < 0.1) s += String.fromCharCode(Math.floor(r() * 0x10000));
        else s += pieces[Math.floor(r() * pieces.length)];
      }
      const out = maskKernelDialect(s);
      expect(out.length).toBe(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 10 || c === 13) expect(out.charCodeAt(i)).toBe(c);
      }
    }
  });

  it('is fast on a 1 MB file', () => {
    const fn = [
      'static int __init foo_probe(struct pci_dev *pdev) /* probe */',
      '{',
      '\tstruct foo_priv *p = container_of(pdev, struct foo_priv, pdev);',
      '\tvoid __iomem *base;',
      '#ifdef CONFIG_FOO',
      '\tlist_for_each_entry(d, &p->list, node) {',
      '\t\td->addr = dma_map_single(&pdev->dev, d->buf, d->len, DMA_TO_DEVICE);',
      '\t\tif (dma_mapping_error(&pdev->dev, d->addr)) return -ENOMEM; // "x"',
      '\t}',
      '#else',
      '\tp = NULL;',
      '#endif',
      '\treturn 0;',
      '}',
      '',
    ].join('\n');
    const text = fn.repeat(Math.ceil((1 << 20) / fn.length));
    maskKernelDialect(text);
    const t0 = performance.now();
    const out = maskKernelDialect(text);
    const ms = performance.now() - t0;
    expect(out.length).toBe(text.length);
    expect(ms).toBeLessThan(500);
  });
});

describe('file-local #undef', () => {
  it('an #undef earlier in the file makes a later #ifdef take its #else branch', () => {
    const src = ['#undef USE_SG', '#ifdef USE_SG', 'int a = sg_path();', '#else', 'int b = linear_path();', '#endif', ''].join('\n');
    const out = maskKernelDialect(src);
    expect(out).not.toContain('sg_path');
    expect(out).toContain('linear_path');
    expect(out.length).toBe(src.length);
  });

  it('a #define after the #undef turns it back on', () => {
    const src = ['#undef USE_SG', '#define USE_SG', '#ifdef USE_SG', 'int a = sg_path();', '#else', 'int b = linear_path();', '#endif', ''].join('\n');
    const out = maskKernelDialect(src);
    expect(out).toContain('sg_path');
    expect(out).not.toContain('linear_path');
  });
});
