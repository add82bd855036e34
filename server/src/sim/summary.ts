import type { FunctionScope } from '../c/scope';
import { typeName } from '../c/scope';
import { identifierBefore } from '../c/relevance';
import type { ApiEntry } from '../dma/catalogue-types';
import type { Range } from '../../../shared/src/findings';
import type { LocKey } from '../dma/locations';
import type { Direction } from '../dma/catalogue-types';

/**
 * The file-level summary: where handles are kept between functions. A mapping stored
 * into `priv->rx_dma[i]` by the refill function and released from `priv->rx_dma[i]` by
 * the clean-up function meet here under the key `foo_priv.rx_dma[]`.
 */

/**
 * Plain data (no syntax nodes), so that a function's contribution can be cached with its
 * findings and reused while only other functions change.
 */
export interface StoredMapping {
  key: string;
  fn: string;
  api: ApiEntry;
  dir?: Direction;
  sizeText?: string;
  sizeValue?: string;
  nentsText?: string;
  /** Where the mapping was made (the map call's name). */
  at: Range;
  /** Distinguishes two map sites of one function. */
  site: number;
}

export interface ForeignRelease {
  key: string;
  fn: string;
  api: ApiEntry;
  dirText?: string;
  sizeText?: string;
  nentsText?: string;
  /** Direction and size of the release, resolved in its own function. */
  dir?: Direction;
  sizeValue?: string;
  /** Summary key of the nents argument (`foo_req.mapped`), for sg releases. */
  nentsKey?: string;
  /** The release call's name, and its whole range (one per call). */
  at: Range;
  site: number;
}

export interface FunctionContribution {
  stored: StoredMapping[];
  released: ForeignRelease[];
}

export class FileSummary {
  readonly stored: StoredMapping[] = [];
  readonly released: ForeignRelease[] = [];
  /**
   * Fields whose address the file passes to a call (`foo_rx_alloc(ah, &bf->skbaddr)`): the
   * callee may map into them through the out-parameter, unseen (the caller often names no
   * DMA API and is not analysed), so no map into such a field is known to be the only one.
   */
  private outParamFields: Set<string> | null = null;
  private outParamSource: { source: string; isApi: (callee: string) => boolean } | null = null;

  addStore(store: StoredMapping): void {
    if (!this.stored.some((s) => s.key === store.key && s.site === store.site)) this.stored.push(store);
  }

  addRelease(release: ForeignRelease): void {
    if (!this.released.some((r) => r.key === release.key && r.site === release.site)) this.released.push(release);
  }

  /**
   * The file whose field addresses passed to calls are out-parameters, except to the DMA API
   * itself (`dma_alloc_coherent(dev, n, &priv->ring_dma, ...)` is seen). Read only when a
   * cross-function comparison asks: most analyses of an edit ask nothing.
   */
  noteOutParameters(source: string, isApi: (callee: string) => boolean): void {
    this.outParamSource = { source, isApi };
    this.outParamFields = null;
  }

  private outParameters(): Set<string> {
    if (this.outParamFields) return this.outParamFields;
    const fields = new Set<string>();
    const from = this.outParamSource;
    const arg = /[(,]\s*&\s*[A-Za-z_][\w.>[\]-]*?(?:->|\.)([A-Za-z_]\w*)\s*(?=[,)])/g;
    for (let m = from ? arg.exec(from.source) : null; from && m; m = arg.exec(from.source)) {
      const callee = calleeBefore(from.source, m.index);
      if (callee !== null && !from.isApi(callee)) fields.add(m[1]);
    }
    this.outParamFields = fields;
    return fields;
  }

  merge(c: FunctionContribution): void {
    for (const s of c.stored) this.addStore(s);
    for (const r of c.released) this.addRelease(r);
  }

  /** The maps into `key` seen in the file; none when an unseen call may also map into it. */
  storesFor(key: string): StoredMapping[] {
    const stores = this.stored.filter((s) => s.key === key);
    const field = /\.(\w+)(?:\[\])?$/.exec(key)?.[1];
    return stores.length > 0 && field && this.outParameters().has(field) ? [] : stores;
  }
}

const SCALAR_TYPES = /^(dma_addr_t|u8|u16|u32|u64|int|unsigned|long|void|char|size_t|phys_addr_t|__le\d+|__be\d+)$/;

/**
 * The summary key of a location: its root variable's struct type plus the field path,
 * with `->` and `.` unified (`struct foo_priv *priv` + `priv->rx_dma[]` -> `foo_priv.rx_dma[]`).
 * Null for locations not rooted in a struct-typed variable.
 */
export function summaryKey(loc: LocKey, scope: FunctionScope, depth = 0): string | null {
  const m = /^[&*]*(\w+)(.*)$/.exec(loc);
  if (!m || !m[2]) return null;
  const decl = scope.lookup(m[1]);
  if (!decl) return null;
  // a local cursor into an array (`struct buf *tx = &priv->tx_buff[i];`) names a slot of
  // that array, not any object of its type: rx and tx rings of one struct type stay apart
  if (decl.pointer && !decl.param && !decl.global && depth < 3) {
    const target = scope.pointerTarget(m[1]);
    if (target !== null) {
      const rebased = target.startsWith('&') ? `${target.slice(1)}${m[2].replace(/^->/, '.')}` : `${target}${m[2]}`;
      return summaryKey(rebased, scope, depth + 1);
    }
  }
  const type = typeName(decl.baseType);
  if (!type || SCALAR_TYPES.test(type)) return null;
  // across functions one slot of an array stands for all of them: `SG[0]` meets `SG[i]`
  return type + m[2].replace(/->/g, '.').replace(/\[\d+\]/g, '[]');
}

/** The name of the call whose argument list holds offset `at` (scanning back to its `(`). */
function calleeBefore(source: string, at: number): string | null {
  let depth = 0;
  for (let i = at; i >= 0 && i > at - 2000; i--) {
    const ch = source[i];
    if (ch === ')') depth++;
    else if (ch === '(') {
      if (depth === 0) return identifierBefore(source, i);
      depth--;
    } else if (ch === ';' || ch === '{' || ch === '}') return null;
  }
  return null;
}
