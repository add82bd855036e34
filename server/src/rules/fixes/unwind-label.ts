import type { CfgNode } from '../../c/cfg-types';
import type { FunctionScope } from '../../c/scope';
import type { SyntaxNode } from '../../c/syntax';
import type { ExitObservation, LabelEntry, NodeFix } from '../../sim/hooks';
import { isLive, type MappingRecord, type PathState } from '../../sim/state';
import { valueLoc } from '../../dma/events';
import type { LocKey } from '../../dma/locations';
import { indentAt, lineBreak, lineIndent } from './layout';

/**
 * The leak fix that goes through the function's unwind ladder: a new label right above the
 * label the leaking paths jump to, which unmaps and falls through into it, and the gotos of
 * those paths retargeted to the new label.
 *
 * That edit is right only when the executor has seen every path and, for the label L:
 * - every path that reaches L or any later label from above L while holding the mapping
 *   enters through L itself (not through a later label, not through a loop's back edge);
 * - each goto into L is taken either only by paths holding the mapping (retargeted) or
 *   only by paths not holding it (kept); paths falling into L from the statement above all
 *   hold it (they pass through the new unmap) or none arrive that way;
 * - every leaking return lies below L, nothing below L names the handle or the sg list, no
 *   path releases the mapping below L (through an alias either), and no path holding it
 *   leaves below L other than by an error return (the unmap never runs on success).
 * What is collected per path is the record's creating site: one fix per map call.
 */

interface EntryGroup {
  /** The goto this group of entries took; null: the statement above falls into the label. */
  via: SyntaxNode | null;
  back: boolean;
  /** Where the entering path comes from in the text: the goto, or the statement above. */
  fromPos: number;
  total: number;
  /** Per creating site: how many entering states hold that site's mapping in its variable. */
  holding: Map<number, number>;
}

interface LabelFacts {
  node: CfgNode;
  groups: Map<string, EntryGroup>;
}

/**
 * Where the mapping is named, as the unmap would name it: the handle variable, or for an
 * sg list the list argument of the map (the count is not what dma_unmap_sg() takes).
 */
export function homeOf(rec: MappingRecord): LocKey | null {
  if (rec.api.family !== 'sg') return rec.resultLoc;
  const list = rec.api.buffer === undefined ? undefined : rec.call.childForFieldName('arguments')?.namedChildren[rec.api.buffer];
  return valueLoc(list);
}

/** The mapping is live, not handed off, and still named at `home`, where it was put. */
function holds(rec: MappingRecord, st: PathState, home: LocKey | null): boolean {
  if (!isLive(rec) || rec.escaped || rec.managed || rec.earlierIteration) return false;
  return home !== null && (st.bind.get(home)?.includes(rec.id) ?? false);
}

export class UnwindFacts {
  private readonly labels = new Map<number, LabelFacts>();
  /** homeOf() per creating site: asked for every record at every label and exit a path reaches. */
  private readonly homes = new Map<number, LocKey | null>();

  private heldSites(st: PathState): number[] {
    const out: number[] = [];
    for (const rec of st.records.values()) {
      let home = this.homes.get(rec.site);
      if (home === undefined) {
        home = homeOf(rec);
        this.homes.set(rec.site, home);
      }
      if (holds(rec, st, home)) out.push(rec.site);
    }
    return out;
  }
  /** Per site: the exits reached while holding it, and whether each was an error exit. */
  private readonly heldExits = new Map<number, { pos: number; error: boolean }[]>();
  /** Per site: where paths released it, as seen at the exits (an alias counts too). */
  private readonly releasedAt = new Map<number, Set<number>>();

  onLabelEntry(entry: LabelEntry, st: PathState): void {
    let facts = this.labels.get(entry.label.id);
    if (!facts) {
      facts = { node: entry.label, groups: new Map() };
      this.labels.set(entry.label.id, facts);
    }
    const via = entry.edge.via ?? null;
    const key = via ? `g${via.startIndex}` : `f${entry.from.id}`;
    let group = facts.groups.get(key);
    if (!group) {
      group = { via, back: entry.edge.back === true, fromPos: via ? via.startIndex : (entry.from.syntax?.startIndex ?? -1), total: 0, holding: new Map() };
      facts.groups.set(key, group);
    }
    group.total++;
    for (const site of this.heldSites(st)) group.holding.set(site, (group.holding.get(site) ?? 0) + 1);
  }

  /** Paths reaching each return, whatever they hold; and per `site@return`, those holding the site's mapping at an error exit. */
  private readonly arrivals = new Map<number, number>();
  private readonly heldAtError = new Map<string, number>();

