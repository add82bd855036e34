import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  UNMAP_FOR,
  UNMAP_STYLE_ONLY,
  isIbVerbsApi,
  lookupApi,
  normaliseDirection,
  releaseVerdict,
} from '../../server/src/dma/catalogue';
import type { ApiEntry, ApiFamily } from '../../server/src/dma/catalogue-types';

/**
 * Real arity of every catalogued call, checked by hand against Debian linux-source-6.1
 * (include/linux/dma-mapping.h, dmapool.h, blkdev.h, skbuff.h, rdma/ib_verbs.h,
 * spi/spi.h, usb.h) and, for names absent from 6.1, against the last pci-dma-compat.h
 * (v5.17) and the v4.x dma_zalloc_coherent().
 */
const ARITY: Readonly<Record<string, number>> = {
  // dma-mapping.h
  dma_map_single: 4,
  dma_map_single_attrs: 5,
  dma_unmap_single: 4,
  dma_unmap_single_attrs: 5,
  dma_map_page: 5,
  dma_map_page_attrs: 6,
  dma_unmap_page: 4,
  dma_unmap_page_attrs: 5,
  dma_map_sg: 4,
  dma_map_sg_attrs: 5,
  dma_unmap_sg: 4,
  dma_unmap_sg_attrs: 5,
  dma_map_sgtable: 4,
  dma_unmap_sgtable: 4,
  dma_map_resource: 5,
  dma_unmap_resource: 5,
  dma_sync_single_for_cpu: 4,
  dma_sync_single_for_device: 4,
  dma_sync_single_range_for_cpu: 5,
  dma_sync_single_range_for_device: 5,
  dma_sync_sg_for_cpu: 4,
  dma_sync_sg_for_device: 4,
  dma_sync_sgtable_for_cpu: 3,
  dma_sync_sgtable_for_device: 3,
  dma_mapping_error: 2,
  dma_alloc_coherent: 4,
  dma_alloc_attrs: 5,
  dma_alloc_wc: 4,
  dma_zalloc_coherent: 4,
  dmam_alloc_coherent: 4,
  dmam_alloc_attrs: 5,
  dma_alloc_noncoherent: 5,
  dma_alloc_pages: 5,
  dma_alloc_noncontiguous: 5,
  dma_free_coherent: 4,
  dma_free_attrs: 5,
  dma_free_wc: 4,
  dmam_free_coherent: 4,
  dma_free_noncoherent: 5,
  dma_free_pages: 5,
  dma_free_noncontiguous: 4,
  // blkdev.h, skbuff.h
  dma_map_bvec: 4,
  skb_frag_dma_map: 5,
  // dmapool.h
  dma_pool_alloc: 3,
  dma_pool_zalloc: 3,
  dma_pool_free: 3,
  // pci-dma-compat.h (removed in v5.18)
  pci_map_single: 4,
  pci_unmap_single: 4,
  pci_map_page: 5,
  pci_unmap_page: 4,
  pci_map_sg: 4,
  pci_unmap_sg: 4,
  pci_dma_sync_single_for_cpu: 4,
  pci_dma_sync_single_for_device: 4,
  pci_dma_sync_sg_for_cpu: 4,
  pci_dma_sync_sg_for_device: 4,
  pci_dma_mapping_error: 2,
  pci_alloc_consistent: 3,
  pci_zalloc_consistent: 3,
  pci_free_consistent: 4,
  // rdma/ib_verbs.h
  ib_dma_map_single: 4,
  ib_dma_unmap_single: 4,
  ib_dma_map_page: 5,
  ib_dma_unmap_page: 4,
  ib_dma_map_sg: 4,
  ib_dma_map_sg_attrs: 5,
  ib_dma_unmap_sg: 4,
  ib_dma_unmap_sg_attrs: 5,
  ib_dma_map_sgtable_attrs: 4,
  ib_dma_unmap_sgtable_attrs: 4,
  ib_dma_sync_single_for_cpu: 4,
  ib_dma_sync_single_for_device: 4,
  ib_dma_mapping_error: 2,
  // spi/spi.h, usb.h
  spi_write: 3,
  spi_read: 3,
  spi_sync_transfer: 3,
  usb_control_msg: 9,
  usb_bulk_msg: 6,
  usb_bulk_msg_killable: 6,
  usb_interrupt_msg: 6,
};

const ROLE_KEYS = ['dev', 'buffer', 'offset', 'size', 'dir', 'attrs', 'handle', 'nents', 'pool'] as const;

function roleIndexes(e: ApiEntry): number[] {
  const out: number[] = [];
  for (const k of ROLE_KEYS) {
    const v = e[k];
    if (v !== undefined) out.push(v);
  }
  return out;
}

function get(name: string): ApiEntry {
  const e = lookupApi(name);
  if (e === undefined) throw new Error(`${name} missing from CATALOGUE`);
  return e;
}

