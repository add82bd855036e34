import type { FunctionInfo } from '../../c/cfg-types';
import type { SyntaxNode } from '../../c/syntax';
import type { NodeFix } from '../../sim/hooks';
import { indentAt, lineBreak, restOfLineEmpty } from './layout';

/**
 * The quick fix of dma/unchecked-map for a handle-returning map: a `dma_mapping_error()`
 * test inserted on its own line right after the statement that stores the handle, with a
 * failure branch that is certainly right, or no fix at all:
 *
 * (a) the nearest `goto` textually before the map (same function, same innermost loop, its
 *     label after the map) jumps to an unwind label: the fix jumps there too. If that goto's
 *     block sets an error variable first (`ret = -EIO; goto err;`), the fix sets the same
 *     variable to -ENOMEM. If it does not, every `return` after the label must return a
 *     negative errno constant (or nothing, in a void function), else the label could return
 *     a stale success value and no fix is offered. Calls between that goto and the map must
 *     be pure (nothing acquired that the label does not know of).
 * (b) no goto before the map, the function returns int, the map is not in a loop and every
 *     call before it (and in its arguments) is pure: `return -ENOMEM;`.
 *
 * Everything is checked on the syntax: wrappers, a handle stored by a declaration with
 * several declarators, a statement that is not directly in a `{}` block, a declaration
 * followed by more declarations (the kernel builds with -Wdeclaration-after-statement),
 * a device expression with side effects, a statement sharing its line with other code:
 * no fix.
 */

const HANDLE_MAPS = new Set([
  'dma_map_single',
  'dma_map_single_attrs',
  'dma_map_page',
  'dma_map_page_attrs',
  'skb_frag_dma_map',
  'dma_map_resource',
]);

/** Calls that acquire nothing and change nothing an unwind would have to undo. */
const PURE_CALLS = new Set([
  'netdev_priv',
  'dev_get_drvdata',
  'platform_get_drvdata',
  'pci_get_drvdata',
  'i2c_get_clientdata',
  'spi_get_drvdata',
  'container_of',
  'to_pci_dev',
  'to_platform_device',
  'skb_headlen',
  'skb_shinfo',
  'skb_frag_size',
  'skb_frag_off',
  'skb_frag_page',
  'skb_frag_address',
  'lower_32_bits',
  'upper_32_bits',
  'cpu_to_le16',
  'cpu_to_le32',
  'cpu_to_le64',
  'le16_to_cpu',
  'le32_to_cpu',
  'le64_to_cpu',
  'cpu_to_be16',
  'cpu_to_be32',
  'cpu_to_be64',
  'be16_to_cpu',
  'be32_to_cpu',
  'be64_to_cpu',
  'min',
  'max',
  'min_t',
  'max_t',
  'clamp',
  'ALIGN',
  'PTR_ALIGN',
  'BIT',
  'GENMASK',
  'ARRAY_SIZE',
  'offsetof',
  'likely',
  'unlikely',
  'READ_ONCE',
  'virt_to_page',
  'page_address',
  'offset_in_page',
  'sg_dma_address',
  'sg_dma_len',
  'sg_virt',
  'sg_page',
  'memset',
  'memcpy',
  'dma_mapping_error',
]);

const LOOPS = new Set(['for_statement', 'while_statement', 'do_statement']);
const ERRNO = /^-\s*E[A-Z0-9]+$/;

function descendants(node: SyntaxNode, type: string): SyntaxNode[] {
  return node.descendantsOfType(type);
}

function innermostLoop(node: SyntaxNode, body: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n && n.id !== body.id; n = n.parent) if (LOOPS.has(n.type)) return n;
  return null;
}

/** Free of calls, assignments, increments and commas. */
function sideEffectFree(node: SyntaxNode): boolean {
  for (const t of ['call_expression', 'assignment_expression', 'update_expression', 'comma_expression']) {
    if (descendants(node, t).length > 0) return false;
  }
  return true;
}

/** `h`, `priv->x`, `ring[i].addr`, `p->a.b`: a place that can be named again. */
function simpleLvalue(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'identifier':
      return true;
    case 'field_expression': {
      const arg = node.childForFieldName('argument');
      return !!arg && simpleLvalue(arg);
    }
    case 'subscript_expression': {
      const arg = node.childForFieldName('argument');
      const index = node.childForFieldName('index');
      return !!arg && !!index && simpleLvalue(arg) && (index.type === 'identifier' || index.type === 'number_literal');
    }
    default:
      return false;
  }
}

