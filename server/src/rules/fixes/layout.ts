// Where a fix's text goes on its line: indentation and line breaks as the file already has them.

/** The file's line break: CRLF when it has any, else LF. */
export function lineBreak(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The whitespace that starts the line holding `at`, or null when code precedes `at` there. */
export function indentAt(source: string, at: number): string | null {
  const prefix = source.slice(source.lastIndexOf('\n', at - 1) + 1, at);
  return /^[ \t]*$/.test(prefix) ? prefix : null;
}

/** The indentation of the line holding `at`, whatever precedes `at` on it. */
export function lineIndent(source: string, at: number): string {
  const prefix = source.slice(source.lastIndexOf('\n', at - 1) + 1, at);
  return /^[ \t]*/.exec(prefix)?.[0] ?? '';
}

/** Nothing but blanks after `end` on its line (no trailing code or comment to carry along). */
export function restOfLineEmpty(source: string, end: number): boolean {
  const nl = source.indexOf('\n', end);
  return /^[ \t]*\r?$/.test(source.slice(end, nl < 0 ? source.length : nl));
}