describe('CATALOGUE shape', () => {
  it('has unique names and lookupApi finds every entry', () => {
    const names = CATALOGUE.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of CATALOGUE) expect(lookupApi(e.name)).toBe(e);
    expect(lookupApi('kmalloc')).toBeUndefined();
    expect(lookupApi('')).toBeUndefined();
  });

  it('has an arity for every entry and no stale arity rows', () => {
    for (const e of CATALOGUE) expect(ARITY[e.name], e.name).toBeTypeOf('number');
    for (const name of Object.keys(ARITY)) expect(lookupApi(name), name).toBeDefined();
  });

  it('uses distinct, in-range argument indexes', () => {
    for (const e of CATALOGUE) {
      const idx = roleIndexes(e);
      const arity = ARITY[e.name] ?? -1;
      expect(new Set(idx).size, `${e.name} duplicate role index`).toBe(idx.length);
      for (const i of idx) {
        expect(Number.isInteger(i), e.name).toBe(true);
        expect(i, e.name).toBeGreaterThanOrEqual(0);
        expect(i, e.name).toBeLessThan(arity);
      }
    }
  });

  it('gives each kind the roles its rules need', () => {
    for (const e of CATALOGUE) {
      switch (e.kind) {
        case 'map':
          expect(e.buffer, e.name).toBeDefined();
          expect(e.dir, e.name).toBeDefined();
          expect(['handle', 'count', 'errno']).toContain(e.returns);
          break;
        case 'unmap':
          // sg-style unmaps are identified by the list, handle-style ones by the handle.
          expect(e.handle !== undefined || e.buffer !== undefined, e.name).toBe(true);
          expect(e.dir, e.name).toBeDefined();
          expect(e.returns).toBe('void');
          break;
        case 'sync':
          expect(e.syncFor, e.name).toBeDefined();
          expect(e.dir, e.name).toBeDefined();
          expect(e.handle !== undefined || e.buffer !== undefined, e.name).toBe(true);
          break;
        case 'check':
          expect(e.handle, e.name).toBe(1);
          expect(e.returns).toBe('bool');
          break;
        case 'alloc':
          expect(e.returns, e.name).toBe('pointer');
          expect(e.dev !== undefined || e.pool !== undefined, e.name).toBe(true);
          break;
        case 'free':
          expect(e.buffer, e.name).toBeDefined();
          expect(e.returns).toBe('void');
          break;
        case 'transfer':
          expect(e.family).toBe('transfer');
          expect(e.returns).toBe('int');
          break;
      }
    }
  });

  it('marks syncs in matching for_cpu / for_device pairs', () => {
    for (const e of CATALOGUE.filter((x) => x.kind === 'sync')) {
      expect(e.name.endsWith(`_for_${e.syncFor ?? ''}`), e.name).toBe(true);
      const other = e.syncFor === 'cpu' ? e.name.replace(/_for_cpu$/, '_for_device') : e.name.replace(/_for_device$/, '_for_cpu');
      expect(lookupApi(other)?.kind, other).toBe('sync');
    }
  });
});

describe('pairing', () => {
  const sameLayer = (a: ApiEntry, b: ApiEntry): boolean =>
    isIbVerbsApi(a) === isIbVerbsApi(b) && (a.legacy === true) === (b.legacy === true);

  it('every map entry has an unmap of a compatible family in the same API layer', () => {
    for (const m of CATALOGUE.filter((e) => e.kind === 'map')) {
      const ok = CATALOGUE.some(
        (u) => u.kind === 'unmap' && UNMAP_FOR[m.family].includes(u.family) && sameLayer(m, u),
      );
      expect(ok, m.name).toBe(true);
    }
  });

  it('every map entry has an unmap of exactly its own family (no style finding needed)', () => {
    for (const m of CATALOGUE.filter((e) => e.kind === 'map')) {
      const ok = CATALOGUE.some((u) => u.kind === 'unmap' && u.family === m.family && sameLayer(m, u));
      expect(ok, m.name).toBe(true);
    }
  });

  it('every alloc entry has a free of a compatible family', () => {
    for (const a of CATALOGUE.filter((e) => e.kind === 'alloc')) {
      const ok = CATALOGUE.some((f) => f.kind === 'free' && UNMAP_FOR[a.family].includes(f.family));
      expect(ok, a.name).toBe(true);
    }
  });

  it('every release entry belongs to a family some creator may release with it', () => {
    for (const r of CATALOGUE.filter((e) => e.kind === 'unmap' || e.kind === 'free')) {
      const ok = CATALOGUE.some(
        (c) => (c.kind === 'map' || c.kind === 'alloc') && UNMAP_FOR[c.family].includes(r.family),
      );
      expect(ok, r.name).toBe(true);
    }
  });

  it('UNMAP_FOR is reflexive (except transfer) and style pairs are a subset of legal pairs', () => {
    for (const [fam, allowed] of Object.entries(UNMAP_FOR) as [ApiFamily, readonly ApiFamily[]][]) {
      if (fam === 'transfer') expect(allowed).toEqual([]);
      else expect(allowed).toContain(fam);
    }
    for (const [fam, style] of Object.entries(UNMAP_STYLE_ONLY) as [ApiFamily, readonly ApiFamily[]][]) {
      for (const s of style) expect(UNMAP_FOR[fam]).toContain(s);
    }
  });

  it('judges releases as the spec says', () => {
    expect(releaseVerdict('single', 'single')).toBe('ok');
    expect(releaseVerdict('single', 'page')).toBe('style');
    expect(releaseVerdict('page', 'single')).toBe('style');
    expect(releaseVerdict('sg', 'single')).toBe('mismatch');
    expect(releaseVerdict('single', 'sg')).toBe('mismatch');
    expect(releaseVerdict('resource', 'page')).toBe('mismatch');
    expect(releaseVerdict('coherent', 'single')).toBe('mismatch');
    expect(releaseVerdict('managed-coherent', 'coherent')).toBe('mismatch');
    expect(releaseVerdict('coherent', 'managed-coherent')).toBe('mismatch');
    expect(releaseVerdict('pool', 'coherent')).toBe('mismatch');
    expect(releaseVerdict('noncoherent', 'pages')).toBe('mismatch');
  });
});

