import type { FunctionScope } from '../c/scope';
import { typeName } from '../c/scope';
import type { ApiCallEvent } from '../dma/events';
import type { LocKey } from '../dma/locations';
import type { MappingRecord } from './state';
import type { Direction } from '../dma/catalogue-types';

/**
 * The file-level summary: where handles are kept between functions. A mapping stored
 * into `priv->rx_dma[i]` by the refill function and released from `priv->rx_dma[i]` by
 * the clean-up function meet here under the key `foo_priv.rx_dma[]`.
 */

export interface StoredMapping {
  key: string;
  record: MappingRecord;
  fn: string;
}

export interface ForeignRelease {
  key: string;
  ev: ApiCallEvent;
  fn: string;
  /** Direction and size of the release, resolved in its own function. */
  dir?: Direction;
  sizeValue?: string;
  /** Summary key of the nents argument (`foo_req.mapped`), for sg releases. */
  nentsKey?: string;
}

export class FileSummary {
  readonly stored: StoredMapping[] = [];
  readonly released: ForeignRelease[] = [];

  addStore(key: string, record: MappingRecord, fn: string): void {
    if (!this.stored.some((s) => s.key === key && s.record.site === record.site)) this.stored.push({ key, record, fn });
  }

  addRelease(release: ForeignRelease): void {
    if (!this.released.some((r) => r.key === release.key && r.ev.call.startIndex === release.ev.call.startIndex)) this.released.push(release);
  }

  storesFor(key: string): StoredMapping[] {
    return this.stored.filter((s) => s.key === key);
  }
}

const SCALAR_TYPES = /^(dma_addr_t|u8|u16|u32|u64|int|unsigned|long|void|char|size_t|phys_addr_t|__le\d+|__be\d+)$/;

/**
 * The summary key of a location: its root variable's struct type plus the field path,
 * with `->` and `.` unified (`struct foo_priv *priv` + `priv->rx_dma[]` -> `foo_priv.rx_dma[]`).
 * Null for locations not rooted in a struct-typed variable.
 */
export function summaryKey(loc: LocKey, scope: FunctionScope): string | null {
  const m = /^[&*]*(\w+)(.*)$/.exec(loc);
  if (!m || !m[2]) return null;
  const decl = scope.lookup(m[1]);
  if (!decl) return null;
  const type = typeName(decl.baseType);
  if (!type || SCALAR_TYPES.test(type)) return null;
  return type + m[2].replace(/->/g, '.');
}
