import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArches, narrowPlatforms, type BuildArches } from '../../server/src/kbuild/buildable';
import { evaluate, parseExpr, type Tri } from '../../server/src/kbuild/expr';
import { parseKconfig } from '../../server/src/kbuild/kconfig';
import { parseMakefile } from '../../server/src/kbuild/makefile';
import { memoryTree } from '../../server/src/kbuild/reader';
import { analyzeCase, c } from '../rules/rule-tester';
import { kernelTree } from '../rules/cases/kernel-tree';

const ROOT = '/linux';

/** A tree: the architectures of cases/kernel-tree.ts plus `files` (paths from the root). */
function tree(files: Record<string, string>, dependsOn = 'PCI') {
  const all = { ...kernelTree(dependsOn), ...files };
  return memoryTree(new Map(Object.entries(all).map(([rel, text]) => [join(ROOT, rel), text])));
}

function archesOf(path: string, files: Record<string, string>, dependsOn?: string): BuildArches {
  return buildArches(join(ROOT, path), tree(files, dependsOn));
}

const known = (b: BuildArches) => (b.kind === 'known' ? b.arches : b.reason);

describe('Kconfig expressions', () => {
  const values: Record<string, Tri> = { Y: 2, N: 0, M: 1 };
  const value = (text: string) => {
    const e = parseExpr(text);
    if (!e) throw new Error(`does not parse: ${text}`);
    return evaluate(e, (s) => values[s] ?? 1);
  };

  it('evaluates &&, ||, ! and parentheses in Kleene logic (unknown symbols are maybe)', () => {
    expect(value('Y && N')).toBe(0);
    expect(value('Y || N')).toBe(2);
    expect(value('!N && (Y || UNKNOWN)')).toBe(2);
    expect(value('UNKNOWN && Y')).toBe(1);
    expect(value('!(N || UNKNOWN)')).toBe(1);
    expect(value('N || !Y')).toBe(0);
  });

  it('reads =y/=m/!=n as the symbol and =n/!=y as its negation; other comparisons are maybe', () => {
    expect(value('N=y')).toBe(0);
    expect(value('Y=m')).toBe(2);
    expect(value('N!=n')).toBe(0);
    expect(value('N=n')).toBe(2);
    expect(value('Y!=y')).toBe(0);
    expect(value('N = "x86"')).toBe(1);
    expect(value('$(cc-option,-mfoo)')).toBe(1);
  });

  it('takes symbols that start with a digit, not numbers', () => {
    expect(parseExpr('64BIT')).toEqual({ kind: 'sym', name: '64BIT' });
    expect(parseExpr('440SPe || 440SP')).toEqual({ kind: 'or', args: [{ kind: 'sym', name: '440SPe' }, { kind: 'sym', name: '440SP' }] });
    expect(parseExpr('0x10')?.kind).toBe('const');
  });

  it('refuses what does not parse', () => {
    expect(parseExpr('(ARM || ARM64')).toBeUndefined();
    expect(parseExpr('ARM ||')).toBeUndefined();
    expect(parseExpr('')).toBeUndefined();
  });
});

describe('Makefiles', () => {
  it('reads obj- rules, composite objects, -objs and spliced helper lists', () => {
    const mk = parseMakefile(
      'obj-$(CONFIG_FOO) += foo.o bar/\nobj-y += core.o\nfoo-y := a.o \\\n\tb.o\nqux-objs := c.o $(hace-y)\nhace-$(CONFIG_HACE) := d.o # comment\n',
    );
    expect(mk.adds.get('foo.o')).toEqual([{ list: 'obj', symbol: 'FOO' }]);
    expect(mk.adds.get('bar/')).toEqual([{ list: 'obj', symbol: 'FOO' }]);
    expect(mk.adds.get('core.o')).toEqual([{ list: 'obj' }]);
    expect(mk.adds.get('b.o')).toEqual([{ list: 'foo' }]);
    expect(mk.adds.get('c.o')).toEqual([{ list: 'qux' }]);
    expect(mk.adds.get('$(hace-y)')).toEqual([{ list: 'qux' }]);
    expect(mk.adds.get('d.o')).toEqual([{ list: 'hace', symbol: 'HACE' }]);
  });
});

