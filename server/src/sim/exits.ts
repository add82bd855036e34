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
  const v = stripValue(value);
  const text = v.text.replace(/\s+/g, '');
  if (ERRNO.test(text) || /^-\d+$/.test(text) && text !== '-0') return 'error';
  if (text === '0') return /\*/.test(fn.returnType) ? 'error' : 'success';
  if (text === 'NULL') return /\*/.test(fn.returnType) ? 'error' : 'unknown';
  if (text === 'false' && /\bbool\b/.test(fn.returnType)) return 'error';
  if (text === 'true' && /\bbool\b/.test(fn.returnType)) return 'success';
  if (v.type === 'call_expression') {
    const name = v.childForFieldName('function')?.text ?? '';
    if (ERROR_VALUE_FUNCTIONS.has(name)) return 'error';
    return 'unknown';
  }
  if (v.type === 'identifier') {
    const fact = st.ints.get(v.text);
    if (fact === 'neg') return 'error';
    if (fact === 'zero') return 'success';
    if (fact === 'nonzero' && /\bint\b/.test(fn.returnType)) return 'error';
  }
  return 'unknown';
}