function calleeName(call: SyntaxNode): string | null {
  const f = call.childForFieldName('function');
  return f && f.type === 'identifier' ? f.text : null;
}

/**
 * What the fixes of one function ask of its body, collected once: a function with
 * thousands of maps must not be walked once per map.
 */
interface Facts {
  /** Start offsets of the calls that are not known to be pure, ascending. */
  impureCalls: number[];
  /** Goto statements, ascending, and their start offsets. */
  gotos: SyntaxNode[];
  gotoStarts: number[];
  labels: Map<string, SyntaxNode[]>;
  /** Return statements, ascending. */
  returns: SyntaxNode[];
  /** Place text -> start offsets of assignments to it from an expression with an impure call. */
  acquired: Map<string, number[]>;
}

const FACTS = new WeakMap<FunctionInfo, Facts>();

function impure(call: SyntaxNode): boolean {
  return !PURE_CALLS.has(calleeName(call) ?? '');
}

function factsOf(fn: FunctionInfo): Facts {
  const known = FACTS.get(fn);
  if (known) return known;
  const byStart = (a: SyntaxNode, b: SyntaxNode) => a.startIndex - b.startIndex;
  const impureCalls = descendants(fn.body, 'call_expression')
    .filter(impure)
    .map((c) => c.startIndex)
    .sort((a, b) => a - b);
  const labels = new Map<string, SyntaxNode[]>();
  for (const l of descendants(fn.body, 'labeled_statement')) {
    const name = l.childForFieldName('label')?.text ?? '';
    labels.set(name, [...(labels.get(name) ?? []), l]);
  }
  const acquired = new Map<string, number[]>();
  const note = (place: string, at: number, value: SyntaxNode) => {
    if (value.type === 'call_expression' ? impure(value) : descendants(value, 'call_expression').some(impure)) acquired.set(place, [...(acquired.get(place) ?? []), at]);
  };
  for (const a of descendants(fn.body, 'assignment_expression')) {
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left && right) note(left.text, a.startIndex, right);
  }
  for (const d of descendants(fn.body, 'init_declarator')) {
    const name = d.childForFieldName('declarator');
    const value = d.childForFieldName('value');
    if (name && value) note(name.text.replace(/^[*\s]+/, ''), d.startIndex, value);
  }
  const gotos = descendants(fn.body, 'goto_statement').sort(byStart);
  const facts: Facts = {
    impureCalls,
    gotos,
    gotoStarts: gotos.map((g) => g.startIndex),
    labels,
    returns: descendants(fn.body, 'return_statement').sort(byStart),
    acquired,
  };
  FACTS.set(fn, facts);
  return facts;
}

/** Index of the first element of an ascending list that is >= x. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every call starting in [from, to) is a known pure one, the map call itself excepted. */
function onlyPureCalls(facts: Facts, from: number, to: number, map: SyntaxNode): boolean {
  const n = lowerBound(facts.impureCalls, to) - lowerBound(facts.impureCalls, from);
  const mapInside = map.startIndex >= from && map.startIndex < to ? 1 : 0;
  return n - mapInside === 0;
}

function previousNamed(node: SyntaxNode): SyntaxNode | null {
  let p = node.previousNamedSibling;
  while (p && p.type === 'comment') p = p.previousNamedSibling;
  return p;
}

/** `v = -EXXX;` right before the goto in its braced block: v. */
function errorVariableBefore(gotoStmt: SyntaxNode): string | null {
  if (gotoStmt.parent?.type !== 'compound_statement') return null;
  const prev = previousNamed(gotoStmt);
  const e = prev?.type === 'expression_statement' ? prev.namedChild(0) : null;
  if (!e || e.type !== 'assignment_expression' || e.childForFieldName('operator')?.text !== '=') return null;
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  if (!left || left.type !== 'identifier' || !right || !ERRNO.test(right.text)) return null;
  return left.text;
}

