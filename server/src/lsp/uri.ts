import { fileURLToPath } from 'node:url';

/** The file system path of a `file:` URI; undefined for `untitled:` and other schemes. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
