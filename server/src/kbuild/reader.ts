import { memoryResolver, type IncludeResolver } from '../c/headers';

/**
 * How the kbuild reader sees a tree: file texts with stamps (the include resolver's
 * interface) and the names in a directory. The engine never touches the file system; the
 * LSP side reads the disk, tests give an in-memory tree.
 */
export interface KbuildReader extends IncludeResolver {
  /** The entries of a directory (names, not paths); undefined when it is not one. */
  list(dir: string): readonly string[] | undefined;
}

/** An in-memory tree (tests): absolute path -> text; directories are implied by the paths. */
export function memoryTree(files: ReadonlyMap<string, string>): KbuildReader {
  const texts = memoryResolver(files);
  return {
    read: (path) => texts.read(path),
    list: (dir) => {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      const names = new Set<string>();
      for (const p of files.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
      return names.size > 0 ? [...names] : undefined;
    },
  };
}
