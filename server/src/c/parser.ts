/**
 * The tree-sitter wrapper: masks the kernel dialect (see mask.ts), parses, and re-parses
 * incrementally after an edit.
 *
 * Positions: node-tree-sitter feeds the parser UTF-16, so every `startIndex`/`endIndex`
 * and every `column` it reports is in UTF-16 code units, i.e. plain JavaScript string
 * indices into `text` (and `masked`, which has the same length and line breaks).
 *
 * Long inputs: a string passed straight to `Parser.parse` is read in chunks through an
 * internal callback (node-tree-sitter 0.25 has no 32 KB limit any more, but slices the
 * whole remaining string per chunk); we pass our own callback that hands out bounded
 * 64 K-unit chunks, with a matching `bufferSize`, which is tested on a 2 MB input.
 *
 * Freeing: node-tree-sitter 0.25 has no `delete()` on trees; a tree's native memory is
 * released by its finalizer when the JavaScript object is garbage-collected. `dispose`
 * only drops our references so that can happen promptly.
 */
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import type { MacroSettings } from '../../../shared/src/config';
import { maskKernelDialect } from './mask';
import { blankIrrelevantBodies, type BodyTest } from './relevance';
import type { Tree } from './syntax';

export interface ParsedDocument {
  /** The document text as given. */
  text: string;
  /** The masked text that was parsed (same length, same line breaks). */
  masked: string;
  tree: Tree;
}

const CHUNK = 64 * 1024;

interface Point {
  row: number;
  column: number;
}

/** Row and column (UTF-16 units) of `index` in `text`. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

export class CParser {
  private readonly parser: Parser;


  /** Masks and parses a whole document. */
  /** Bodies this test rejects are blanked before parsing (see relevance.ts); none when unset. */
  constructor(private readonly relevant?: BodyTest) {
    this.parser = new Parser();
    this.parser.setLanguage(C as unknown as Parser.Language);
  }

  private mask(text: string, macros?: MacroSettings): string {
    const masked = maskKernelDialect(text, macros);
    return this.relevant ? blankIrrelevantBodies(masked, this.relevant) : masked;
  }

  parse(text: string, macros?: MacroSettings): ParsedDocument {
    const masked = this.mask(text, macros);
    return { text, masked, tree: this.parseMasked(masked, null) };
  }

  /**
   * Re-parses after an edit. The changed span is found by comparing the previous and new
   * masked texts (common prefix and suffix), the old tree is edited to match, and
   * tree-sitter re-parses incrementally. The previous document's tree is edited in place
   * and must not be used afterwards (it describes the new text now).
   */
  reparse(previous: ParsedDocument, newText: string, macros?: MacroSettings): ParsedDocument {
    const masked = this.mask(newText, macros);
    const oldMasked = previous.masked;
    if (masked === oldMasked) {
      return { text: newText, masked, tree: previous.tree };
    }
    const oldLen = oldMasked.length;
    const newLen = masked.length;
    const max = Math.min(oldLen, newLen);
    let start = 0;
    while (start < max && oldMasked.charCodeAt(start) === masked.charCodeAt(start)) start++;
    // Do not split a surrogate pair.
    if (start > 0 && isHighSurrogate(masked.charCodeAt(start - 1))) start--;
    let suffix = 0;
    while (
      suffix < max - start &&
      oldMasked.charCodeAt(oldLen - 1 - suffix) === masked.charCodeAt(newLen - 1 - suffix)
    ) {
      suffix++;
    }
    if (suffix > 0 && isLowSurrogate(masked.charCodeAt(newLen - suffix))) suffix--;
    const oldEnd = oldLen - suffix;
    const newEnd = newLen - suffix;

    const startPosition = pointAt(masked, start);
    previous.tree.edit({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition,
      oldEndPosition: pointAt(oldMasked, oldEnd),
      newEndPosition: pointAt(masked, newEnd),
    });
    return { text: newText, masked, tree: this.parseMasked(masked, previous.tree) };
  }

  /**
   * Drops the document's tree. node-tree-sitter frees tree memory only through garbage
   * collection (there is no delete method), so this cannot release it synchronously.
   */
  dispose(doc: ParsedDocument): void {
    (doc as { tree: Tree | null }).tree = null;
  }

  private parseMasked(masked: string, oldTree: Tree | null): Tree {
    // A string input (not a callback) lets node-tree-sitter answer node.text with a plain
    // substring; with a callback every .text re-reads a chunk through it (measured: a third
    // of the analysis time went there). 0.25 has no string-length limit any more.
    return this.parser.parse(masked, oldTree, { bufferSize: Math.max(CHUNK, masked.length + 1) });
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
