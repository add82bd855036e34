import type { Cfg, CfgEdge, CfgNode, CfgNodeKind, EdgeLabel, FunctionInfo } from './cfg-types';
import type { SyntaxNode } from './syntax';

/**
 * Statement-level control-flow graph of one function body.
 *
 * Built in one pass over the body with "pending edges": every statement builder takes the
 * edges that lead into it (their targets still open) and returns the edges that leave it
 * by falling through. A node created for a statement closes the pending edges that reach
 * it. break/continue/goto/return park their pending edges in the loop/switch context, the
 * label table or the exit list.
 *
 * Two loop shapes need the target of a back edge before it exists (the first node of a
 * do-while body, the body of a `for` without a condition). They get an internal
 * placeholder node that is removed at the end, its incoming edges redirected to its single
 * successor. Nodes are numbered in creation order (source order, except that a `for`
 * update comes after its body and the exit is last), so every edge that is not marked
 * `back` goes from a lower id to a higher one: removing the back edges leaves a DAG.
 *
 * Never throws on well-formed or broken trees: anything unexpected in statement position
 * becomes an opaque `stmt` node.
 */

interface Pending {
  from: number;
  label: EdgeLabel;
  caseValue?: string;
  /** For case/default edges: position of the label in the switch, to order the edges. */
  order?: number;
  /** The goto statement this edge stands for. */
  via?: SyntaxNode;
}

interface LoopCtx {
  kind: 'loop';
  breaks: Pending[];
  continues: Pending[];
}

interface SwitchCtx {
  kind: 'switch';
  node: number;
  breaks: Pending[];
  hasDefault: boolean;
}

type Ctx = LoopCtx | SwitchCtx;

interface NodeExtra {
  value?: SyntaxNode | null;
  label?: string;
  loopHead?: boolean;
}

/** Nesting deeper than this is kept as one opaque node (guards the JS stack). */
const MAX_DEPTH = 300;

/** Statement-position nodes that carry no control flow and no run-time effect. */
const SKIP = new Set([
  'comment',
  'type_definition',
  'preproc_call',
  'preproc_def',
  'preproc_function_def',
  'preproc_include',
  'function_definition',
  'struct_specifier',
  'union_specifier',
  'enum_specifier',
  'type_specifier',
  'linkage_specification',
  'attribute_declaration',
  ';',
]);

class Builder {
  readonly nodes: CfgNode[] = [];
  /** Placeholder id -> the syntax to use if it has to become a real node (pure loop). */
  readonly placeholders = new Map<number, SyntaxNode>();
  readonly toExit: Pending[] = [];
  readonly labels = new Map<string, number>();
  readonly pendingGotos = new Map<string, Pending[]>();
  readonly ctx: Ctx[] = [];
  /** Source order of case/default edges (edges are created in completion order). */
  readonly edgeOrder = new WeakMap<CfgEdge, number>();
  private caseCounter = 0;
  private depth = 0;

  mk(kind: CfgNodeKind, syntax: SyntaxNode | null, preds: readonly Pending[], extra?: NodeExtra): number {
    const id = this.nodes.length;
    const node: CfgNode = { id, kind, syntax, succs: [] };
    if (extra) {
      if (extra.value !== undefined) node.value = extra.value;
      if (extra.label !== undefined) node.label = extra.label;
      if (extra.loopHead) node.loopHead = true;
    }
    this.nodes.push(node);
    this.connect(preds, id, false);
    return id;
  }

  placeholder(loop: SyntaxNode, preds: readonly Pending[]): number {
    const id = this.mk('stmt', loop.child(0) ?? loop, preds);
    this.placeholders.set(id, loop.child(0) ?? loop);
    return id;
  }

  connect(preds: readonly Pending[], to: number, back: boolean): void {
    for (const p of preds) {
      const from = this.nodes[p.from];
      if (!from) continue;
      const edge: CfgEdge = { to, label: p.label };
      if (p.caseValue !== undefined) edge.caseValue = p.caseValue;
      if (p.via) edge.via = p.via;
      if (back) edge.back = true;
      if (p.order !== undefined) this.edgeOrder.set(edge, p.order);
      addEdge(from, edge);
    }
  }

