import { afterAll, describe, expect, it } from 'vitest';
import { CParser } from '../../server/src/c/parser';
import type { SyntaxNode } from '../../server/src/c/syntax';
import { assignFlags, evalFlags, type FlagsValue } from '../../server/src/asynctx/flags';

const parser = new CParser();
const docs: ReturnType<CParser['parse']>[] = [];
afterAll(() => docs.forEach((d) => parser.dispose(d)));

/** The expression `text`, parsed as the right side of an assignment. */
function expr(text: string): SyntaxNode {
  const doc = parser.parse(`void f(void)\n{\n\tx = ${text};\n}\n`, {});
  docs.push(doc);
  const assign = doc.tree.rootNode.descendantsOfType('assignment_expression')[0];
  const right = assign?.childForFieldName('right');
  if (!right) throw new Error(`no expression in ${text}`);
  return right;
}

const value = (v: FlagsValue) => ({ set: [...v.set].sort(), exact: v.exact });
const known = (...flags: string[]): FlagsValue => ({ set: new Set(flags), exact: true });

describe('async_tx flags values', () => {
  it('names, 0 and | are exact', () => {
    expect(value(evalFlags(expr('ASYNC_TX_FENCE | ASYNC_TX_ACK'), new Map()))).toEqual({ set: ['ASYNC_TX_ACK', 'ASYNC_TX_FENCE'], exact: true });
    expect(value(evalFlags(expr('0'), new Map()))).toEqual({ set: [], exact: true });
  });

  it('an unknown part keeps what is certainly set, inexactly', () => {
    expect(value(evalFlags(expr('flags | ASYNC_TX_ACK'), new Map()))).toEqual({ set: ['ASYNC_TX_ACK'], exact: false });
    expect(value(evalFlags(expr('slow ? ASYNC_TX_ACK : 0'), new Map()))).toEqual({ set: [], exact: false });
  });

  it('a variable the path knows is its value', () => {
    const vars = new Map([['flags', known('ASYNC_TX_FENCE')]]);
    expect(value(evalFlags(expr('flags | ASYNC_TX_ACK'), vars))).toEqual({ set: ['ASYNC_TX_ACK', 'ASYNC_TX_FENCE'], exact: true });
  });

  it('& ~X clears X; & 0 is empty', () => {
    expect(value(evalFlags(expr('(ASYNC_TX_FENCE | ASYNC_TX_ACK) & ~ASYNC_TX_ACK'), new Map()))).toEqual({ set: ['ASYNC_TX_FENCE'], exact: true });
    expect(value(evalFlags(expr('ASYNC_TX_ACK & 0'), new Map()))).toEqual({ set: [], exact: true });
  });

  it('|= and &= update the old value; a declaration without initialiser is unknown', () => {
    expect(value(assignFlags(known('ASYNC_TX_ACK'), '|=', expr('ASYNC_TX_FENCE'), new Map()))).toEqual({ set: ['ASYNC_TX_ACK', 'ASYNC_TX_FENCE'], exact: true });
    expect(value(assignFlags(known('ASYNC_TX_ACK', 'ASYNC_TX_FENCE'), '&=', expr('~ASYNC_TX_ACK'), new Map()))).toEqual({ set: ['ASYNC_TX_FENCE'], exact: true });
    expect(value(assignFlags(undefined, '|=', expr('ASYNC_TX_FENCE'), new Map()))).toEqual({ set: ['ASYNC_TX_FENCE'], exact: false });
    expect(value(assignFlags(known('ASYNC_TX_ACK'), 'none', null, new Map()))).toEqual({ set: [], exact: false });
  });
});
