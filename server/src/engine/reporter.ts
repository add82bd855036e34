import type { Finding, FixData, Platform, Range, RelatedSite, Severity, TraceStep } from '../../../shared/src/findings';
import type { SyntaxNode } from '../c/syntax';
import { ruleMeta } from '../rules/meta';
import type { Reporter } from '../sim/hooks';
import { rangeOf, shiftRange, siteRange } from './ranges';

/** Collects findings, one per rule and site (paths revisit the same site). */
export class FindingCollector {
  private readonly byKey = new Map<string, Finding>();

  constructor(
    /** The platforms hazards count on: the chosen ones, narrowed to what the file builds for. */
    private readonly platforms: readonly Platform[],
    /** Rules whose findings are kept: the enabled ones. */
    private readonly enabled: (rule: string) => boolean,
    /**
     * The chosen platforms before narrowing. A finding that is wrong everywhere (a leak, an
     * unchecked map) lists `platforms`, or these when narrowing left none: it never goes away.
     */
    private readonly chosen: readonly Platform[] = platforms,
  ) {}

  reporterFor(fn: string, keep: (node: SyntaxNode, rule: string) => boolean): Reporter {
    return {
      report: (rule, node, message, related, severity, fix, platforms, trace) => {
        if (!keep(node, rule)) return;
        const fixData = fix ? { title: fix.title, edits: fix.edits.map((e) => ({ range: rangeOf(e.node), newText: e.newText })) } : undefined;
        this.add(rule, siteRange(node), fn, message, (related ?? []).map((r) => ({ range: siteRange(r.node), message: r.message, ...(r.uri ? { uri: r.uri } : {}) })), severity, fixData, platforms, trace);
      },
    };
  }

  add(
    rule: string,
    range: Range,
    fn: string,
    message: string,
    related: RelatedSite[],
    severity?: Severity,
    fix?: FixData,
    platforms?: Platform[],
    trace?: readonly TraceStep[],
  ): void {
    if (!this.enabled(rule)) return;
    // a hazard that corrupts on none of the chosen platforms is not a finding here
    if (platforms && !this.platforms.some((p) => platforms.includes(p))) return;
    const key = `${rule}@${range.start.line}:${range.start.character}`;
    if (this.byKey.has(key)) return;
    this.byKey.set(key, {
      rule,
      severity: severity ?? ruleMeta(rule)?.severity ?? 'warning',
      message,
      range,
      function: fn,
      platforms: platforms ? this.platforms.filter((p) => platforms.includes(p)) : [...(this.platforms.length > 0 ? this.platforms : this.chosen)],
      related: trace && trace.length > 0 && platforms ? [...related, ...traceAsRelated(trace, platforms)] : related,
      ...(fix ? { fix } : {}),
      ...(trace && trace.length > 0 ? { trace: onlyChosen(trace, this.platforms) } : {}),
    });
  }

  addAll(findings: readonly Finding[]): void {
    for (const f of findings) {
      const key = `${f.rule}@${f.range.start.line}:${f.range.start.character}`;
      if (!this.byKey.has(key)) this.byKey.set(key, f);
    }
  }

  findings(): Finding[] {
    return [...this.byKey.values()].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule),
    );
  }
}

/**
 * The proof as related sites, for every client: one per step, what the first platform the
 * finding corrupts on holds there (`line 9: dma_sync_single_for_cpu(): armv7: cache old data,
 * RAM device write #1`). The full table is in the trace (hover, --explain, SARIF).
 */
function traceAsRelated(trace: readonly TraceStep[], platforms: readonly Platform[]): RelatedSite[] {
  const p = platforms[0];
  if (!p) return [];
  return trace.map((t) => {
    const place = t.places.find((x) => x.platform === p);
    const bounce = place && place.bounce !== '-' ? `, bounce ${place.bounce}` : '';
    return {
      range: { start: { line: t.line - 1, character: 0 }, end: { line: t.line - 1, character: 0 } },
      message: `${t.event} — ${p}: cache ${place?.cache ?? '-'}, RAM ${place?.ram ?? '-'}${bounce}`,
    };
  });
}

function onlyChosen(trace: readonly TraceStep[], platforms: readonly Platform[]): TraceStep[] {
  return trace.map((t) => ({ ...t, places: t.places.filter((p) => platforms.includes(p.platform)) }));
}

export function shiftFinding(f: Finding, rows: number): Finding {
  if (rows === 0) return f;
  return {
    ...f,
    ...(f.trace ? { trace: f.trace.map((t) => ({ ...t, line: t.line + rows })) } : {}),
    range: shiftRange(f.range, rows),
    // a site in another document (a header) does not move with this one
    related: f.related.map((r) => (r.uri ? r : { ...r, range: shiftRange(r.range, rows) })),
    ...(f.fix ? { fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, range: shiftRange(e.range, rows) })) } } : {}),
  };
}

export function insideError(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.type === 'ERROR' || n.isMissing) return true;
  }
  return false;
}
