import { createHash } from 'node:crypto';
import type { WrapperSpec } from '../../../shared/src/config';
import type { FunctionInfo } from '../c/cfg-types';
import type { SyntaxNode } from '../c/syntax';
import { lookupApi } from './catalogue';
import type { ApiEntry } from './catalogue-types';
import { ARG_ROLES, extractEvents, type ApiCallEvent, type ArgRole, type ArgValue } from './events';
import { rootOf, stripValue } from './locations';

/**
 * Driver-local functions that map, unmap, sync or check on their caller's behalf
 * (`foo_map_rx_buf()`), summarised so a call to them behaves like the call they wrap.
 * Each role of the wrapped call is either one of the wrapper's parameters plus a field
 * path (`buf->dma`), or a constant written inside the wrapper (`DMA_FROM_DEVICE`).
 */
export type RoleTemplate = { kind: 'param'; param: number; suffix: string } | { kind: 'fixed'; text: string };

export interface WrapperInfo {
  name: string;
  api: ApiEntry;
  roles: Partial<Record<ArgRole, RoleTemplate>>;
  /** Declared in .dmalint.json rather than derived from a body in this file. */
  configured: boolean;
}

export type WrapperTable = Map<string, WrapperInfo>;

export function wrappersFromConfig(specs: Record<string, WrapperSpec>): { table: WrapperTable; errors: string[] } {
  const table: WrapperTable = new Map();
  const errors: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const api = lookupApi(spec.as);
    if (!api) {
      errors.push(`wrapper ${name}: unknown DMA API function '${spec.as}'`);
      continue;
    }
    const roles: Partial<Record<ArgRole, RoleTemplate>> = {};
    for (const role of ARG_ROLES) {
      const idx = api[role];
      if (idx === undefined) continue;
      const param = spec.args[idx];
      if (param !== undefined && param >= 0) roles[role] = { kind: 'param', param, suffix: '' };
    }
    table.set(name, { name, api, roles, configured: true });
  }
  return { table, errors };
}

/** Names returned by the function: `return h;` / `return dma_map_single(...)`. */
function returnedValues(body: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const r of body.descendantsOfType('return_statement')) {
    const v = r.namedChildren[0];
    if (v) out.push(stripValue(v));
  }
  return out;
}

