/**
 * What a kbuild Makefile says about the objects of its directory: which `CONFIG_` symbol
 * (or none: `-y`) adds each object or subdirectory, and what composite objects are made of.
 * Only the plain forms are read (`obj-$(CONFIG_FOO) += a.o dir/`, `foo-y += a.o`,
 * `foo-objs := a.o`, `foo-$(CONFIG_BAR) += b.o`); anything else is ignored, so an object
 * added some other way is simply not found.
 */

/** One way an object or subdirectory is added: `symbol` undefined for `-y`/`-objs`. */
export interface ObjectRule {
  /** `obj` for the directory's objects, else the composite object's name without `.o`. */
  list: string;
  symbol?: string;
}

export interface Makefile {
  /** `name.o`, `dir/` or `$(list-y)` -> the rules that add it. */
  adds: ReadonlyMap<string, readonly ObjectRule[]>;
}

const ASSIGN = /^([A-Za-z0-9_.-]+?)-(y|objs|\$\(CONFIG_([A-Za-z0-9_]+)\))\s*(?:\+=|:=|=)\s*(.*)$/;

export function parseMakefile(text: string): Makefile {
  const adds = new Map<string, ObjectRule[]>();
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = ASSIGN.exec(line);
    if (!m) continue;
    const [, list, , symbol, rhs] = m;
    if (list === 'subdir' || list === 'ccflags' || list === 'lib' || list === 'always' || list === 'targets') continue;
    for (const word of rhs.split(/\s+/)) {
      // `$(hace-hash-y)`: a helper list spliced into this one (kept under that spelling)
      if (!/^[A-Za-z0-9_./-]+(\.o|\/)$/.test(word) && !/^\$\([A-Za-z0-9_.-]+-y\)$/.test(word)) continue;
      const rule: ObjectRule = symbol ? { list, symbol } : { list };
      const known = adds.get(word);
      if (known) known.push(rule);
      else adds.set(word, [rule]);
    }
  }
  return { adds };
}
