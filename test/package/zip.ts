import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * A tiny reader for the zips vsce writes (stored or deflated entries, no zip64), so the
 * package tests need neither Debian's unzip nor another dependency.
 */
export function unzip(file: string, into: string): string[] {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file}: not a zip (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  const root = resolve(into);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + skip;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    const target = resolve(root, name);
    if (!target.startsWith(root + sep)) throw new Error(`${file}: entry escapes the target: ${name}`);
    names.push(name);
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(target), { recursive: true });
    if (method === 0) writeFileSync(target, raw);
    else if (method === 8) writeFileSync(target, inflateRawSync(raw));
    else throw new Error(`${file}: ${name}: compression method ${method}`);
  }
  return names;
}

export const extensionPath = (into: string, rel: string): string => join(into, 'extension', rel);
