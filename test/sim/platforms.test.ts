import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, type Platform } from '../../shared/src/findings';
import type { BounceOp, CacheOp, StreamingDirection, Transition } from '../../server/src/sim/platform-types';
import { PLATFORM_MODELS, platformModel } from '../../server/src/sim/platforms';

/**
 * One row per table entry, to be read line by line against DMA-SEMANTICS.md:
 * coherent 3.1, armv7 3.2, arm64 and arm64-pre-5.19 3.3 ("A64-new" / "A64-old"), swiotlb 4.2.
 * map and sync-for-device are the CPU->DEV column, unmap and sync-for-cpu the DEV->CPU one.
 */
type Row = [Platform, Transition, StreamingDirection, CacheOp, CacheOp, BounceOp];

const TO: StreamingDirection = 'DMA_TO_DEVICE';
const FROM: StreamingDirection = 'DMA_FROM_DEVICE';
const BIDI: StreamingDirection = 'DMA_BIDIRECTIONAL';

// prettier-ignore
const EXPECTED: Row[] = [
  // platform          transition         direction  cache          edges               bounce
  ['coherent',         'map',             TO,        'none',        'none',             'none'],
  ['coherent',         'map',             FROM,      'none',        'none',             'none'],
  ['coherent',         'map',             BIDI,      'none',        'none',             'none'],
  ['coherent',         'sync-for-device', TO,        'none',        'none',             'none'],
  ['coherent',         'sync-for-device', FROM,      'none',        'none',             'none'],
  ['coherent',         'sync-for-device', BIDI,      'none',        'none',             'none'],
  ['coherent',         'sync-for-cpu',    TO,        'none',        'none',             'none'],
  ['coherent',         'sync-for-cpu',    FROM,      'none',        'none',             'none'],
  ['coherent',         'sync-for-cpu',    BIDI,      'none',        'none',             'none'],
  ['coherent',         'unmap',           TO,        'none',        'none',             'none'],
  ['coherent',         'unmap',           FROM,      'none',        'none',             'none'],
  ['coherent',         'unmap',           BIDI,      'none',        'none',             'none'],

  ['armv7',            'map',             TO,        'clean',       'clean',            'none'],
  ['armv7',            'map',             FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['armv7',            'map',             BIDI,      'clean',       'clean',            'none'],
  ['armv7',            'sync-for-device', TO,        'clean',       'clean',            'none'],
  ['armv7',            'sync-for-device', FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['armv7',            'sync-for-device', BIDI,      'clean',       'clean',            'none'],
  ['armv7',            'sync-for-cpu',    TO,        'none',        'none',             'none'],
  ['armv7',            'sync-for-cpu',    FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['armv7',            'sync-for-cpu',    BIDI,      'invalidate',  'clean-invalidate', 'none'],
  ['armv7',            'unmap',           TO,        'none',        'none',             'none'],
  ['armv7',            'unmap',           FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['armv7',            'unmap',           BIDI,      'invalidate',  'clean-invalidate', 'none'],

  ['arm64',            'map',             TO,        'clean',       'clean',            'none'],
  ['arm64',            'map',             FROM,      'clean',       'clean',            'none'],
  ['arm64',            'map',             BIDI,      'clean',       'clean',            'none'],
  ['arm64',            'sync-for-device', TO,        'clean',       'clean',            'none'],
  ['arm64',            'sync-for-device', FROM,      'clean',       'clean',            'none'],
  ['arm64',            'sync-for-device', BIDI,      'clean',       'clean',            'none'],
  ['arm64',            'sync-for-cpu',    TO,        'none',        'none',             'none'],
  ['arm64',            'sync-for-cpu',    FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64',            'sync-for-cpu',    BIDI,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64',            'unmap',           TO,        'none',        'none',             'none'],
  ['arm64',            'unmap',           FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64',            'unmap',           BIDI,      'invalidate',  'clean-invalidate', 'none'],

  ['arm64-pre-5.19',   'map',             TO,        'clean',       'clean',            'none'],
  ['arm64-pre-5.19',   'map',             FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64-pre-5.19',   'map',             BIDI,      'clean',       'clean',            'none'],
  ['arm64-pre-5.19',   'sync-for-device', TO,        'clean',       'clean',            'none'],
  ['arm64-pre-5.19',   'sync-for-device', FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64-pre-5.19',   'sync-for-device', BIDI,      'clean',       'clean',            'none'],
  ['arm64-pre-5.19',   'sync-for-cpu',    TO,        'none',        'none',             'none'],
  ['arm64-pre-5.19',   'sync-for-cpu',    FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64-pre-5.19',   'sync-for-cpu',    BIDI,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64-pre-5.19',   'unmap',           TO,        'none',        'none',             'none'],
  ['arm64-pre-5.19',   'unmap',           FROM,      'invalidate',  'clean-invalidate', 'none'],
  ['arm64-pre-5.19',   'unmap',           BIDI,      'invalidate',  'clean-invalidate', 'none'],

  // Cache maintenance under swiotlb is done on the bounce slot, not the original: 'none'.
  ['swiotlb',          'map',             TO,        'none',        'none',             'to-bounce'],
  ['swiotlb',          'map',             FROM,      'none',        'none',             'to-bounce'],
  ['swiotlb',          'map',             BIDI,      'none',        'none',             'to-bounce'],
  ['swiotlb',          'sync-for-device', TO,        'none',        'none',             'to-bounce'],
  ['swiotlb',          'sync-for-device', FROM,      'none',        'none',             'none'],
  ['swiotlb',          'sync-for-device', BIDI,      'none',        'none',             'to-bounce'],
  ['swiotlb',          'sync-for-cpu',    TO,        'none',        'none',             'none'],
  ['swiotlb',          'sync-for-cpu',    FROM,      'none',        'none',             'from-bounce'],
  ['swiotlb',          'sync-for-cpu',    BIDI,      'none',        'none',             'from-bounce'],
  ['swiotlb',          'unmap',           TO,        'none',        'none',             'none'],
  ['swiotlb',          'unmap',           FROM,      'none',        'none',             'from-bounce'],
  ['swiotlb',          'unmap',           BIDI,      'none',        'none',             'from-bounce'],
];

const TRANSITIONS: Transition[] = ['map', 'sync-for-device', 'sync-for-cpu', 'unmap'];
const DIRECTIONS: StreamingDirection[] = [TO, FROM, BIDI];

function allEntries(): { p: Platform; t: Transition; d: StreamingDirection; source: string }[] {
  return PLATFORMS.flatMap((p) =>
    TRANSITIONS.flatMap((t) => DIRECTIONS.map((d) => ({ p, t, d, source: PLATFORM_MODELS[p].effects[t][d].source }))),
  );
}

describe('platform tables, entry by entry', () => {
  it.each(EXPECTED)('%s %s %s: cache %s, edges %s, bounce %s', (p, t, d, cache, edges, bounce) => {
    const e = platformModel(p).effects[t][d];
    expect({ cache: e.cache, edges: e.edges, bounce: e.bounce }).toEqual({ cache, edges, bounce });
  });

  it('the expectations cover every platform x transition x direction exactly once', () => {
    const keys = EXPECTED.map(([p, t, d]) => `${p}/${t}/${d}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(PLATFORMS.length * TRANSITIONS.length * DIRECTIONS.length);
    expect(Object.keys(PLATFORM_MODELS).sort()).toEqual([...PLATFORMS].sort());
  });
});

describe('platform flags', () => {
  it.each([
    ['coherent', true, false],
    ['armv7', false, false],
    ['arm64', false, false],
    ['arm64-pre-5.19', false, false],
    ['swiotlb', false, true],
  ] as [Platform, boolean, boolean][])('%s: coherent %s, bounces %s', (p, coherent, bounces) => {
    const m = platformModel(p);
    expect(m.name).toBe(p);
    expect(m.coherent).toBe(coherent);
    expect(m.bounces).toBe(bounces);
    expect(m.description.length).toBeGreaterThan(0);
  });

  it('only a bouncing platform bounces, and a coherent one does no maintenance', () => {
    for (const { p, t, d } of allEntries()) {
      const m = platformModel(p);
      const e = m.effects[t][d];
      if (!m.bounces) expect(e.bounce, `${p} ${t} ${d}`).toBe('none');
      if (m.coherent || m.bounces) expect([e.cache, e.edges], `${p} ${t} ${d}`).toEqual(['none', 'none']);
    }
  });
});

describe('map == sync_for_device + allocate, unmap == sync_for_cpu + release (DMA-SEMANTICS.md 3)', () => {
  const strip = (e: { cache: CacheOp; edges: CacheOp; bounce: BounceOp }) => [e.cache, e.edges, e.bounce];
  it.each(PLATFORMS.map((p) => [p]))('%s', (p) => {
    const fx = platformModel(p).effects;
    for (const d of DIRECTIONS) {
      expect(strip(fx.unmap[d]), `unmap ${d}`).toEqual(strip(fx['sync-for-cpu'][d]));
      // The one exception: swiotlb copies orig->bounce at map for FROM_DEVICE (since v5.17/5.18)
      // but not at sync_for_device (901c7280ca0d).
      if (p === 'swiotlb' && d === FROM) continue;
      expect(strip(fx.map[d]), `map ${d}`).toEqual(strip(fx['sync-for-device'][d]));
    }
  });
});

// A source is "fn -> fn (path)" parts separated by "; "; a path for code no longer in 6.1
// ends in " before <commit>".
const PART = /^([A-Za-z_]\w*(?: -> [A-Za-z_]\w*)*) \(((?:arch|kernel|include|drivers)\/[\w./-]+\.[chS])(?: before ([0-9a-f]{12}))?\)$/;

describe('sources', () => {
  it('every source is non-empty and names kernel functions and the files they are in', () => {
    for (const { p, t, d, source } of allEntries()) {
      expect(source.trim().length, `${p} ${t} ${d}`).toBeGreaterThan(0);
      for (const part of source.split('; ')) expect(part, `${p} ${t} ${d}`).toMatch(PART);
    }
  });

  it('non-coherent cache entries cite their architecture; pre-5.19 cites the code before c50f11c6196f', () => {
    const arch: Partial<Record<Platform, RegExp>> = {
      armv7: /\(arch\/arm\/mm\//,
      arm64: /\(arch\/arm64\/mm\/dma-mapping\.c\)/,
      'arm64-pre-5.19': /\(arch\/arm64\/mm\/cache\.S before c50f11c6196f\)/,
      swiotlb: /\(kernel\/dma\/swiotlb\.c\)/,
    };
    for (const { p, t, d, source } of allEntries()) {
      const re = arch[p];
      if (re) expect(source, `${p} ${t} ${d}`).toMatch(re);
    }
  });

  const tree = process.env.DMA_LINT_LINUX_6_1 ?? join(homedir(), '.cache/dma-lint/linux-source-6.1');
  it.skipIf(!existsSync(tree))('every function named for 6.1 occurs in the cited file of the 6.1 tree', () => {
    const files = new Map<string, string>();
    for (const { p, t, d, source } of allEntries()) {
      for (const part of source.split('; ')) {
        const m = PART.exec(part);
        if (!m || m[3]) continue; // pre-5.19 code is not in this tree
        const path = m[2];
        let text = files.get(path);
        if (text === undefined) {
          text = readFileSync(join(tree, path), 'utf8');
          files.set(path, text);
        }
        for (const fn of m[1].split(' -> ')) {
          expect(new RegExp(`\\b${fn}\\b`).test(text), `${p} ${t} ${d}: ${fn} in ${path}`).toBe(true);
        }
      }
    }
  });
});