describe('Kconfig files', () => {
  it('collects depends on lines with enclosing if and menu blocks, and skips help texts', () => {
    const k = parseKconfig(
      [
        'if NET_VENDOR_FOO',
        'menu "Foo"',
        '\tdepends on PCI',
        'config FOO',
        '\ttristate "Foo"',
        '\tdepends on ARM64',
        '\thelp',
        '\t  This text says depends on X86 but is help.',
        '',
        '\t  config BOGUS is help too.',
        'endmenu',
        'config BAR',
        '\tbool',
        'endif',
        'config BAZ',
        '\tbool',
        'source "drivers/net/foo/Kconfig"',
        'rsource "sub/Kconfig"',
        'source "arch/$(SRCARCH)/Kconfig"',
      ].join('\n'),
    );
    expect([...k.symbols.keys()]).toEqual(['FOO', 'BAR', 'BAZ']);
    expect(k.symbols.get('FOO')).toEqual([
      {
        kind: 'and',
        args: [
          { kind: 'sym', name: 'NET_VENDOR_FOO' },
          { kind: 'sym', name: 'PCI' },
          { kind: 'sym', name: 'ARM64' },
        ],
      },
    ]);
    expect(k.symbols.get('BAR')).toEqual([{ kind: 'sym', name: 'NET_VENDOR_FOO' }]);
    expect(k.symbols.get('BAZ')).toEqual([{ kind: 'const', value: 2 }]);
    expect(k.sources).toEqual([
      { path: 'drivers/net/foo/Kconfig', relative: false },
      { path: 'sub/Kconfig', relative: true },
    ]);
  });
});

describe('buildArches', () => {
  const FILE = 'drivers/dmalint/foo_main.c';

  it('follows a composite object to its symbol and the symbol to the architectures', () => {
    expect(known(archesOf(FILE, {}, 'PPC_PSERIES'))).toEqual(['other']);
    expect(known(archesOf(FILE, {}, 'ARCH_FOO || COMPILE_TEST'))).toEqual(['arm']);
    expect(known(archesOf(FILE, {}, '64BIT'))).toEqual(['arm64', 'other']);
    expect(known(archesOf(FILE, {}, '!64BIT'))).toEqual(['arm', 'arm64', 'other']);
    expect(known(archesOf(FILE, {}, 'ARM || ARM64'))).toEqual(['arm', 'arm64']);
    expect(known(archesOf(FILE, {}, '(PPC || ARM64) && !CPU_BIG_ENDIAN && PCI'))).toEqual(['arm64', 'other']);
  });

  it('never narrows on symbols it cannot place', () => {
    expect(known(archesOf(FILE, {}, 'PCI && HAS_DMA'))).toEqual(['arm', 'arm64', 'other']);
    expect(known(archesOf(FILE, {}, 'PCI || COMPILE_TEST'))).toEqual(['arm', 'arm64', 'other']);
  });

  it('follows dependencies through other symbols of the Kconfig files it reads', () => {
    const kconfig = 'config DMALINT_CORE\n\ttristate "core"\n\tdepends on ARCH_FOO || COMPILE_TEST\n\nconfig DMALINT_FOO\n\ttristate "foo"\n\tdepends on DMALINT_CORE\n';
    expect(known(archesOf(FILE, { 'drivers/dmalint/Kconfig': kconfig }))).toEqual(['arm']);
  });

  it('takes the directory from the parent Makefile when the object is obj-y', () => {
    const files = {
      'drivers/Makefile': 'obj-$(CONFIG_DMALINT_FOO) += dmalint/\n',
      'drivers/dmalint/Makefile': 'obj-y += foo_main.o\n',
    };
    expect(known(archesOf(FILE, files, 'PPC_PSERIES'))).toEqual(['other']);
  });

  it('finds an object named with its path in a parent Makefile, and the Kconfig of a parent', () => {
    const files = {
      'drivers/dmalint/Makefile': 'obj-$(CONFIG_DMALINT_FOO) += foo.o\nfoo-$(CONFIG_DMALINT_HW) += hw/foo_hw.o\n',
      'drivers/dmalint/Kconfig': 'config DMALINT_FOO\n\ttristate "foo"\n\nconfig DMALINT_HW\n\tbool "hw"\n\tdepends on DMALINT_FOO && ARCH_FOO\n',
    };
    expect(known(archesOf('drivers/dmalint/hw/foo_hw.c', files))).toEqual(['arm']);
  });

  it('reads the ARCH_ symbol from the architecture that defines it, through sourced files', () => {
    const files = { 'arch/arm64/Kconfig': 'config ARM64\n\tdef_bool y\n\nsource "arch/arm64/Kconfig.platforms"\n', 'arch/arm64/Kconfig.platforms': 'config ARCH_FOO\n\tbool "Foo, 64-bit"\n' };
    expect(known(archesOf(FILE, files, 'ARCH_FOO'))).toEqual(['arm', 'arm64']);
  });

  it('is unknown without a Makefile rule, a Kconfig entry, or a kernel tree', () => {
    expect(archesOf('drivers/dmalint/other.c', {}, 'PPC_PSERIES').kind).toBe('unknown');
    expect(archesOf(FILE, { 'drivers/dmalint/Kconfig': 'config SOMETHING_ELSE\n\tbool\n' }, 'PPC_PSERIES').kind).toBe('unknown');
    const noArch = memoryTree(new Map([[join(ROOT, 'Kconfig'), ''], [join(ROOT, 'drivers/dmalint/Makefile'), 'obj-y += foo_main.o\n']]));
    expect(buildArches(join(ROOT, FILE), noArch).kind).toBe('unknown');
    expect(buildArches('/elsewhere/foo.c', noArch).kind).toBe('unknown');
  });

  it('narrows nothing from a broken depends line', () => {
    expect(known(archesOf(FILE, {}, '(PPC_PSERIES ||'))).toEqual(['arm', 'arm64', 'other']);
    expect(known(archesOf(FILE, { 'drivers/dmalint/Kconfig': 'config DMALINT_FOO\n\tdepends on ((PPC\n\tdepends on &&\n' }))).toEqual(['arm', 'arm64', 'other']);
  });
});

