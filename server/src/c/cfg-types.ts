import type { SyntaxNode } from './syntax';

/**
 * Control-flow graph of one function body. Nodes are statements, not basic blocks: the
 * executor asks for the DMA events of each node, so one node per statement keeps event
 * extraction simple and keeps every event's source range exact.
 */

export type EdgeLabel =
  | 'next' // fall through / unconditional
  | 'true' // branch condition held
  | 'false' // branch condition did not hold
  | 'case' // switch arm; caseValue says which
  | 'default'; // switch default arm, or the implicit "no case matched" edge

export interface CfgEdge {
  to: number;
  label: EdgeLabel;
  /** Source text of the case label expression for 'case' edges. */
  caseValue?: string;
  /** True when this edge closes a loop (goes back to a loop head). */
  back?: boolean;
  /** The `goto` statement this edge stands for (gotos have no node of their own). */
  via?: SyntaxNode;
}

export type CfgNodeKind =
  | 'entry'
  | 'exit' // the single synthetic exit; every 'return' node and the end of the body lead here
  | 'stmt' // an expression statement or declaration (also for-loop init and update)
  | 'branch' // if / while / for / do-while condition, or a switch value (then edges are 'case'/'default')
  | 'return' // a return statement; `value` is the returned expression or null
  | 'label'; // a goto label (statement_identifier); has no events of its own

export interface CfgNode {
  id: number;
  kind: CfgNodeKind;
  /**
   * stmt: the expression_statement / declaration / expression;
   * branch: the condition expression (parentheses stripped) or the switch value;
   * return: the return_statement; label: the labeled_statement; entry/exit: null.
   */
  syntax: SyntaxNode | null;
  /** For 'return': the returned expression, or null for a bare `return;`. */
  value?: SyntaxNode | null;
  /** For 'label': the label name. */
  label?: string;
  /** True for the branch node at the head of a loop. */
  loopHead?: boolean;
  succs: CfgEdge[];
}

export interface Cfg {
  nodes: CfgNode[];
  entry: number;
  exit: number;
}

export interface FunctionParam {
  name: string;
  /** Declared type text with the name removed, e.g. `struct foo_priv *`. */
  type: string;
}

export interface FunctionInfo {
  name: string;
  /** The function_definition node. */
  node: SyntaxNode;
  body: SyntaxNode;
  params: FunctionParam[];
  /** Return type text, e.g. `static int` or `dma_addr_t`. */
  returnType: string;
  /** Hash of the function's source text, to skip re-analysis of unchanged functions. */
  hash: string;
  /** True when the body contains ERROR or MISSING nodes: analysis stays quiet there. */
  hasErrors: boolean;
}