  seq(stmts: readonly SyntaxNode[], preds: Pending[]): Pending[] {
    let cur = preds;
    for (const s of stmts) cur = this.stmt(s, cur);
    return cur;
  }

  stmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    if (SKIP.has(node.type)) return preds;
    if (this.depth > MAX_DEPTH) return [{ from: this.mk('stmt', node, preds), label: 'next' }];
    this.depth++;
    try {
      return this.stmtInner(node, preds);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(node: SyntaxNode, preds: Pending[]): Pending[] {
    switch (node.type) {
      case 'compound_statement':
        return this.seq(node.namedChildren, preds);
      case 'expression_statement':
        if (isEmptyStatement(node)) return preds;
        return [{ from: this.mk('stmt', node, preds), label: 'next' }];
      case 'if_statement':
        return this.ifStmt(node, preds);
      case 'while_statement':
        return this.whileStmt(node, preds);
      case 'do_statement':
        return this.doStmt(node, preds);
      case 'for_statement':
        return this.forStmt(node, preds);
      case 'switch_statement':
        return this.switchStmt(node, preds);
      case 'case_statement':
        return this.caseStmt(node, preds);
      case 'break_statement': {
        const c = this.ctx[this.ctx.length - 1];
        if (c) c.breaks.push(...preds);
        else this.toExit.push(...preds);
        return [];
      }
      case 'continue_statement': {
        const loop = this.innermostLoop();
        if (loop) loop.continues.push(...preds);
        else this.toExit.push(...preds);
        return [];
      }
      case 'goto_statement':
        return this.gotoStmt(node, preds);
      case 'labeled_statement':
        return this.labeledStmt(node, preds);
      case 'return_statement': {
        const value = firstSignificant(node);
        const r = this.mk('return', node, preds, { value });
        this.toExit.push({ from: r, label: 'next' });
        return [];
      }
      case 'attributed_statement':
        return this.seq(
          node.namedChildren.filter((c) => c.type !== 'attribute_declaration'),
          preds,
        );
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'preproc_else':
        return this.preprocStmt(node, preds);
      default:
        // declaration, ERROR, asm, seh_*, anything unexpected: one opaque node.
        return [{ from: this.mk('stmt', node, preds), label: 'next' }];
    }
  }

  private innermostLoop(): LoopCtx | undefined {
    for (let i = this.ctx.length - 1; i >= 0; i--) {
      const c = this.ctx[i];
      if (c && c.kind === 'loop') return c;
    }
    return undefined;
  }

  private innermostSwitch(): SwitchCtx | undefined {
    for (let i = this.ctx.length - 1; i >= 0; i--) {
      const c = this.ctx[i];
      if (c && c.kind === 'switch') return c;
    }
    return undefined;
  }

  private body(node: SyntaxNode | null, preds: Pending[]): Pending[] {
    return node ? this.stmt(node, preds) : preds;
  }

  private ifStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const b = this.mk('branch', condSyntax(node.childForFieldName('condition'), node), preds);
    const thenExits = this.body(node.childForFieldName('consequence'), [{ from: b, label: 'true' }]);
    const alt = node.childForFieldName('alternative');
    const elseStmts = alt ? significant(alt.namedChildren) : [];
    const elseExits = this.seq(elseStmts, [{ from: b, label: 'false' }]);
    return [...thenExits, ...elseExits];
  }

