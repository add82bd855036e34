import type { Range } from '../../../shared/src/findings';
import type { SyntaxNode } from '../c/syntax';

/** tree-sitter rows and columns over a JS string are UTF-16 based, as LSP positions are. */
export function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/**
 * Where a finding about a call is shown: the called function's name. A whole call can span
 * several lines, and a squiggle under the name reads best in every editor.
 */
export function siteRange(node: SyntaxNode): Range {
  if (node.type === 'call_expression') {
    const fn = node.childForFieldName('function');
    if (fn) return rangeOf(fn);
  }
  return rangeOf(node);
}

export function shiftRange(r: Range, rows: number): Range {
  if (rows === 0) return r;
  return { start: { line: r.start.line + rows, character: r.start.character }, end: { line: r.end.line + rows, character: r.end.character } };
}
