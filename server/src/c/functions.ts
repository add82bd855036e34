import { createHash } from 'node:crypto';
import type { FunctionInfo, FunctionParam } from './cfg-types';
import type { SyntaxNode } from './syntax';

/**
 * Function index: one entry per `function_definition` in a file, in source order.
 *
 * Definitions are found at top level and inside the containers that can hold them in a
 * (possibly broken) translation unit: preprocessor conditionals and ERROR nodes. A
 * definition is indexed when it is intact enough to analyse: it has a body
 * (compound_statement) and a declarator that leads to a named function declarator.
 * Nested (GNU) function definitions inside bodies are not indexed.
 */

/** Node types whose children may be top-level definitions. */
const CONTAINERS = new Set([
  'translation_unit',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
  'linkage_specification',
  'declaration_list',
  'ERROR',
]);

/** Wrappers in declarators that are not part of the declarator chain itself. */
const DECLARATOR_NOISE = new Set([
  'comment',
  'attribute_declaration',
  'attribute_specifier',
  'ms_call_modifier',
  'ms_based_modifier',
  'ms_pointer_modifier',
  'type_qualifier',
  'ERROR',
]);

export function indexFunctions(root: SyntaxNode): FunctionInfo[] {
  const out: FunctionInfo[] = [];
  // Iterative walk (ERROR nodes can nest deeply in broken files).
  const stack: SyntaxNode[] = [root];
  const found: SyntaxNode[] = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (node.type === 'function_definition') {
      found.push(node);
      continue;
    }
    if (!CONTAINERS.has(node.type) && node !== root) continue;
    const kids = node.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
  found.sort((a, b) => a.startIndex - b.startIndex);
  for (const def of found) {
    const info = describeFunction(def);
    if (info) out.push(info);
  }
  return out;
}

/** The function whose definition contains the character offset `index` (innermost wins). */
export function functionAt(functions: readonly FunctionInfo[], index: number): FunctionInfo | undefined {
  let best: FunctionInfo | undefined;
  for (const f of functions) {
    if (f.node.startIndex <= index && index < f.node.endIndex) {
      if (!best || f.node.endIndex - f.node.startIndex < best.node.endIndex - best.node.startIndex) best = f;
    }
  }
  return best;
}

function describeFunction(def: SyntaxNode): FunctionInfo | undefined {
  const body = def.childForFieldName('body');
  const declarator = def.childForFieldName('declarator');
  if (!body || body.type !== 'compound_statement' || !declarator) return undefined;
  const found = findFunctionDeclarator(declarator, 0);
  if (!found) return undefined;
  const nameNode = declaratorName(found.fn.childForFieldName('declarator'));
  if (!nameNode) return undefined;

  const specifiers: string[] = [];
  for (const child of def.children) {
    if (child.startIndex >= declarator.startIndex) break;
    if (child.type === 'comment' || child.type === 'ERROR') continue;
    specifiers.push(child.text);
  }
  let returnType = collapse(specifiers.join(' '));
  if (found.stars > 0) returnType = `${returnType} ${'*'.repeat(found.stars)}`.trim();

  return {
    name: nameNode.text,
    node: def,
    body,
    params: paramsOf(found.fn.childForFieldName('parameters')),
    returnType,
    hash: createHash('sha1').update(def.text).digest('hex'),
    hasErrors: body.hasError || containsErrorOrMissing(body),
  };
}

interface FoundDeclarator {
  fn: SyntaxNode;
  stars: number;
}

/** First significant declarator child of a wrapper without a `declarator` field. */
function innerDeclarator(node: SyntaxNode): SyntaxNode | null {
  const field = node.childForFieldName('declarator');
  if (field) return field;
  for (const c of node.namedChildren) {
    if (!DECLARATOR_NOISE.has(c.type)) return c;
  }
  return null;
}

/**
 * Walks a function definition's declarator down to the function_declarator that names the
 * function (the innermost one, for functions returning function pointers), counting the
 * pointer stars on the way (they belong to the return type).
 */
function findFunctionDeclarator(node: SyntaxNode | null, stars: number): FoundDeclarator | undefined {
  let cur = node;
  let n = stars;
  for (let depth = 0; cur && depth < 64; depth++) {
    switch (cur.type) {
      case 'pointer_declarator':
        n++;
        cur = innerDeclarator(cur);
        break;
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        cur = innerDeclarator(cur);
        break;
      case 'function_declarator': {
        const deeper = findFunctionDeclarator(cur.childForFieldName('declarator'), n);
        return deeper ?? { fn: cur, stars: n };
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The identifier a (parameter or function) declarator declares, if any. */
function declaratorName(node: SyntaxNode | null): SyntaxNode | null {
  let cur = node;
  for (let depth = 0; cur && depth < 64; depth++) {
    switch (cur.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return cur;
      case 'pointer_declarator':
      case 'array_declarator':
      case 'function_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator':
      case 'init_declarator':
        cur = innerDeclarator(cur);
        break;
      default:
        return null;
    }
  }
  return null;
}

function paramsOf(list: SyntaxNode | null): FunctionParam[] {
  if (!list) return [];
  const out: FunctionParam[] = [];
  for (const p of list.namedChildren) {
    if (p.type === 'parameter_declaration') {
      const decl = p.childForFieldName('declarator');
      const id = decl ? declaratorName(decl) : null;
      let text = p.text;
      if (id) {
        const s = id.startIndex - p.startIndex;
        const e = id.endIndex - p.startIndex;
        // node-tree-sitter indices are JS string (UTF-16) offsets.
        text = text.slice(0, s) + ' ' + text.slice(e);
      }
      out.push({ name: id ? id.text : '', type: normaliseType(text) });
    } else if (p.type === 'variadic_parameter') {
      out.push({ name: '', type: '...' });
    } else if (p.type === 'identifier') {
      // K&R identifier list.
      out.push({ name: p.text, type: '' });
    }
  }
  if (out.length === 1 && out[0] && out[0].name === '' && out[0].type === 'void') return [];
  return out;
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function normaliseType(s: string): string {
  return collapse(s).replace(/ +([)\],[])/g, '$1');
}

function containsErrorOrMissing(node: SyntaxNode): boolean {
  const stack: SyntaxNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    if (n.isError || n.isMissing || n.type === 'ERROR') return true;
    if (!n.hasError) continue;
    for (const c of n.children) stack.push(c);
  }
  return false;
}