  private whileStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const h = this.mk('branch', condSyntax(node.childForFieldName('condition'), node), preds, { loopHead: true });
    const ctx: LoopCtx = { kind: 'loop', breaks: [], continues: [] };
    this.ctx.push(ctx);
    const exits = this.body(node.childForFieldName('body'), [{ from: h, label: 'true' }]);
    this.ctx.pop();
    this.connect([...exits, ...ctx.continues], h, true);
    return [{ from: h, label: 'false' }, ...ctx.breaks];
  }

  private doStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const start = this.placeholder(node, preds);
    const ctx: LoopCtx = { kind: 'loop', breaks: [], continues: [] };
    this.ctx.push(ctx);
    const exits = this.body(node.childForFieldName('body'), [{ from: start, label: 'next' }]);
    this.ctx.pop();
    const h = this.mk('branch', condSyntax(node.childForFieldName('condition'), node), [...exits, ...ctx.continues], {
      loopHead: true,
    });
    this.connect([{ from: h, label: 'true' }], start, true);
    return [{ from: h, label: 'false' }, ...ctx.breaks];
  }

  private forStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    let cur = preds;
    const init = node.childForFieldName('initializer');
    if (init) cur = [{ from: this.mk('stmt', init, cur), label: 'next' }];
    const cond = node.childForFieldName('condition');
    let head: number;
    let bodyPreds: Pending[];
    if (cond) {
      head = this.mk('branch', cond, cur, { loopHead: true });
      bodyPreds = [{ from: head, label: 'true' }];
    } else {
      head = this.placeholder(node, cur);
      bodyPreds = [{ from: head, label: 'next' }];
    }
    const ctx: LoopCtx = { kind: 'loop', breaks: [], continues: [] };
    this.ctx.push(ctx);
    const exits = this.body(node.childForFieldName('body'), bodyPreds);
    this.ctx.pop();
    const update = node.childForFieldName('update');
    if (update) {
      const u = this.mk('stmt', update, [...exits, ...ctx.continues]);
      this.connect([{ from: u, label: 'next' }], head, true);
    } else {
      this.connect([...exits, ...ctx.continues], head, true);
    }
    return cond ? [{ from: head, label: 'false' }, ...ctx.breaks] : ctx.breaks;
  }

  private switchStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const s = this.mk('branch', condSyntax(node.childForFieldName('condition'), node), preds);
    const ctx: SwitchCtx = { kind: 'switch', node: s, breaks: [], hasDefault: false };
    this.ctx.push(ctx);
    // Statements before the first case label are unreachable: no pending edges into them.
    const exits = this.body(node.childForFieldName('body'), []);
    this.ctx.pop();
    const out = [...exits, ...ctx.breaks];
    if (!ctx.hasDefault) out.push({ from: s, label: 'default' });
    return out;
  }

  private caseStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const sw = this.innermostSwitch();
    let cur = preds;
    const value = node.childForFieldName('value');
    const isDefault = !value && node.child(0)?.type === 'default';
    // The label part ends at the first `:` token; GNU ranges (`case 1 ... 3:`) parse as the
    // value plus an ERROR before it, so the label text is taken from the source.
    let colon = -1;
    let labelHasError = false;
    for (let i = 1; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c) continue;
      if (c.type === ':' && !c.isNamed) {
        colon = i;
        break;
      }
      if (c.type === 'ERROR') labelHasError = true;
    }
    if (sw) {
      if (value || !isDefault) {
        const order = this.caseCounter++;
        const caseValue = value && !labelHasError ? collapse(value.text) : caseText(node, colon);
        cur = [...preds, { from: sw.node, label: 'case', caseValue, order }];
      } else if (!sw.hasDefault) {
        sw.hasDefault = true;
        cur = [...preds, { from: sw.node, label: 'default', order: this.caseCounter++ }];
      }
    }
    const stmts: SyntaxNode[] = [];
    for (let i = colon >= 0 ? colon + 1 : 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c || !c.isNamed || node.fieldNameForChild(i) === 'value') continue;
      if (colon < 0 && c.type === 'ERROR') continue;
      stmts.push(c);
    }
    return this.seq(stmts, cur);
  }

  private gotoStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const name = node.childForFieldName('label')?.text ?? '';
    const target = this.labels.get(name);
    const edges = preds.map((p) => ({ ...p, via: node }));
    if (target !== undefined) {
      // A label seen earlier: the goto closes a loop (retry ladders).
      this.connect(edges, target, true);
    } else {
      const list = this.pendingGotos.get(name);
      if (list) list.push(...edges);
      else this.pendingGotos.set(name, edges);
    }
    return [];
  }

  private labeledStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    const labelNode = node.childForFieldName('label');
    const name = labelNode?.text ?? '';
    const gotos = this.pendingGotos.get(name) ?? [];
    this.pendingGotos.delete(name);
    const l = this.mk('label', node, [...preds, ...gotos], { label: name });
    this.labels.set(name, l);
    const inner: SyntaxNode[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c || !c.isNamed || node.fieldNameForChild(i) === 'label') continue;
      inner.push(c);
    }
    return this.seq(inner, [{ from: l, label: 'next' }]);
  }

  /**
   * #if/#ifdef/#elif/#else inside a body. The dialect mask blanks inactive branches, so the
   * branch that still holds statements is the active one; when several do (unmasked
   * input), the first is taken. Not a run-time branch: no node.
   */
  private preprocStmt(node: SyntaxNode, preds: Pending[]): Pending[] {
    let alt: SyntaxNode | null = node;
    for (let guard = 0; alt && guard < 1000; guard++) {
      const stmts = preprocBranchStatements(alt);
      if (stmts.some((s) => !SKIP.has(s.type) && !isEmptyStatement(s))) return this.seq(stmts, preds);
      alt = alt.type === 'preproc_else' ? null : alt.childForFieldName('alternative');
    }
    return preds;
  }
}

