import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../out/server/src/config/defaults';
import { applySuppressions, parseDirective, postProcess, severityFor, suppressionMap } from '../../out/server/src/engine/suppress';
import type { Finding } from '../../shared/src/findings';

function finding(rule: string, line: number, severity: Finding['severity'] = 'error'): Finding {
  return {
    rule,
    severity,
    message: `${rule} here`,
    range: { start: { line, character: 1 }, end: { line, character: 5 } },
    function: 'foo',
    platforms: [],
    related: [],
  };
}

describe('parseDirective', () => {
  it('reads rules and a reason from a block comment', () => {
    const d = parseDirective('\t/* dma-lint-disable-next-line dma/unchecked-map, dma/double-unmap -- checked by caller */', 3);
    expect(d).toMatchObject({ line: 3, rules: ['dma/unchecked-map', 'dma/double-unmap'], reason: 'checked by caller', ownLine: true });
  });
  it('reads a line comment with no rules and no reason', () => {
    expect(parseDirective('  // dma-lint-disable-next-line', 0)).toMatchObject({ rules: [], reason: undefined, ownLine: true });
  });
  it('ignores an unclosed block comment and unrelated comments', () => {
    expect(parseDirective('/* dma-lint-disable-next-line dma/x', 0)).toBeUndefined();
    expect(parseDirective('// dma-lint-disable dma/x', 0)).toBeUndefined();
  });
  it('notes a trailing directive', () => {
    expect(parseDirective('x = 1; // dma-lint-disable-next-line dma/a', 0)?.ownLine).toBe(false);
  });
});

describe('suppressions', () => {
  const text = [
    'static int f(void)', // 0
    '{', // 1
    '\t/* dma-lint-disable-next-line dma/unchecked-map -- ok */', // 2
    '', // 3
    '\th = dma_map_single(dev, buf, len, DMA_TO_DEVICE);', // 4
    '\t// dma-lint-disable-next-line', // 5
    '\tdma_unmap_single(dev, h, len, DMA_TO_DEVICE);', // 6
    '\t// dma-lint-disable-next-line dma/double-unmap', // 7
    '\t/* dma-lint-disable-next-line dma/use-after-unmap */', // 8
    '\tdma_unmap_single(dev, h, len, DMA_TO_DEVICE);', // 9
    '\tx = 1; // dma-lint-disable-next-line dma/leak-on-error-path', // 10
    '\treturn 0;', // 11
    '}', // 12
  ].join('\n');

  it('maps directives to the next non-blank code line', () => {
    const m = suppressionMap(text);
    expect([...m.keys()].sort((a, b) => a - b)).toEqual([4, 6, 9, 11]);
    expect([...(m.get(9) ?? [])].sort()).toEqual(['dma/double-unmap', 'dma/use-after-unmap']);
    expect(m.get(6)?.has('*')).toBe(true);
  });

  it('drops only the listed rules on the target line', () => {
    const kept = applySuppressions(text, [
      finding('dma/unchecked-map', 4),
      finding('dma/leak-on-error-path', 4),
      finding('dma/anything', 6),
      finding('dma/double-unmap', 9),
      finding('dma/use-after-unmap', 9),
      finding('dma/unmap-size-mismatch', 9),
      finding('dma/leak-on-error-path', 11),
      finding('dma/unchecked-map', 12),
    ]);
    expect(kept.map((f) => `${f.rule}@${f.range.start.line}`)).toEqual([
      'dma/leak-on-error-path@4',
      'dma/unmap-size-mismatch@9',
      'dma/unchecked-map@12',
    ]);
  });

  it('handles CRLF text', () => {
    const crlf = '// dma-lint-disable-next-line dma/a\r\nx();\r\n';
    expect(applySuppressions(crlf, [finding('dma/a', 1)])).toEqual([]);
  });
});

describe('severityFor / postProcess', () => {
  it('applies off and severity overrides', () => {
    const s = defaultSettings();
    s.rules = { 'dma/unchecked-map': 'off', 'dma/double-unmap': 'info' };
    expect(severityFor(s, finding('dma/unchecked-map', 0))).toBeUndefined();
    expect(severityFor(s, finding('dma/double-unmap', 0))).toBe('info');
    expect(severityFor(s, finding('dma/stack-buffer', 0, 'warning'))).toBe('warning');
  });
  it('does both, and is idempotent', () => {
    const s = defaultSettings();
    s.rules = { 'dma/double-unmap': 'warning', 'dma/stack-buffer': 'off' };
    const text = 'a();\n// dma-lint-disable-next-line dma/unchecked-map\nb();\n';
    const input = [finding('dma/double-unmap', 0), finding('dma/stack-buffer', 0), finding('dma/unchecked-map', 2), finding('dma/unchecked-map', 0)];
    const once = postProcess(text, input, s);
    expect(once.map((f) => `${f.rule}:${f.severity}@${f.range.start.line}`)).toEqual(['dma/double-unmap:warning@0', 'dma/unchecked-map:error@0']);
    expect(postProcess(text, once, s)).toEqual(once);
  });
});
