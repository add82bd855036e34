import { join } from 'node:path';
import type { KbuildReader } from './reader';
import { walkKconfigs } from './cache';

/**
 * Which architectures can define a symbol, read from the tree: the kernel's top Kconfig
 * sources `arch/$(SRCARCH)/Kconfig`, so a symbol defined only in the Kconfig files reached
 * from `arch/<arch>/Kconfig` exists only when building for <arch> (ARCH_ASPEED: arm;
 * PPC_PSERIES: powerpc; 64BIT: arm64 and others, never arm).
 *
 * Only symbols whose names say they are about the architecture are pinned this way: the
 * architectures' own names, `ARCH_*` SoC families, the per-architecture prefixes, and
 * names starting with a digit (64BIT, 440SPe, 8xx). A few
 * generic symbols (ISA, PM, HZ, ...) are also defined in some architectures' Kconfig
 * files and elsewhere in the tree, which this index does not read; the name filter keeps
 * them out. Capability symbols (`ARCH_HAS_*`, ...) are left out too: they are selected by
 * architectures, not chosen by a driver's platform.
 */

export type Arch = 'arm' | 'arm64' | 'other';

const PINNABLE = /^(ARM|ARM64|64BIT|X86|X86_32|X86_64|SUPERH|ALPHA|IA64|PARISC|M68K|S390|MIPS|SPARC|RISCV|LOONGARCH|PPC|ARCH_\w+|PPC\w+|X86_\w+|SPARC\w+|MIPS_\w+|S390_\w+|M68K_\w+|RISCV_\w+|\d\w*)$/;
const CAPABILITY = /^ARCH_(HAS|HAVE|WANT|SUPPORTS|USE|USES|MIGHT|ENABLE|INLINE|MMAP|NO|SELECT|SPARSEMEM|FLATMEM|PROC|STACKWALK|HIBERNATION|SUSPEND|CORRECT|BINFMT|CLOCKSOURCE|DEFCONFIG|EPHEMERAL|KEEP|NEED|FORCE|STRICT|WANTS|HAVE_NMI)\w*$/;

/** Kconfig files followed per architecture at most. */
const MAX_FILES_PER_ARCH = 400;

export type ArchIndex = ReadonlyMap<string, ReadonlySet<Arch>>;

/** Per reader (one per server process; a test's in-memory tree) and tree root. */
const indexes = new WeakMap<KbuildReader, Map<string, ArchIndex>>();

function archOf(dir: string): Arch {
  return dir === 'arm' ? 'arm' : dir === 'arm64' ? 'arm64' : 'other';
}

/**
 * Symbol -> the architectures whose Kconfig files define it, for the pinnable symbols.
 * Built once per tree root and process: architecture Kconfig files do not change while
 * drivers are edited.
 */
export function archIndex(root: string, reader: KbuildReader): ArchIndex {
  let byRoot = indexes.get(reader);
  if (!byRoot) indexes.set(reader, (byRoot = new Map()));
  const known = byRoot.get(root);
  if (known) return known;
  const index = new Map<string, Set<Arch>>();
  for (const dir of reader.list(join(root, 'arch')) ?? []) {
    const arch = archOf(dir);
    const own = join(root, 'arch', dir) + '/';
    // an architecture's files only: `source "lib/Kconfig"` from arch/ is generic
    walkKconfigs([join(own, 'Kconfig')], root, reader, MAX_FILES_PER_ARCH, (_, next) => next.startsWith(own), (_, file) => {
      for (const name of file.symbols.keys()) {
        if (!PINNABLE.test(name) || CAPABILITY.test(name)) continue;
        const arches = index.get(name);
        if (arches) arches.add(arch);
        else index.set(name, new Set([arch]));
      }
    });
  }
  byRoot.set(root, index);
  return index;
}
