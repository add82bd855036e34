import type { Rule } from './rule';
import type { SyntaxNode } from '../c/syntax';
import { resolveApiCall, subjectLoc, type EventContext } from '../dma/events';
import { isIndexed, rootOf, type LocKey } from '../dma/locations';
import { plainUnmapFor } from '../dma/catalogue';
import { isLive, type MappingRecord } from '../sim/state';
import { returnsErrno } from '../sim/exits';
import type { NodeFix } from '../sim/hooks';
import type { FunctionScope } from '../c/scope';
import { indentAt, lineBreak, lineIndent, restOfLineEmpty } from './fixes/layout';
import { UnwindFacts, homeOf, unmapThroughLabel, type UnmapCall } from './fixes/unwind-label';

const ID = 'dma/leak-on-error-path';

/**
 * Locations released inside a loop somewhere in the function: an unwind loop
 * (`while (--i >= 0) dma_unmap_single(dev, addrs[i], ...)`). Which slots it reaches
 * depends on the counter, which the executor does not track, so mappings made by earlier
 * iterations of a loop are trusted to it.
 */
function releasedInLoops(body: SyntaxNode, events: EventContext): Set<LocKey> {
  const out = new Set<LocKey>();
  for (const loop of body.descendantsOfType(['for_statement', 'while_statement', 'do_statement'])) {
    for (const call of loop.descendantsOfType('call_expression')) {
      const api = resolveApiCall(call, events);
      if (!api || (api.api.kind !== 'unmap' && api.api.kind !== 'free')) continue;
      const loc = subjectLoc({ ...api, result: null, resultNode: null, returned: false });
      if (loc !== null) out.add(loc);
      // a handle rebuilt from an array (`((u64)d[n].hi << 32) | d[n].lo`): the array is unwound
      const handle = api.args.handle?.node;
      if (handle) for (const sub of handle.descendantsOfType('subscript_expression')) out.add(`root:${rootOf(sub.text)}`);
    }
  }
  return out;
}

interface Leak {
  rec: MappingRecord;
  exit: SyntaxNode;
}

export const leakOnErrorPath: Rule = {
  id: ID,
  create(ctx) {
    let unwound: Set<LocKey> | null = null;
    // reported after the last path, so that a fix is offered only where it is certain
    const leaks = new Map<number, Leak[]>();
    const unwind = new UnwindFacts();
    /** Error returns not known to return a negative errno on some path (`return false`, NULL). */
    const notErrno = new Set<number>();
    return {
      onLabelEntry(entry, st) {
        unwind.onLabelEntry(entry, st);
      },
      onExit(exit, st) {
        unwind.onExit(exit, st);
        if (!exit.node || exit.kind !== 'error') return;
        const at = exit.node.startIndex;
        const value = exit.node.namedChildren.find((c) => c.type !== 'comment');
        if (!value || !returnsErrno(value, st, ctx.fn)) notErrno.add(at);
        for (const rec of st.records.values()) {
          if (!isLive(rec) || rec.escaped || rec.managed) continue;
          if (rec.api.kind !== 'map' && rec.api.kind !== 'alloc') continue;
          if (rec.earlierIteration || [...st.bind].some(([loc, ids]) => ids.includes(rec.id) && isIndexed(loc))) {
            unwound ??= releasedInLoops(ctx.fn.body, ctx.events);
            const homes = [...st.bind].filter(([, ids]) => ids.includes(rec.id)).map(([loc]) => loc);
            if (homes.some((h) => unwound?.has(h) || (isIndexed(h) && unwound?.has(`root:${rootOf(h)}`)))) continue;
          }
          const list = leaks.get(rec.site) ?? [];
          if (!list.some((l) => l.exit.startIndex === at)) list.push({ rec, exit: exit.node });
          leaks.set(rec.site, list);
        }
      },
      onFunctionEnd(complete) {
        for (const all of leaks.values()) {
          // `dma_map_sg(...); return false;`: nothing failed in between, that value is the contract
          const list = all.filter((l) => !notErrno.has(l.exit.startIndex) || !straightLine(l.rec.call, l.exit));
          if (list.length === 0) continue;
          const { rec, exit } = list[0];
          // a fix only where failure is unmistakable: `return false` may mean "took the other way"
          const errno = list.every((l) => !notErrno.has(l.exit.startIndex));
          const call = complete && errno ? unmapCallFor(rec, ctx.scope) : undefined;
          const plan = call ? unwind.plan(rec.site, list.map((l) => l.exit)) : null;
          const viaLabel = call && plan ? unmapThroughLabel(plan, call, ctx.fn.body, ctx.scope, ctx.source) : undefined;
          // before the return: certain only if it is the one leaking return and every path into it holds the mapping
          const certain = !viaLabel && call && list.length === 1 && unwind.heldOnEveryPathTo(rec.site, exit);
          const fix = viaLabel?.fix ?? (certain ? unmapBefore(call, exit, ctx.source) : undefined);
          const where = viaLabel?.where ?? 'before that return';
          const verb = rec.api.kind === 'alloc' ? 'allocated' : 'mapped';
          const release = rec.api.kind === 'alloc' ? 'freed' : 'unmapped';
          const earlier = rec.earlierIteration ? ' (by an earlier iteration of the loop)' : '';
          const how = fix
            ? `release it with ${releaseFor(rec.api.name)}() ${where} (quick fix available)${viaLabel ? '' : ', or jump to the unwind label that does'}`
            : `${rec.api.kind === 'alloc' ? 'free it' : `release it with ${releaseFor(rec.api.name)}()`} on that path, usually by jumping to (or adding) the unwind label that does, in reverse order of setup`;
          ctx.reporter.report(
            ID,
            rec.call,
            `buffer ${verb} here${earlier} is neither ${release} nor handed off when ${ctx.fn.name}() returns an error on this path: ${how}`,
            list.map((l) => ({ node: l.exit, message: `error return without ${rec.api.kind === 'alloc' ? 'freeing' : 'unmapping'}` })),
            undefined,
            fix,
          );
        }
      },
    };
  },
};

