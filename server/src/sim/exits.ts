import type { FunctionInfo } from '../c/cfg-types';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import { ERROR_VALUE_FUNCTIONS } from '../dma/vocabulary';
import type { ExitKind } from './hooks';
import type { PathState } from './state';

const ERRNO = /^-\s*E[A-Z0-9]+$/;

/**
 * Classifies a return on this path. Kernel convention: a negative errno, ERR_PTR(),
 * NULL from a pointer-returning function and `false` from a bool one mean failure; a
 * variable is judged by what the path last assigned or tested about it.
 */
export function classifyExit(value: SyntaxNode | null | undefined, st: PathState, fn: FunctionInfo): ExitKind {
  if (!value) return 'unknown';
  if (returnsErrno(value, st, fn)) return 'error';
  const v = stripValue(value);
  const text = v.text.replace(/\s+/g, '');
  if (text === '0') return /\*/.test(fn.returnType) ? 'error' : 'success';
  if (text === 'NULL') return /\*/.test(fn.returnType) ? 'error' : 'unknown';
  if (text === 'false' && /\bbool\b/.test(fn.returnType)) return 'error';
  if (text === 'true' && /\bbool\b/.test(fn.returnType)) return 'success';
  if (v.type === 'identifier' && st.ints.get(v.text) === 'zero') return 'success';
  return 'unknown';
}

/**
 * The value is an errno beyond doubt: `-EINVAL`, `-1`, `ERR_PTR(...)`, or a variable this
 * path knows negative (non-zero, in an int function). `NULL` and `false` also end in error
 * (classifyExit) but may mean "took the other way"; this does not count them.
 */
export function returnsErrno(value: SyntaxNode, st: PathState, fn: FunctionInfo): boolean {
  const v = stripValue(value);
  const text = v.text.replace(/\s+/g, '');
  if (ERRNO.test(text) || (/^-\d+$/.test(text) && text !== '-0')) return true;
  if (v.type === 'call_expression') return ERROR_VALUE_FUNCTIONS.has(v.childForFieldName('function')?.text ?? '');
  const fact = v.type === 'identifier' ? st.ints.get(v.text) : undefined;
  return fact === 'neg' || (fact === 'nonzero' && /\bint\b/.test(fn.returnType));
}