describe('normaliseDirection', () => {
  it.each([
    ['DMA_BIDIRECTIONAL', 'DMA_BIDIRECTIONAL'],
    ['DMA_TO_DEVICE', 'DMA_TO_DEVICE'],
    ['DMA_FROM_DEVICE', 'DMA_FROM_DEVICE'],
    ['DMA_NONE', 'DMA_NONE'],
    ['PCI_DMA_BIDIRECTIONAL', 'DMA_BIDIRECTIONAL'],
    ['PCI_DMA_TODEVICE', 'DMA_TO_DEVICE'],
    ['PCI_DMA_FROMDEVICE', 'DMA_FROM_DEVICE'],
    ['PCI_DMA_NONE', 'DMA_NONE'],
    ['0', 'DMA_BIDIRECTIONAL'],
    ['1', 'DMA_TO_DEVICE'],
    ['2', 'DMA_FROM_DEVICE'],
    ['3', 'DMA_NONE'],
    ['  DMA_TO_DEVICE ', 'DMA_TO_DEVICE'],
  ])('%j -> %s', (text, want) => {
    expect(normaliseDirection(text)).toBe(want);
  });

  it.each(['', '4', '-1', '01', 'dma_to_device', 'DMA_TODEVICE', 'PCI_DMA_TO_DEVICE', 'dir', 'DMA_TO_DEVICE | 1'])(
    'rejects %j',
    (text) => {
      expect(normaliseDirection(text)).toBeUndefined();
    },
  );
});

