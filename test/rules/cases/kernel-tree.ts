/**
 * A small kernel tree for rule cases (`kernelTree`): the case is drivers/dmalint/foo_main.c,
 * built by CONFIG_DMALINT_FOO, whose `depends on` is the argument. The architectures
 * define what real trees define: ARCH_FOO only under arch/arm, 64BIT under arm64 and
 * powerpc, PPC_PSERIES under arch/powerpc (through a sourced file).
 */
export function kernelTree(dependsOn: string): Record<string, string> {
  return {
    Kconfig: 'mainmenu "Linux Kernel Configuration"\n\nsource "drivers/Kconfig"\n',
    'arch/arm/Kconfig': 'config ARM\n\tbool\n\tdefault y\n\nconfig ARCH_FOO\n\tbool "Foo SoC family"\n',
    'arch/arm64/Kconfig': 'config ARM64\n\tdef_bool y\n\nconfig 64BIT\n\tdef_bool y\n',
    'arch/powerpc/Kconfig': 'config PPC\n\tdef_bool y\n\nconfig 64BIT\n\tbool\n\tdefault y if PPC64\n\nsource "arch/powerpc/platforms/Kconfig"\n',
    'arch/powerpc/platforms/Kconfig': 'config PPC_PSERIES\n\tbool "IBM pSeries & new (POWER5-based) iSeries"\n\tdepends on PPC64\n',
    'drivers/Kconfig': 'menu "Device Drivers"\n\nsource "drivers/dmalint/Kconfig"\n\nendmenu\n',
    'drivers/dmalint/Kconfig': `config DMALINT_FOO\n\ttristate "Foo DMA controller"\n\tdepends on ${dependsOn}\n\thelp\n\t  Say Y here; it depends on nothing in particular.\n`,
    'drivers/dmalint/Makefile': 'obj-$(CONFIG_DMALINT_FOO) += foo.o\nfoo-y := foo_main.o foo_hw.o\n',
  };
}