function preprocBranchStatements(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = 0; i < node.childCount; i++) {
    const c = node.child(i);
    if (!c || !c.isNamed) continue;
    const field = node.fieldNameForChild(i);
    if (field === 'condition' || field === 'name' || field === 'alternative') continue;
    out.push(c);
  }
  return out;
}

function isEmptyStatement(node: SyntaxNode): boolean {
  return node.type === 'expression_statement' && firstSignificant(node) === null && !node.hasError;
}

/** First named child that is not a comment (without materialising all children). */
function firstSignificant(node: SyntaxNode): SyntaxNode | null {
  const n = node.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = node.namedChild(i);
    if (c && c.type !== 'comment') return c;
  }
  return null;
}

function significant(nodes: readonly SyntaxNode[]): SyntaxNode[] {
  return nodes.filter((n) => n.type !== 'comment');
}

function addEdge(from: CfgNode, edge: CfgEdge): void {
  for (const e of from.succs) {
    if (e.to === edge.to && e.label === edge.label && e.caseValue === edge.caseValue) {
      if (edge.back) e.back = true;
      // a goto and a fall-through folded into one edge: it no longer stands for one goto
      if (e.via?.id !== edge.via?.id) delete e.via;
      return;
    }
  }
  from.succs.push(edge);
}

/** The condition expression with its parentheses stripped. */
function condSyntax(cond: SyntaxNode | null, stmt: SyntaxNode): SyntaxNode {
  if (!cond) {
    // Broken statement without a condition: point at the keyword (`if`, `while`, ...), not
    // at the whole statement, so the body's text is not attributed to the branch.
    const keyword = stmt.type === 'do_statement' ? 'while' : null;
    for (let i = 0; i < stmt.childCount; i++) {
      const c = stmt.child(i);
      if (c && !c.isNamed && (keyword === null || c.type === keyword)) return c;
    }
    return stmt;
  }
  if (cond.type === 'parenthesized_expression') {
    const inner = firstSignificant(cond);
    return inner ?? cond;
  }
  return cond;
}

