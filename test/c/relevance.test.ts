import { describe, expect, it } from 'vitest';
import { blankIrrelevantBodies, functionBodies } from '../../server/src/c/relevance';

const relevant = (body: string) => /\bdma_/.test(body);

describe('blanking bodies that cannot matter', () => {
  const src = [
    'struct foo { int a; };',
    'static int foo_idle(struct foo *f)',
    '{',
    '\treturn f->a + 1; /* { not a brace } */',
    '}',
    'static int foo_map(struct foo *f)',
    '{',
    '\treturn dma_map_single(f->dev, f->buf, 4, DMA_TO_DEVICE) ? 0 : 1;',
    '}',
    'static int foo_caller(struct foo *f)',
    '{',
    '\treturn foo_map(f);',
    '}',
    'static const int tbl[] = { 1, 2 };',
    '',
  ].join('\n');

  it('finds function bodies, not struct or initializer braces', () => {
    expect(functionBodies(src).map((b) => b.name)).toEqual(['foo_idle', 'foo_map', 'foo_caller']);
  });

  it('keeps length and line breaks, blanks only irrelevant bodies, keeps callers of kept functions', () => {
    const out = blankIrrelevantBodies(src, relevant);
    expect(out.length).toBe(src.length);
    expect(out.split('\n').length).toBe(src.split('\n').length);
    expect(out).not.toContain('return f->a + 1');
    expect(out).toContain('dma_map_single');
    expect(out).toContain('return foo_map(f);');
    expect(out).toContain('struct foo { int a; };');
    expect(out).toContain('static const int tbl[] = { 1, 2 };');
  });

  it('returns the text unchanged when every body matters', () => {
    expect(blankIrrelevantBodies('int f(void)\n{\n\tdma_x();\n}\n', relevant)).toBe('int f(void)\n{\n\tdma_x();\n}\n');
  });
});