  onExit(exit: ExitObservation, st: PathState): void {
    const pos = exit.node?.startIndex ?? Number.MAX_SAFE_INTEGER;
    if (exit.node) this.arrivals.set(pos, (this.arrivals.get(pos) ?? 0) + 1);
    for (const rec of st.records.values()) {
      if (!rec.releasedAt) continue;
      const set = this.releasedAt.get(rec.site) ?? new Set<number>();
      set.add(rec.releasedAt.startIndex);
      this.releasedAt.set(rec.site, set);
    }
    for (const site of this.heldSites(st)) {
      const error = exit.node !== null && exit.kind === 'error';
      const list = this.heldExits.get(site) ?? [];
      list.push({ pos, error });
      this.heldExits.set(site, list);
      if (error) this.heldAtError.set(`${site}@${pos}`, (this.heldAtError.get(`${site}@${pos}`) ?? 0) + 1);
    }
  }

  /** Every path reaching this return (success ones too) still holds the site's mapping, and leaves by an error. */
  heldOnEveryPathTo(site: number, exit: SyntaxNode): boolean {
    const n = this.heldAtError.get(`${site}@${exit.startIndex}`);
    return n !== undefined && n === this.arrivals.get(exit.startIndex);
  }

  /**
   * The label to unwind through and the gotos to retarget, or null when not certain. Of the
   * labels that qualify, the lowest: the unmap then runs after what was set up later is
   * undone, in reverse order of setup.
   */
  plan(site: number, leakingExits: readonly SyntaxNode[]): { label: SyntaxNode; retarget: SyntaxNode[] } | null {
    const held = (g: EntryGroup) => g.holding.get(site) ?? 0;
    const entered = [...this.labels.values()].filter((l) => [...l.groups.values()].some((g) => held(g) > 0));
    const start = (l: LabelFacts) => l.node.syntax?.startIndex ?? -1;
    for (const target of entered.sort((a, b) => start(b) - start(a))) {
      const retarget = this.retargets(target, site, entered, leakingExits);
      const label = target.node.syntax;
      if (retarget && label) return { label, retarget };
    }
    return null;
  }

  private retargets(target: LabelFacts, site: number, entered: readonly LabelFacts[], leakingExits: readonly SyntaxNode[]): SyntaxNode[] | null {
    const held = (g: EntryGroup) => g.holding.get(site) ?? 0;
    const top = target.node.syntax?.startIndex ?? -1;
    if (leakingExits.some((e) => e.startIndex < top)) return null;
    if ((this.heldExits.get(site) ?? []).some((e) => e.pos >= top && !e.error)) return null;
    // released below the label on some path: the new unmap would make it a double unmap there
    if ([...(this.releasedAt.get(site) ?? [])].some((at) => at >= top)) return null;
    // a path holding the mapping that jumps from above the label to below it bypasses the unmap
    for (const l of entered) {
      if (l === target || (l.node.syntax?.startIndex ?? -1) < top) continue;
      if ([...l.groups.values()].some((g) => held(g) > 0 && g.fromPos < top)) return null;
    }
    const retarget: SyntaxNode[] = [];
    let reached = false;
    for (const g of target.groups.values()) {
      const h = held(g);
      if (g.fromPos >= top || g.back) {
        if (h > 0) return null;
        continue;
      }
      if (g.via) {
        if (h === g.total) retarget.push(g.via);
        else if (h > 0) return null;
      } else if (h !== g.total) {
        return null;
      }
      if (h > 0) reached = true;
    }
    return reached ? retarget : null;
  }
}

/** A local variable of the function's outermost block (visible at every label), or a parameter or global. */
function visibleAtLabels(name: string, scope: FunctionScope, body: SyntaxNode): boolean {
  const v = scope.vars.get(name);
  if (!v) return true;
  return v.param || v.global || v.node.parent?.id === body.id;
}

/**
 * `err_unmap: dma_unmap_single(dev, h, ...);` right above the label: the ladder already has
 * the step, only the gotos jump one label too far.
 */
function unmappingLabelAbove(label: SyntaxNode, call: UnmapCall): string | null {
  let prev = label.previousNamedSibling;
  while (prev?.type === 'comment') prev = prev.previousNamedSibling;
  if (prev?.type !== 'labeled_statement') return null;
  const inner = prev.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'statement_identifier');
  const expr = inner.length === 1 && inner[0].type === 'expression_statement' ? inner[0].namedChildren[0] : null;
  if (expr?.type !== 'call_expression' || expr.childForFieldName('function')?.text !== call.release) return null;
  const args = expr.childForFieldName('arguments')?.namedChildren ?? [];
  if (!args.some((a) => a.text.replace(/\s+/g, '') === call.subject)) return null;
  return prev.childForFieldName('label')?.text ?? null;
}