/** One indentation step, as the function body uses it. */
function indentUnit(source: string, fn: FunctionInfo, indent: string): string {
  if (indent.includes('\t') || indent === '') return '\t';
  const first = fn.body.namedChildren.find((c) => c.type !== 'comment');
  const firstIndent = first ? indentAt(source, first.startIndex) : null;
  return firstIndent && /^ +$/.test(firstIndent) ? firstIndent : '    ';
}

function returnsInt(fn: FunctionInfo): boolean {
  const words = fn.returnType.trim().split(/\s+/);
  const storage = new Set(['static', 'inline', '__always_inline', 'noinline', '__init', '__exit', '__must_check', 'extern', 'signed']);
  return words[words.length - 1] === 'int' && words.slice(0, -1).every((w) => storage.has(w));
}

function returnsVoid(fn: FunctionInfo): boolean {
  const words = fn.returnType.trim().split(/\s+/);
  return words[words.length - 1] === 'void' && !fn.returnType.includes('*');
}

/** The statement storing the call's value and the stored-to place, if it is one we can extend. */
function storingStatement(call: SyntaxNode): { stmt: SyntaxNode; handle: SyntaxNode } | null {
  const parent = call.parent;
  if (!parent) return null;
  if (parent.type === 'assignment_expression') {
    if (parent.childForFieldName('operator')?.text !== '=' || parent.childForFieldName('right')?.id !== call.id) return null;
    const left = parent.childForFieldName('left');
    const stmt = parent.parent;
    if (!left || stmt?.type !== 'expression_statement' || !simpleLvalue(left)) return null;
    return { stmt, handle: left };
  }
  if (parent.type === 'init_declarator') {
    if (parent.childForFieldName('value')?.id !== call.id) return null;
    const name = parent.childForFieldName('declarator');
    const decl = parent.parent;
    if (!name || name.type !== 'identifier' || decl?.type !== 'declaration') return null;
    if (decl.childrenForFieldName('declarator').length !== 1) return null;
    // a statement before later declarations of the block breaks -Wdeclaration-after-statement
    for (let s = decl.nextNamedSibling; s; s = s.nextNamedSibling) if (s.type === 'declaration') return null;
    return { stmt: decl, handle: name };
  }
  return null;
}

/** The `if` whose consequence is the goto (braced or not), if that is how it is reached. */
function guardingIf(gotoStmt: SyntaxNode): SyntaxNode | null {
  let n = gotoStmt.parent;
  if (n?.type === 'compound_statement') n = n.parent;
  if (n?.type !== 'if_statement') return null;
  const cons = n.childForFieldName('consequence');
  return cons && cons.startIndex <= gotoStmt.startIndex && gotoStmt.endIndex <= cons.endIndex ? n : null;
}

/** The places a condition reads: identifiers and whole field / subscript expressions. */
function placesRead(cond: SyntaxNode): string[] {
  const out: string[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === 'field_expression' || n.type === 'subscript_expression' || n.type === 'identifier') {
      out.push(n.text);
      return;
    }
    if (n.type === 'call_expression') {
      const args = n.childForFieldName('arguments');
      if (args) walk(args);
      return;
    }
    for (const c of n.namedChildren) walk(c);
  };
  walk(cond);
  return out;
}

/** Argument texts of the calls on the straight line from a label to its first return. */
function releasedAtLabel(label: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (let s: SyntaxNode | null = label; s; s = s.nextNamedSibling) {
    let inner: SyntaxNode | null = s;
    while (inner?.type === 'labeled_statement') inner = inner.namedChildren.find((c) => c.type !== 'statement_identifier') ?? null;
    if (!inner || inner.type === 'return_statement') break;
    if (inner.type === 'comment') continue;
    if (inner.type !== 'expression_statement') break;
    const call = inner.namedChild(0);
    if (call?.type !== 'call_expression') continue;
    for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) out.add(arg.text);
  }
  return out;
}