describe('spot checks from DMA-SEMANTICS.md', () => {
  it('dma_map_sgtable returns errno, dma_map_sg returns a count', () => {
    expect(get('dma_map_sgtable')).toMatchObject({ returns: 'errno', family: 'sgtable', buffer: 1, dir: 2, attrs: 3 });
    expect(get('dma_map_sgtable').nents).toBeUndefined();
    expect(get('dma_map_sg')).toMatchObject({ returns: 'count', family: 'sg', buffer: 1, nents: 2, dir: 3 });
    expect(get('dma_map_sg_attrs')).toMatchObject({ returns: 'count', attrs: 4 });
    expect(get('ib_dma_map_sgtable_attrs').returns).toBe('errno');
    expect(get('ib_dma_map_sg').returns).toBe('count');
    expect(get('pci_map_sg').returns).toBe('count');
  });

  it('single / page / resource maps return a handle checked by dma_mapping_error', () => {
    for (const n of ['dma_map_single', 'dma_map_page_attrs', 'dma_map_resource', 'skb_frag_dma_map', 'dma_map_bvec']) {
      expect(get(n).returns, n).toBe('handle');
    }
    expect(get('dma_mapping_error')).toMatchObject({ kind: 'check', dev: 0, handle: 1 });
    expect(get('ib_dma_mapping_error')).toMatchObject({ kind: 'check', dev: 0, handle: 1 });
    expect(get('pci_dma_mapping_error')).toMatchObject({ kind: 'check', dev: 0, handle: 1, legacy: true });
  });

  it('skb_frag_dma_map is a page mapping (dev, frag, offset, size, dir)', () => {
    expect(get('skb_frag_dma_map')).toMatchObject({
      kind: 'map',
      family: 'page',
      dev: 0,
      buffer: 1,
      offset: 2,
      size: 3,
      dir: 4,
    });
    expect(get('skb_frag_dma_map').attrs).toBeUndefined();
  });

  it('dma_map_page keeps offset before size', () => {
    expect(get('dma_map_page')).toMatchObject({ buffer: 1, offset: 2, size: 3, dir: 4 });
    expect(get('dma_map_page_attrs')).toMatchObject({ attrs: 5 });
    expect(get('dma_unmap_page')).toMatchObject({ handle: 1, size: 2, dir: 3 });
  });

  it('dma_sync_single_range_for_cpu has offset at 2 and size at 3', () => {
    expect(get('dma_sync_single_range_for_cpu')).toMatchObject({
      kind: 'sync',
      syncFor: 'cpu',
      dev: 0,
      handle: 1,
      offset: 2,
      size: 3,
      dir: 4,
    });
    expect(get('dma_sync_single_range_for_device')).toMatchObject({ syncFor: 'device', offset: 2, size: 3, dir: 4 });
    expect(get('dma_sync_single_for_cpu').offset).toBeUndefined();
  });

  it('dma_pool_free has cpu pointer at 1 and handle at 2; pool alloc returns cpu ptr', () => {
    expect(get('dma_pool_free')).toMatchObject({ kind: 'free', family: 'pool', pool: 0, buffer: 1, handle: 2 });
    expect(get('dma_pool_free').dev).toBeUndefined();
    expect(get('dma_pool_alloc')).toMatchObject({ returns: 'pointer', pool: 0, handle: 2 });
    expect(get('dma_pool_zalloc')).toMatchObject({ returns: 'pointer', pool: 0, handle: 2 });
  });

  it('coherent allocators put the handle out-parameter at 2 and free takes (dev, size, cpu, handle)', () => {
    for (const n of ['dma_alloc_coherent', 'dma_alloc_attrs', 'dma_alloc_wc', 'dmam_alloc_coherent', 'pci_alloc_consistent']) {
      expect(get(n), n).toMatchObject({ dev: 0, size: 1, handle: 2 });
    }
    for (const n of ['dma_free_coherent', 'dma_free_attrs', 'dma_free_wc', 'dmam_free_coherent', 'pci_free_consistent']) {
      expect(get(n), n).toMatchObject({ dev: 0, size: 1, buffer: 2, handle: 3 });
    }
    expect(get('dmam_alloc_coherent').family).toBe('managed-coherent');
    expect(get('dma_alloc_noncoherent')).toMatchObject({ family: 'noncoherent', dir: 3 });
    expect(get('dma_free_pages')).toMatchObject({ buffer: 2, handle: 3, dir: 4 });
    expect(get('dma_alloc_noncontiguous')).toMatchObject({ dir: 2, attrs: 4 });
    expect(get('dma_alloc_noncontiguous').handle).toBeUndefined();
  });

  it('sgtable syncs / unmaps use (dev, sgt, dir[, attrs])', () => {
    expect(get('dma_unmap_sgtable')).toMatchObject({ buffer: 1, dir: 2, attrs: 3 });
    expect(get('dma_sync_sgtable_for_cpu')).toMatchObject({ buffer: 1, dir: 2 });
    expect(get('dma_sync_sgtable_for_cpu').attrs).toBeUndefined();
  });

  it('legacy PCI wrappers are flagged legacy, dma_* ones are not', () => {
    for (const e of CATALOGUE) {
      if (e.name.startsWith('pci_')) expect(e.legacy, e.name).toBe(true);
      if (e.name.startsWith('dma_') && e.name !== 'dma_zalloc_coherent') expect(e.legacy, e.name).toBeUndefined();
    }
  });

  it('transfer helpers: buffers where the headers put them; self-bouncing helpers are excluded', () => {
    expect(get('spi_write')).toMatchObject({ kind: 'transfer', buffer: 1, size: 2 });
    expect(get('spi_read')).toMatchObject({ kind: 'transfer', buffer: 1, size: 2 });
    expect(get('spi_sync_transfer').buffer).toBeUndefined();
    expect(get('usb_control_msg')).toMatchObject({ buffer: 6, size: 7 });
    expect(get('usb_bulk_msg')).toMatchObject({ buffer: 2, size: 3 });
    expect(get('usb_interrupt_msg')).toMatchObject({ buffer: 2, size: 3 });
    expect(lookupApi('spi_write_then_read')).toBeUndefined();
    expect(lookupApi('usb_control_msg_send')).toBeUndefined();
    expect(lookupApi('usb_control_msg_recv')).toBeUndefined();
  });

  it('ib_dma_* entries are recognised as the RDMA layer', () => {
    expect(isIbVerbsApi(get('ib_dma_map_single'))).toBe(true);
    expect(isIbVerbsApi(get('dma_map_single'))).toBe(false);
  });
});