/** `ret` follows the statement holding `call` in the same block with only plain statements between. */
function straightLine(call: SyntaxNode, ret: SyntaxNode): boolean {
  let stmt: SyntaxNode | null = call;
  while (stmt && stmt.parent && stmt.parent.id !== ret.parent?.id) stmt = stmt.parent;
  if (!stmt || stmt.parent?.type !== 'compound_statement' || stmt.startIndex > ret.startIndex) return false;
  for (let n = stmt.nextNamedSibling; n && n.id !== ret.id; n = n.nextNamedSibling) {
    if (n.type !== 'expression_statement' && n.type !== 'declaration' && n.type !== 'comment') return false;
  }
  return true;
}

/**
 * The unmap of `rec` as a statement: only when the handle is a local variable and nothing
 * in the map's device, size and direction arguments is assigned in the function (so the
 * same text still means the same values wherever it is inserted).
 */
function unmapCallFor(rec: MappingRecord, scope: FunctionScope): UnmapCall | undefined {
  const release = plainUnmapFor(rec.api);
  if (!release) return undefined;
  const args = rec.call.childForFieldName('arguments')?.namedChildren ?? [];
  const pick = (i: number | undefined) => (i === undefined ? undefined : args[i]?.text.replace(/\s+/g, ' '));
  const dev = pick(rec.api.dev);
  const dir = pick(rec.api.dir);
  if (!dev || !dir) return undefined;
  let subject: string | undefined;
  let middle: string | undefined;
  if (rec.api.family === 'sg') {
    // dma_unmap_sg(dev, sgl, nents, dir): the list and the count passed to the map
    subject = pick(rec.api.buffer);
    const nents = pick(rec.api.nents);
    // a list reached through memory others see may be unmapped by a helper we cannot follow
    if (!subject || !nents || homeOf(rec) === null || !/^\w+$/.test(subject)) return undefined;
    const v = scope.vars.get(subject);
    if (!v || v.global || v.isStatic) return undefined;
    // `sgl = &port->tx_sgl`: a list in long-lived memory, which a teardown helper may unmap
    if (!v.param && (v.init?.text.includes('&') || scope.isAssigned(subject))) return undefined;
    middle = `${subject}, ${nents}`;
  } else {
    const h = rec.resultLoc;
    if (h === null || !/^\w+$/.test(h)) return undefined;
    const v = scope.vars.get(h);
    if (!v || v.param || v.global || v.isStatic || v.pointer) return undefined;
    const size = pick(rec.api.size);
    if (!size) return undefined;
    subject = h;
    middle = `${h}, ${size}`;
  }
  const handleName = rec.api.family === 'sg' ? '' : subject;
  const names = [...new Set(`${dev} ${middle} ${dir}`.match(/[A-Za-z_]\w*/g) ?? [])].filter((n) => n !== handleName);
  if (names.some((n) => scope.vars.has(n) && scope.isAssigned(n))) return undefined;
  return { text: `${release.name}(${dev}, ${middle}, ${dir});`, release: release.name, handle: subject, subject: subject.replace(/\s+/g, ''), names };
}

/**
 * `dma_unmap_single(dev, h, size, dir);` on its own line before the error return; a return
 * that is the whole body of an `if` (without `else`) or an `else` gains braces.
 */
function unmapBefore(unmap: UnmapCall, exit: SyntaxNode, source: string): NodeFix | undefined {
  if (exit.type !== 'return_statement') return undefined;
  const indent = indentAt(source, exit.startIndex);
  if (indent === null || !restOfLineEmpty(source, exit.endIndex)) return undefined;
  const eol = lineBreak(source);
  const call = unmap.text;
  const ret = source.slice(exit.startIndex, exit.endIndex);
  const title = `Unmap ${unmap.handle} before this return`;
  const parent = exit.parent;
  if (parent?.type === 'compound_statement') return { title, edits: [{ node: exit, newText: `${call}${eol}${indent}${ret}` }] };
  // `if (cond) return -E;` / `else return -E;`: the head is kept verbatim, the body gets braces
  let head: SyntaxNode | null = null;
  if (parent?.type === 'if_statement' && parent.childForFieldName('consequence')?.id === exit.id && !parent.childForFieldName('alternative')) {
    head = parent.childForFieldName('condition');
  } else if (parent?.type === 'else_clause') {
    head = parent.firstChild;
  }
  if (!parent || !head || !/^\s*$/.test(source.slice(head.endIndex, exit.startIndex))) return undefined;
  const outer = lineIndent(source, parent.startIndex);
  const block = ` {${eol}${indent}${call}${eol}${indent}${ret}${eol}${outer}}`;
  return { title, edits: [{ node: parent, newText: `${source.slice(parent.startIndex, head.endIndex)}${block}` }] };
}

/** The call that releases what `api` created, for the message. */
function releaseFor(api: string): string {
  if (/map_sgtable/.test(api)) return 'dma_unmap_sgtable';
  if (/map_sg/.test(api)) return api.startsWith('ib_') ? 'ib_dma_unmap_sg' : 'dma_unmap_sg';
  if (/map_page|frag_dma_map/.test(api)) return 'dma_unmap_page';
  if (/map_resource/.test(api)) return 'dma_unmap_resource';
  if (/pool_/.test(api)) return 'dma_pool_free';
  if (/alloc/.test(api)) return 'dma_free_coherent';
  return api.startsWith('ib_') ? 'ib_dma_unmap_single' : 'dma_unmap_single';
}