function templateFor(arg: ArgValue, params: string[]): RoleTemplate | undefined {
  if (arg.loc !== null) {
    const root = rootOf(arg.loc);
    const idx = params.indexOf(root);
    if (idx >= 0 && arg.loc.startsWith(root)) return { kind: 'param', param: idx, suffix: arg.loc.slice(root.length) };
  }
  // constants written in the wrapper: directions, literal sizes, sizeof(...)
  if (/^[A-Z_][A-Z0-9_]*$|^\d+$|^sizeof\s*\(/.test(arg.text) && !params.some((p) => new RegExp(`\\b${p}\\b`).test(arg.text))) {
    return { kind: 'fixed', text: arg.text };
  }
  return undefined;
}

function toWrapper(fn: FunctionInfo, ev: ApiCallEvent): WrapperInfo {
  const params = fn.params.map((p) => p.name);
  const roles: Partial<Record<ArgRole, RoleTemplate>> = {};
  for (const role of ARG_ROLES) {
    const a = ev.args[role];
    if (!a) continue;
    const t = templateFor(a, params);
    if (t) roles[role] = t;
  }
  return { name: fn.name, api: ev.api, roles, configured: false };
}

/**
 * Derives wrappers from the file's own function bodies. Two rounds, so that a wrapper of
 * a wrapper resolves. Only small functions qualify: a function that maps and also does
 * much else is a user of the API, not a wrapper of it.
 */
export function deriveWrappers(functions: FunctionInfo[], configured: WrapperTable, memo?: WrapperMemo): WrapperTable {
  const table: WrapperTable = new Map(configured);
  const previous = memo?.entries ?? new Map<string, WrapperInfo | null>();
  const next = new Map<string, WrapperInfo | null>();
  let candidates = functions.filter((fn) => !table.get(fn.name)?.configured);
  for (let round = 0; round < 2 && candidates.length > 0; round++) {
    const found: string[] = [];
    const sig = round === 0 ? '' : tableSignature(table);
    const derivedSoFar = round === 0 ? [] : [...table.keys()].filter((w) => !configured.has(w));
    for (const fn of candidates) {
      const key = `${round}|${fn.hash}|${sig}`;
      let info = memo ? previous.get(key) : undefined;
      // a second round only for functions that call a wrapper found in the first
      if (info === undefined) info = round > 0 && !derivedSoFar.some((w) => fn.body.text.includes(w)) ? null : deriveOne(fn, table);
      if (memo) next.set(key, info);
      if (info) {
        table.set(fn.name, info);
        found.push(fn.name);
      }
    }
    candidates = found.length === 0 ? [] : candidates.filter((fn) => !table.has(fn.name));
  }
  if (memo) memo.entries = next;
  return table;
}

/**
 * What deriveOne() said of each function at the last analysis of a document, by the
 * function's text and the wrappers known at the time: an edit changes one function, and
 * the others' small bodies need not be walked again on every keystroke.
 */
export interface WrapperMemo {
  entries: Map<string, WrapperInfo | null>;
}

/** A short digest of the wrappers known: it is part of every memo key of the round. */
function tableSignature(table: WrapperTable): string {
  const text = [...table.values()].map((w) => `${w.name}:${w.api.name}:${JSON.stringify(w.roles)}`).sort().join(';');
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** Wrappers are small functions that name the API (or another wrapper) in their body. */
const API_WORDS = /\b(dma_|dmam_|pci_(map|unmap|dma|alloc|free)_|ib_dma_|skb_frag_dma_map)/;

function deriveOne(fn: FunctionInfo, table: WrapperTable): WrapperInfo | null {
  const params = fn.params.map((p) => p.name);
  if (params.length === 0) return null;
  const text = fn.body.text;
  if (text.length > 4000) return null;
  if (!API_WORDS.test(text) && ![...table.keys()].some((w) => w !== fn.name && text.includes(w))) return null;
  const others = new Map(table);
  others.delete(fn.name);
  const events = extractEvents(fn.body, { wrappers: others }).filter((e): e is ApiCallEvent => e.kind === 'api');
  if (events.length === 0 || events.length > 3) return null;
  const returned = returnedValues(fn.body);
  const returnedNames = new Set(returned.filter((r) => r.type === 'identifier').map((r) => r.text));
  const checksItself = events.some((e) => e.api.kind === 'check');
  for (const ev of events) {
    // the map's own value must reach the caller unchanged: `ret = dma_map_sg(); if (!ret)
    // ret = -ENOMEM; return ret;` hands back an errno, not a count to test
    const flowsOut = ev.returned || (ev.result !== null && returnedNames.has(ev.result) && assignedOnce(fn.body, ev.result));
    if (ev.api.kind === 'map' && flowsOut && !checksItself && !testsResult(fn.body, ev.result)) return toWrapper(fn, ev);
    if (ev.api.kind === 'check' && flowsOut) return toWrapper(fn, ev);
  }
  for (const ev of events) {
    if (ev.api.kind === 'check' && isReturnGuard(ev.call)) return toWrapper(fn, ev);
  }
  if (events.length === 1 && isReleaseHelper(fn) && !isConditional(events[0].call, fn.body)) {
    const ev = events[0];
    const key = ev.api.kind === 'free' || ev.api.family === 'sg' || ev.api.family === 'sgtable' ? (ev.args.handle ?? ev.args.buffer) : ev.args.handle;
    if ((ev.api.kind === 'unmap' || ev.api.kind === 'free' || ev.api.kind === 'sync') && key?.loc && params.includes(rootOf(key.loc))) {
      return toWrapper(fn, ev);
    }
  }
  return null;
}

/** `if (dma_mapping_error(...)) return ...;`: the function's result reports the check. */
function isReturnGuard(call: SyntaxNode): boolean {
  let n: SyntaxNode | null = call.parent;
  for (let i = 0; n && i < 4; i++) {
    if (n.type === 'if_statement') {
      const cons = n.childForFieldName('consequence');
      return !!cons && /\breturn\b/.test(cons.text);
    }
    n = n.parent;
  }
  return false;
}

/**
 * A function whose one DMA call is a release is a release helper only if releasing is its
 * job: no error unwinding (`goto`, labels), which is where init functions free what they
 * allocated when a later step fails.
 */
function isReleaseHelper(fn: FunctionInfo): boolean {
  return fn.body.descendantsOfType(['goto_statement', 'labeled_statement']).length === 0;
}

/** `x` is assigned exactly once in the body (by the map call). */
function assignedOnce(body: SyntaxNode, name: string): boolean {
  let n = 0;
  for (const a of body.descendantsOfType(['assignment_expression', 'init_declarator'])) {
    const left = a.childForFieldName(a.type === 'assignment_expression' ? 'left' : 'declarator');
    if (left?.text === name) n++;
  }
  return n <= 1;
}

/** The map's result is tested in the body: the function deals with failure itself. */
function testsResult(body: SyntaxNode, name: string | null): boolean {
  if (name === null) return false;
  const word = new RegExp(`(^|[^\\w>.])${name.replace(/[^\w]/g, (c) => `\\${c}`)}\\b`);
  return body.descendantsOfType(['if_statement']).some((i) => word.test(i.childForFieldName('condition')?.text ?? ''));
}

/**
 * The release sits under an `if`, `switch` or `?:`: a guarded release (`if (tx->flags &
 * MAPPED)`) whose guard the caller's path cannot evaluate. Such a helper is not a plain
 * release of its argument.
 */
function isConditional(call: SyntaxNode, body: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = call.parent; n && n.startIndex >= body.startIndex && n !== body; n = n.parent) {
    if (n.type === 'if_statement' || n.type === 'switch_statement' || n.type === 'conditional_expression') return true;
  }
  return false;
}
