import type { Finding, Platform, Severity } from '../../../shared/src/findings';
import type { SyntaxNode } from '../c/syntax';
import { ruleMeta } from '../rules/meta';
import type { RelatedNode, Reporter } from '../sim/hooks';

/** Collects findings of one file, one per rule and site (paths revisit the same site). */
export class FindingCollector {
  private readonly byKey = new Map<string, Finding>();

  constructor(
    private readonly platforms: Platform[],
    /** Rules whose findings are kept: the enabled ones. */
    private readonly enabled: (rule: string) => boolean,
  ) {}

  reporterFor(fn: string, keep: (node: SyntaxNode, rule: string) => boolean): Reporter {
    return {
      report: (rule, node, message, related, severity) => {
        if (!this.enabled(rule) || !keep(node, rule)) return;
        this.add(rule, node, fn, message, related ?? [], severity);
      },
    };
  }

  add(rule: string, node: SyntaxNode, fn: string, message: string, related: RelatedNode[], severity?: Severity): void {
    const key = `${rule}@${node.startIndex}`;
    if (this.byKey.has(key)) return;
    this.byKey.set(key, {
      rule,
      severity: severity ?? ruleMeta(rule)?.severity ?? 'warning',
      message,
      range: rangeOf(node),
      function: fn,
      platforms: [...this.platforms],
      related: related.map((r) => ({ range: rangeOf(r.node), message: r.message })),
    });
  }

  findings(): Finding[] {
    return [...this.byKey.values()].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule),
    );
  }
}

/** tree-sitter rows and columns over a JS string are UTF-16 based, as LSP positions are. */
export function rangeOf(node: SyntaxNode) {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function insideError(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.type === 'ERROR' || n.isMissing) return true;
  }
  return false;
}