/** Source text between `case` and the `:` of a case label. */
function caseText(node: SyntaxNode, colon: number): string {
  const first = node.child(0);
  const end = colon >= 0 ? node.child(colon) : null;
  const from = first ? first.endIndex : node.startIndex;
  const to = end ? end.startIndex : node.endIndex;
  return collapse(node.text.slice(from - node.startIndex, to - node.startIndex));
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const LABEL_RANK: Record<EdgeLabel, number> = { next: 0, true: 0, false: 1, case: 2, default: 3 };

/** Removes placeholder nodes, redirecting their incoming edges, and renumbers. */
function finish(b: Builder, entry: number, exit: number): Cfg {
  const nodes = b.nodes;
  // A placeholder whose successor chain runs only through placeholders back to itself is
  // an empty infinite loop (`for (;;);`): it stays, as a stmt on the loop keyword.
  for (const p of b.placeholders.keys()) {
    const seen = new Set<number>();
    let cur: number | undefined = p;
    while (cur !== undefined && b.placeholders.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      cur = nodes[cur]?.succs[0]?.to;
    }
    if (cur !== undefined && seen.has(cur)) b.placeholders.delete(cur);
  }
  const resolve = (id: number): { to: number; back: boolean } => {
    let cur = id;
    let back = false;
    for (let guard = 0; b.placeholders.has(cur) && guard <= nodes.length; guard++) {
      const e = nodes[cur]?.succs[0];
      if (!e) return { to: exit, back };
      back = back || e.back === true;
      cur = e.to;
    }
    return { to: cur, back };
  };
  const newId = new Map<number, number>();
  const kept: CfgNode[] = [];
  for (const n of nodes) {
    if (b.placeholders.has(n.id)) continue;
    newId.set(n.id, kept.length);
    kept.push(n);
  }
  for (const n of kept) {
    const old = n.succs;
    n.succs = [];
    for (const e of old) {
      const r = resolve(e.to);
      const edge: CfgEdge = { to: newId.get(r.to) ?? 0, label: e.label };
      if (e.caseValue !== undefined) edge.caseValue = e.caseValue;
      if (e.via) edge.via = e.via;
      if (e.back || r.back) edge.back = true;
      const order = b.edgeOrder.get(e);
      if (order !== undefined) b.edgeOrder.set(edge, order);
      addEdge(n, edge);
    }
  }
  for (const n of kept) {
    n.id = newId.get(n.id) ?? 0;
    // true before false, cases in source order, default last (stable sort).
    n.succs.sort(
      (x, y) =>
        LABEL_RANK[x.label] - LABEL_RANK[y.label] || (b.edgeOrder.get(x) ?? 0) - (b.edgeOrder.get(y) ?? 0),
    );
  }
  return { nodes: kept, entry: newId.get(entry) ?? 0, exit: newId.get(exit) ?? kept.length - 1 };
}

export function buildCfg(fn: FunctionInfo): Cfg {
  const b = new Builder();
  const entry = b.mk('entry', null, []);
  let exits: Pending[];
  try {
    exits = b.stmt(fn.body, [{ from: entry, label: 'next' }]);
  } catch {
    // Defensive: should not happen. Fall back to a single opaque node for the body.
    const fallback = new Builder();
    const e = fallback.mk('entry', null, []);
    const s = fallback.mk('stmt', fn.body, [{ from: e, label: 'next' }]);
    const x = fallback.mk('exit', null, [{ from: s, label: 'next' }]);
    return finish(fallback, e, x);
  }
  const dangling: Pending[] = [...exits, ...b.toExit];
  // gotos to labels that do not exist (e.g. in a blanked #if branch) end the path.
  for (const list of b.pendingGotos.values()) dangling.push(...list);
  const exit = b.mk('exit', null, dangling);
  return finish(b, entry, exit);
}

const TEXT_WIDTH = 40;

function shortText(node: SyntaxNode): string {
  const t = collapse(node.text);
  return t.length > TEXT_WIDTH ? `${t.slice(0, TEXT_WIDTH)}...` : t;
}

function edgeText(e: CfgEdge): string {
  let s = String(e.to);
  if (e.label !== 'next') s += `:${e.label}`;
  if (e.caseValue !== undefined) s += `(${e.caseValue})`;
  if (e.back) s += '^';
  return s;
}

/**
 * Compact deterministic dump, one line per node:
 * `id kind [label-name] [loop] \`text\` -> succ succ ...` where a successor is
 * `to[:label][(caseValue)][^]`, `:next` is omitted and `^` marks a back edge.
 */
export function cfgToText(cfg: Cfg): string {
  const lines: string[] = [];
  for (const n of cfg.nodes) {
    let line = `${n.id} ${n.kind}`;
    if (n.kind === 'label') line += ` ${n.label ?? ''}`;
    if (n.loopHead) line += ' loop';
    if (n.syntax && n.kind !== 'label') line += ` \`${shortText(n.syntax)}\``;
    if (n.succs.length > 0) line += ` -> ${n.succs.map(edgeText).join(' ')}`;
    lines.push(line);
  }
  return lines.join('\n');
}