/** `subject` (`h`, `req->src`) is written somewhere from `from` on. */
function namedBelow(body: SyntaxNode, from: number, subject: string): boolean {
  const root = /^[A-Za-z_]\w*/.exec(subject)?.[0];
  for (const id of body.descendantsOfType('identifier')) {
    if (id.startIndex < from || id.text !== root) continue;
    for (let m: SyntaxNode | null = id; m && m.startIndex === id.startIndex; m = m.parent) {
      if (m.text.replace(/\s+/g, '') === subject) return true;
    }
  }
  return false;
}

/** `err_free_cmd` -> `err_unmap_<handle>`: the ladder's own word (err, out, fail...) when it has one. */
function newLabelName(existing: string, handle: string): string {
  const words = existing.split('_').filter(Boolean);
  const prefix = words.find((w) => /^(err|error|fail|failed|out|unwind|undo|cleanup|free|exit)$/i.test(w)) ?? words[0] ?? existing;
  const name = /(\w+)\W*$/.exec(handle)?.[1] ?? handle;
  return `${prefix}_unmap_${name}`;
}

export interface UnmapCall {
  /** `dma_unmap_single(dev, h, len, DMA_TO_DEVICE);` */
  text: string;
  /** `dma_unmap_single` */
  release: string;
  /** What the unmap releases as written (`h`, `req->src`), whitespace removed. */
  subject: string;
  handle: string;
  /** Names the call's arguments mention (all must be visible at the new label). */
  names: string[];
}

/** The fix, and how the message says where the unmap goes. */
export interface LabelFix {
  fix: NodeFix;
  where: string;
}

export function unmapThroughLabel(
  plan: { label: SyntaxNode; retarget: SyntaxNode[] },
  call: UnmapCall,
  body: SyntaxNode,
  scope: FunctionScope,
  source: string,
): LabelFix | undefined {
  const labelId = plan.label.childForFieldName('label');
  if (!labelId || labelId.type !== 'statement_identifier') return undefined;
  // nothing below the label may name what is released: no release or use there to collide with
  if (namedBelow(body, plan.label.startIndex, call.subject)) return undefined;
  const retargetTo = (name: string) =>
    plan.retarget.map((g) => g.childForFieldName('label')).filter((n): n is SyntaxNode => !!n).map((n) => ({ node: n, newText: name }));
  const existing = unmappingLabelAbove(plan.label, call);
  if (existing && plan.retarget.length > 0) {
    return {
      fix: { title: `Jump to '${existing}', which unmaps ${call.handle}`, edits: retargetTo(existing) },
      where: `by jumping to '${existing}' instead of '${labelId.text}'`,
    };
  }
  if (![call.handle, ...call.names].every((n) => visibleAtLabels(n, scope, body))) return undefined;
  const labelIndent = indentAt(source, plan.label.startIndex);
  if (labelIndent === null) return undefined;
  const eol = lineBreak(source);
  const inner = plan.label.namedChildren.find((c) => c.id !== labelId.id);
  const innerOnOwnLine = inner && inner.startPosition.row > plan.label.startPosition.row;
  const first = body.namedChildren.find((c) => c.type !== 'comment');
  const stmtIndent = innerOnOwnLine ? lineIndent(source, inner.startIndex) : first ? lineIndent(source, first.startIndex) : '\t';
  if (plan.retarget.length === 0) {
    // only paths falling in from above: a plain statement, since an unused label warns
    if (!stmtIndent.startsWith(labelIndent)) return undefined;
    const text = `${stmtIndent.slice(labelIndent.length)}${call.text}${eol}${labelIndent}${labelId.text}`;
    return { fix: { title: `Unmap ${call.handle} above '${labelId.text}'`, edits: [{ node: labelId, newText: text }] }, where: `above the unwind label '${labelId.text}'` };
  }
  const name = newLabelName(labelId.text, call.handle);
  if (body.descendantsOfType('statement_identifier').some((n) => n.text === name)) return undefined;
  return {
    fix: {
      title: `Unmap ${call.handle} in a new unwind label '${name}' above '${labelId.text}'`,
      edits: [{ node: labelId, newText: `${name}:${eol}${stmtIndent}${call.text}${eol}${labelIndent}${labelId.text}` }, ...retargetTo(name)],
    },
    where: `in a new unwind label above '${labelId.text}'`,
  };
}
