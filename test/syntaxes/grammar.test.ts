/**
 * Checks the TextMate injection grammars in syntaxes/ without an Oniguruma binding:
 * the regexes are restricted to the subset JavaScript's RegExp shares with Oniguruma,
 * and a tiny single-line tokenizer (match, begin/end, captures, includes) applies them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Capture {
  name?: string;
}
interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  contentName?: string;
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  patterns?: Rule[];
}
interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}
interface Token {
  text: string;
  scope: string;
}

const root = join(__dirname, '..', '..');
const load = (file: string): Grammar => JSON.parse(readFileSync(join(root, 'syntaxes', file), 'utf8')) as Grammar;

const CODE = 'dma-lint.injection.tmLanguage.json';
const COMMENT = 'dma-lint.comment.injection.tmLanguage.json';

/** Oniguruma-only constructs that JS RegExp would misread or reject. */
const ONIG_ONLY = [/\\[hHAzZG]/, /\(\?>/, /\(\?[imx]+-?[imx]*\)/, /[*+?}]\+/, /\\[kg]</, /\(\?~/];

function allRegexes(g: Grammar): string[] {
  const out: string[] = [];
  const walk = (r: Rule): void => {
    for (const src of [r.match, r.begin, r.end]) if (src !== undefined) out.push(src);
    r.patterns?.forEach(walk);
  };
  g.patterns.forEach(walk);
  Object.values(g.repository).forEach(walk);
  return out;
}

function resolve(g: Grammar, r: Rule): Rule {
  if (!r.include) return r;
  const key = r.include.replace(/^#/, '');
  const found = g.repository[key];
  if (!found) throw new Error(`unresolved include ${r.include}`);
  return resolve(g, found);
}

/** Tokenizes one line; returns only the scoped pieces (what the injection adds). */
function tokenize(g: Grammar, line: string): Token[] {
  const tokens: Token[] = [];
  const emitCaptures = (m: RegExpExecArray, caps: Record<string, Capture> | undefined, whole?: string): void => {
    if (whole) tokens.push({ text: m[0], scope: whole });
    if (!caps) return;
    for (const [idx, cap] of Object.entries(caps)) {
      const text = m[Number(idx)];
      if (cap.name && text) tokens.push({ text, scope: cap.name });
    }
  };
  const scan = (pos: number, rules: Rule[], end?: RegExp): number => {
    while (pos <= line.length) {
      let best: { rule?: Rule; m: RegExpExecArray; re: RegExp } | undefined;
      if (end) {
        end.lastIndex = pos;
        const m = end.exec(line);
        if (m) best = { m, re: end };
      }
      for (const raw of rules) {
        const rule = resolve(g, raw);
        const re = new RegExp(rule.match ?? rule.begin ?? '', 'g');
        re.lastIndex = pos;
        const m = re.exec(line);
        // The end pattern wins ties, as in TextMate without applyEndPatternLast.
        if (m && (!best || m.index < best.m.index)) best = { rule, m, re };
      }
      if (!best) return line.length;
      const { rule, m } = best;
      if (!rule) return m.index + m[0].length;
      if (rule.match !== undefined) {
        emitCaptures(m, rule.captures, rule.name);
        pos = m.index + Math.max(m[0].length, 1);
      } else {
        emitCaptures(m, rule.beginCaptures, rule.name);
        const endRe = new RegExp(rule.end ?? '$', 'gm');
        pos = scan(m.index + m[0].length, rule.patterns ?? [], endRe);
        if (pos >= line.length) return line.length;
      }
    }
    return pos;
  };
  scan(0, g.patterns);
  return tokens;
}

const scoped = (g: Grammar, line: string, scope: string): string[] =>
  tokenize(g, line)
    .filter((t) => t.scope === scope)
    .map((t) => t.text);

const FN = 'support.function.dma.dma-lint';
const DIR = 'constant.language.dma-direction.dma-lint';
const FLAG = 'constant.language.dma-flag.dma-lint';
const KW = 'keyword.control.directive.dma-lint';
const RULE = 'entity.name.tag.rule.dma-lint';

describe('grammar files', () => {
  for (const file of [CODE, COMMENT]) {
    it(`${file} is valid JSON with the expected top-level keys`, () => {
      const g = load(file);
      expect(typeof g.scopeName).toBe('string');
      expect(g.scopeName.startsWith('dma-lint.')).toBe(true);
      expect(typeof g.injectionSelector).toBe('string');
      expect(Array.isArray(g.patterns)).toBe(true);
      for (const p of g.patterns) expect(() => resolve(g, p)).not.toThrow();
    });

    it(`${file} uses only regexes JS and Oniguruma read alike`, () => {
      const g = load(file);
      const sources = allRegexes(g);
      expect(sources.length).toBeGreaterThan(0);
      for (const src of sources) {
        for (const bad of ONIG_ONLY) expect(src, `${src} uses ${bad}`).not.toMatch(bad);
        expect(() => new RegExp(src)).not.toThrow();
      }
    });
  }

  it('keeps code scopes out of comments and strings, and the directive in comments', () => {
    expect(load(CODE).injectionSelector).toBe('L:source.c -comment -string');
    expect(load(COMMENT).injectionSelector).toBe('L:source.c comment');
  });
});

describe('code injection', () => {
  const g = load(CODE);

  it('scopes map calls and directions', () => {
    const line = '\tdma = dma_map_single(dev, skb->data, len, DMA_TO_DEVICE);';
    expect(scoped(g, line, FN)).toEqual(['dma_map_single']);
    expect(scoped(g, line, DIR)).toEqual(['DMA_TO_DEVICE']);
  });

  it('scopes the error check, syncs, coherent and pool calls', () => {
    expect(scoped(g, '\tif (dma_mapping_error(dev, dma))', FN)).toEqual(['dma_mapping_error']);
    expect(scoped(g, '\tdma_sync_single_for_cpu(dev, h, n, DMA_FROM_DEVICE);', FN)).toEqual(['dma_sync_single_for_cpu']);
    expect(scoped(g, '\tp = dma_alloc_coherent(dev, sz, &h, GFP_KERNEL);', FN)).toEqual(['dma_alloc_coherent']);
    expect(scoped(g, '\tdma_pool_free(pool, d, h);', FN)).toEqual(['dma_pool_free']);
    expect(scoped(g, '\tdmam_alloc_coherent (dev, sz, &h, GFP_KERNEL);', FN)).toEqual(['dmam_alloc_coherent']);
    expect(scoped(g, '\th = skb_frag_dma_map(dev, frag, 0, n, DMA_TO_DEVICE);', FN)).toEqual(['skb_frag_dma_map']);
    expect(scoped(g, '\tib_dma_unmap_single(ibdev, h, n, DMA_BIDIRECTIONAL);', FN)).toEqual(['ib_dma_unmap_single']);
  });

  it('scopes legacy PCI wrappers and their directions', () => {
    const line = '\th = pci_map_single(pdev, p, n, PCI_DMA_FROMDEVICE);';
    expect(scoped(g, line, FN)).toEqual(['pci_map_single']);
    expect(scoped(g, line, DIR)).toEqual(['PCI_DMA_FROMDEVICE']);
    expect(scoped(g, '\tpci_dma_sync_single_for_cpu(pdev, h, n, PCI_DMA_NONE);', DIR)).toEqual(['PCI_DMA_NONE']);
  });

  it('scopes attributes and async_tx flags', () => {
    const map = '\th = dma_map_page_attrs(dev, pg, 0, n, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);';
    expect(scoped(g, map, FLAG)).toEqual(['DMA_ATTR_SKIP_CPU_SYNC']);
    const submit = '\tinit_async_submit(&submit, ASYNC_TX_FENCE | ASYNC_TX_ACK, tx, NULL, NULL, NULL);';
    expect(scoped(g, submit, FN)).toEqual(['init_async_submit']);
    expect(scoped(g, submit, FLAG)).toEqual(['ASYNC_TX_FENCE', 'ASYNC_TX_ACK']);
    expect(scoped(g, '\ttx = async_memcpy(d, s, 0, 0, len, &submit);', FN)).toEqual(['async_memcpy']);
  });

  it('leaves look-alikes alone', () => {
    expect(tokenize(g, '\tconst struct dma_map_ops *ops = get_dma_ops(dev);')).toEqual([]);
    expect(tokenize(g, '\tmy_dma_map_single(dev, p);')).toEqual([]);
    expect(tokenize(g, '\tasync_schedule(foo_probe_async, priv);')).toEqual([]);
    expect(tokenize(g, '\tx = MY_DMA_TO_DEVICE_FLAG;')).toEqual([]);
  });
});

describe('comment injection', () => {
  const g = load(COMMENT);

  it('scopes the directive and rule ids in a block comment', () => {
    const line = '\t/* dma-lint-disable-next-line dma/unchecked-map, dma/stack-buffer -- checked in foo_map() */';
    expect(scoped(g, line, KW)).toEqual(['dma-lint-disable-next-line']);
    expect(scoped(g, line, RULE)).toEqual(['dma/unchecked-map', 'dma/stack-buffer']);
  });

  it('scopes a line comment and leaves rule-like words in the reason alone', () => {
    const line = '\t// dma-lint-disable-next-line async-tx/missing-fence -- engine has no read-ahead, see dma/overlap-conflict';
    expect(scoped(g, line, KW)).toEqual(['dma-lint-disable-next-line']);
    expect(scoped(g, line, RULE)).toEqual(['async-tx/missing-fence']);
  });

  it('stops at the end of a block comment', () => {
    const line = '/* dma-lint-disable-next-line dma/double-unmap */ dma/use-after-unmap';
    expect(scoped(g, line, RULE)).toEqual(['dma/double-unmap']);
  });

  it('ignores other words', () => {
    expect(tokenize(g, '/* dma-lint-disable-next-lines dma/double-unmap */')).toEqual([]);
    expect(tokenize(g, '/* maps with dma/unchecked-map semantics */')).toEqual([]);
  });
});
