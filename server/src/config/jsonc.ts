/**
 * JSON with comments, as `.dmalint.json` allows (`//` and `/* *\/`). Comments are replaced
 * by spaces, so the offsets in JSON.parse errors still point into the original text.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i = Math.min(i + 1, text.length);
      out += text.slice(start, i);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\r\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses JSON with comments; a syntax error comes back as `line L, column C: message`. */
export function parseJsonc(text: string): JsonParseResult {
  const stripped = stripJsonComments(text.replace(/^\uFEFF/, ''));
  try {
    return { ok: true, value: JSON.parse(stripped) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    if (!m) return { ok: false, error: message };
    const offset = Number(m[1]);
    const before = stripped.slice(0, offset).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    return { ok: false, error: `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}` };
  }
}