describe('narrowPlatforms', () => {
  const all = ['coherent', 'armv7', 'arm64', 'arm64-pre-5.19', 'swiotlb'] as const;
  it('drops the ARM platforms an architecture set lacks, never coherent or swiotlb', () => {
    expect(narrowPlatforms(all, { kind: 'known', symbols: ['X'], arches: ['other'] })).toEqual(['coherent', 'swiotlb']);
    expect(narrowPlatforms(all, { kind: 'known', symbols: ['X'], arches: ['arm'] })).toEqual(['coherent', 'armv7', 'swiotlb']);
    expect(narrowPlatforms(all, { kind: 'known', symbols: ['X'], arches: ['arm64', 'other'] })).toEqual(['coherent', 'arm64', 'arm64-pre-5.19', 'swiotlb']);
    expect(narrowPlatforms(all, { kind: 'unknown', reason: 'x' })).toEqual([...all]);
  });
});

describe('findings in a kernel tree', () => {
  const LEAK_AND_READ = c`
    static int foo_rx(struct foo *f, u8 *buf, size_t len)
    {
    	dma_addr_t h;

    	h = dma_map_single(f->dev, buf, len, DMA_FROM_DEVICE);
    	if (dma_mapping_error(f->dev, h))
    		return -ENOMEM;
    	if (foo_busy(f))
    		return -EBUSY;
    	foo_wait(f);
    	f->status = buf[0];
    	dma_unmap_single(f->dev, h, len, DMA_FROM_DEVICE);
    	return 0;
    }
  `;
  const run = (dependsOn: string, platforms?: ('armv7' | 'arm64' | 'swiotlb')[]) =>
    analyzeCase('kbuild', { name: `${dependsOn} ${platforms?.join(',') ?? ''}`, code: LEAK_AND_READ, kernelTree: kernelTree(dependsOn), ...(platforms ? { settings: { platforms } } : {}) });

  it('a memory-model finding lists and names only the platforms the driver builds for', () => {
    const read = run('PPC_PSERIES').find((f) => f.rule === 'dma/cpu-access-while-device-owned');
    expect(read?.platforms).toEqual(['swiotlb']);
    expect(read?.message).toMatch(/corrupts on swiotlb \(/);
    const traced = new Set(read?.trace?.flatMap((t) => t.places.map((p) => p.platform)));
    expect(traced.has('swiotlb') && !traced.has('armv7') && !traced.has('arm64')).toBe(true);
  });

  it('a leak lists the narrowed platforms, or the chosen ones when narrowing left none', () => {
    expect(run('PPC_PSERIES').find((f) => f.rule === 'dma/leak-on-error-path')?.platforms).toEqual(['coherent', 'swiotlb']);
    const onlyArm = run('PPC_PSERIES', ['armv7', 'arm64']);
    expect(onlyArm.map((f) => f.rule)).toEqual(['dma/leak-on-error-path']);
    expect(onlyArm[0].platforms).toEqual(['armv7', 'arm64']);
  });
});