export function mappingErrorCheckFix(fn: FunctionInfo, source: string, call: SyntaxNode, apiName: string): NodeFix | undefined {
  if (!HANDLE_MAPS.has(apiName) || fn.hasErrors) return undefined;
  if (call.type !== 'call_expression' || calleeName(call) !== apiName) return undefined;
  const dev = call.childForFieldName('arguments')?.namedChildren.find((c) => c.type !== 'comment');
  if (!dev || !sideEffectFree(dev)) return undefined;
  const stored = storingStatement(call);
  if (!stored) return undefined;
  const { stmt, handle } = stored;
  if (stmt.parent?.type !== 'compound_statement') return undefined;
  const semi = stmt.lastChild;
  if (!semi || semi.type !== ';') return undefined;
  const handleText = source.slice(handle.startIndex, handle.endIndex);
  const devText = source.slice(dev.startIndex, dev.endIndex);
  const root = /^[A-Za-z_]\w*/.exec(handleText)?.[0];
  const word = (t: string) => new RegExp(`(^|[^\\w.>])${t.replace(/[^\w]/g, (ch) => `\\${ch}`)}(?!\\w)`);
  if (!root || word(handleText).test(devText) || devText.includes('\n')) return undefined;
  const indent = indentAt(source, stmt.startIndex);
  if (indent === null || !restOfLineEmpty(source, stmt.endIndex)) return undefined;
  const unit = indentUnit(source, fn, indent);
  const eol = lineBreak(source.slice(fn.node.startIndex, fn.node.endIndex));
  const test = `${indent}if (dma_mapping_error(${devText}, ${handleText}))`;
  const body = fn.body;
  const loop = innermostLoop(stmt, body);

  const facts = factsOf(fn);
  let nearest: SyntaxNode | undefined;
  for (let i = lowerBound(facts.gotoStarts, stmt.startIndex) - 1; i >= 0 && !nearest; i--) if (facts.gotos[i].endIndex <= stmt.startIndex) nearest = facts.gotos[i];
  let branch: string;
  let title: string;
  if (nearest) {
    const label = nearest.childForFieldName('label')?.text;
    if (!label) return undefined;
    const gotoLoop = innermostLoop(nearest, body);
    if ((gotoLoop?.id ?? -1) !== (loop?.id ?? -1)) return undefined;
    const target = facts.labels.get(label) ?? [];
    if (target.length !== 1 || target[0].startIndex < stmt.endIndex) return undefined;
    if (!onlyPureCalls(facts, nearest.endIndex, call.endIndex, call)) return undefined;
    // what the earlier goto guards failed on its path and succeeded on ours: the label must
    // release it already (kfree(p) with p NULL on the goto's path), or the fix would leak it
    const guard = guardingIf(nearest);
    const cond = guard?.childForFieldName('condition');
    if (!guard || !cond || !onlyPureCalls(facts, cond.startIndex, cond.endIndex, call)) return undefined;
    const acquiredBefore = (place: string) => (facts.acquired.get(place) ?? []).some((at) => at < guard.startIndex);
    const released = releasedAtLabel(target[0]);
    if (placesRead(cond).some((p) => acquiredBefore(p) && !released.has(p))) return undefined;
    const errVar = errorVariableBefore(nearest);
    if (errVar) {
      if (errVar === root) return undefined;
      branch = ` {${eol}${indent}${unit}${errVar} = -ENOMEM;${eol}${indent}${unit}goto ${label};${eol}${indent}}`;
      title = `Test ${handleText} with dma_mapping_error(): ${errVar} = -ENOMEM, goto ${label}`;
    } else {
      // the label's exits must not return a value the earlier goto's path had set
      const returns = facts.returns.filter((r) => r.startIndex > target[0].startIndex);
      const value = (r: SyntaxNode) => r.namedChildren.find((c) => c.type !== 'comment');
      const ok = returnsVoid(fn)
        ? returns.every((r) => !value(r))
        : returns.length > 0 && returns.every((r) => { const v = value(r); return !!v && ERRNO.test(v.text); });
      if (!ok) return undefined;
      branch = `${eol}${indent}${unit}goto ${label};`;
      title = `Test ${handleText} with dma_mapping_error(): goto ${label}`;
    }
  } else {
    if (!returnsInt(fn) || loop) return undefined;
    if (!onlyPureCalls(facts, body.startIndex, call.endIndex, call)) return undefined;
    branch = `${eol}${indent}${unit}return -ENOMEM;`;
    title = `Test ${handleText} with dma_mapping_error(): return -ENOMEM`;
  }
  return { title, edits: [{ node: semi, newText: `;${eol}${test}${branch}` }] };
}
