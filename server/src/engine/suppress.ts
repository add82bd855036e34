import type { DmaLintSettings } from '../../../shared/src/config';
import type { Finding, Severity } from '../../../shared/src/findings';

/**
 * Inline suppressions and per-rule severity settings, applied after analysis. Pure: the
 * engine, the language server and tests call it with the document text.
 *
 *   /* dma-lint-disable-next-line dma/unchecked-map, dma/leak-on-error-path -- reason *\/
 *   // dma-lint-disable-next-line            (no list: every rule)
 *
 * A directive applies to the next line that is neither blank nor only directives, so
 * stacked directives all reach the same code line.
 */
export const DISABLE_NEXT_LINE = 'dma-lint-disable-next-line';

export interface Directive {
  /** 0-based line of the comment. */
  line: number;
  /** Rule ids; empty = all rules. */
  rules: string[];
  reason?: string;
  /** UTF-16 offsets of the whole comment within its line. */
  start: number;
  end: number;
  /** True when the line holds nothing but this comment (and whitespace). */
  ownLine: boolean;
}

const DIRECTIVE = /(\/\*|\/\/)\s*dma-lint-disable-next-line\b(.*?)(\*\/|$)/;

export function parseDirective(lineText: string, line: number): Directive | undefined {
  const m = DIRECTIVE.exec(lineText);
  if (!m) return undefined;
  // `//` comments run to the end of the line; `/*` ones must be closed on this line.
  if (m[1] === '/*' && m[3] !== '*/') return undefined;
  const body = m[2];
  const sep = body.indexOf('--');
  const list = sep >= 0 ? body.slice(0, sep) : body;
  const reason = sep >= 0 ? body.slice(sep + 2).trim() : undefined;
  const rules = list
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const start = m.index;
  const end = m.index + m[0].length;
  const ownLine = lineText.slice(0, start).trim() === '' && lineText.slice(end).trim() === '';
  return { line, rules, reason: reason || undefined, start, end, ownLine };
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Target line (0-based) -> rule ids suppressed there ('*' = all). */
export function suppressionMap(text: string): Map<number, Set<string>> {
  const lines = splitLines(text);
  const out = new Map<number, Set<string>>();
  const pending: Directive[] = [];
  for (let i = 0; i < lines.length; i++) {
    const d = lines[i].includes(DISABLE_NEXT_LINE) ? parseDirective(lines[i], i) : undefined;
    if (d && d.ownLine) {
      pending.push(d);
      continue;
    }
    if (pending.length > 0 && lines[i].trim() !== '') {
      const set = out.get(i) ?? new Set<string>();
      for (const p of pending) {
        if (p.rules.length === 0) set.add('*');
        for (const r of p.rules) set.add(r);
      }
      out.set(i, set);
      pending.length = 0;
    }
    // A trailing directive (`foo(); // dma-lint-disable-next-line`) applies to the next line.
    if (d) pending.push(d);
  }
  return out;
}

export function applySuppressions(text: string, findings: readonly Finding[]): Finding[] {
  if (!text.includes(DISABLE_NEXT_LINE)) return [...findings];
  const map = suppressionMap(text);
  return findings.filter((f) => {
    const set = map.get(f.range.start.line);
    return !set || !(set.has('*') || set.has(f.rule));
  });
}

/** The severity a finding is reported with, or undefined when its rule is off. */
export function severityFor(settings: DmaLintSettings, finding: Finding): Severity | undefined {
  const s = settings.rules[finding.rule];
  if (s === 'off') return undefined;
  return s ?? finding.severity;
}

export function applyRuleSettings(settings: DmaLintSettings, findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const severity = severityFor(settings, f);
    if (severity) out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out;
}

/** The whole post-analysis step: rule settings, then inline suppressions. */
export function postProcess(text: string, findings: readonly Finding[], settings: DmaLintSettings): Finding[] {
  return applySuppressions(text, applyRuleSettings(settings, findings));
}
