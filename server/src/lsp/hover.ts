import { type Hover, MarkupKind, type Position, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, RelatedSite } from '../../../shared/src/findings';
import { lookupApi } from '../dma/catalogue';
import { ruleDocsUrl } from '../rules/meta';

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Words that messages use in prose too ("returns if ..."); never a handle or buffer. */
const KEYWORDS = new Set(
  'auto break case char const continue default do double else enum extern float for goto if int long register return short signed sizeof static struct switch typedef union unsigned void volatile while'.split(' '),
);

/**
 * Hover over a DMA API call or a handle / buffer identifier: the findings that involve it,
 * with their rule page and the other sites of each finding ("line 128: stored here"), so
 * the whole story of a mapping is readable where the cursor is. Computed from the findings
 * of the CURRENT text (the caller checks the version), never from what a client cached.
 *
 * A finding involves the identifier under the cursor when
 *  - the cursor is inside the finding's range or one of its related sites, or
 *  - the identifier is a DMA API function and the finding or a related site is on its line, or
 *  - the message names the identifier (`'dma'`, `rn_priv.rx_dma[]`) and its line is a
 *    finding or related line, or lies between the first and last of them (the handle's life).
 */
export function hover(doc: TextDocument, findings: readonly Finding[], position: Position): Hover | null {
  const word = wordAt(doc, position);
  if (!word || KEYWORDS.has(word.text)) return null;
  const line = position.line;
  const api = lookupApi(word.text) !== undefined;
  const hits = findings.filter((f) => involves(doc.uri, f, word.text, line, position, api));
  if (hits.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: hits.map((f) => describe(doc.uri, f)).join('\n\n---\n\n') }, range: word.range };
}

function involves(uri: string, f: Finding, word: string, line: number, pos: Position, api: boolean): boolean {
  const sites = [f.range, ...f.related.filter((r) => sameDoc(uri, r)).map((r) => r.range)];
  if (sites.some((r) => contains(r, pos))) return true;
  const onLine = sites.some((r) => r.start.line <= line && r.end.line >= line);
  if (api && onLine) return true;
  if (!mentions(f.message, word)) return false;
  if (onLine) return true;
  const first = Math.min(...sites.map((r) => r.start.line));
  const last = Math.max(...sites.map((r) => r.end.line));
  return line >= first && line <= last;
}

function describe(uri: string, f: Finding): string {
  const head = `**${f.rule}** (${f.severity}) · [rule page](${ruleDocsUrl(f.rule)})`;
  const parts = [head, escape(f.message)];
  const fn = f.function ? ` in \`${f.function}()\`` : '';
  parts.push(`reported at line ${f.range.start.line + 1}${fn}`);
  if (f.related.length > 0) {
    parts.push(f.related.map((r) => `- ${where(uri, r)}: ${escape(r.message)}`).join('\n'));
  }
  if (f.trace && f.trace.length > 0) parts.push(traceTable(f));
  return parts.join('\n\n');
}

/** The memory-model proof as a markdown table: step, platform, cache, RAM, bounce slot. */
function traceTable(f: Finding): string {
  const rows = ['| step | platform | CPU cache | RAM | bounce slot |', '|---|---|---|---|---|'];
  for (const t of f.trace ?? []) {
    t.places.forEach((p, i) => {
      const stepCell = i === 0 ? `line ${t.line}: ${escape(t.event)}` : '';
      rows.push(`| ${stepCell} | ${p.platform} | ${p.cache} | ${p.ram} | ${p.bounce} |`);
    });
  }
  return rows.join('\n');
}

function where(uri: string, r: RelatedSite): string {
  const line = `line ${r.range.start.line + 1}`;
  if (sameDoc(uri, r)) return line;
  const file = decodeURIComponent(r.uri!.slice(r.uri!.lastIndexOf('/') + 1));
  return `${file} ${line}`;
}

const sameDoc = (uri: string, r: RelatedSite): boolean => r.uri === undefined || r.uri === uri;

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/** The message names the identifier as a whole word (`'dma'`, `priv.tx_dma[]`, `count`). */
function mentions(message: string, word: string): boolean {
  for (const m of message.matchAll(IDENT)) if (m[0] === word) return true;
  return false;
}

function wordAt(doc: TextDocument, p: Position): { text: string; range: Range } | undefined {
  const text = doc.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } });
  for (const m of text.matchAll(IDENT)) {
    const start = m.index;
    const end = start + m[0].length;
    if (p.character >= start && p.character <= end) {
      return { text: m[0], range: { start: { line: p.line, character: start }, end: { line: p.line, character: end } } };
    }
  }
  return undefined;
}

/** Messages are plain text; keep `*`, `_`, `[`, `<` and friends from turning into markup. */
function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|]/g, (c) => `\\${c}`);
}
