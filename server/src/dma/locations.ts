import type { SyntaxNode } from '../c/syntax';

/**
 * A location key names where a value lives, as normalised source text: `h`,
 * `priv->rx_dma[]`, `ring.desc[].addr`, `port->dma[1]`. Variable indexes collapse to `[]`
 * because the executor cannot tell `ring[i]` from `ring[j]`; `dma_unmap_addr(p, f)` is the field
 * `p->f` (include/linux/dma-mapping.h defines it as exactly that access), and
 * `(&a)->f` is `a.f`.
 */
export type LocKey = string;

const TRANSPARENT_CALLS = new Set(['unlikely', 'likely', 'READ_ONCE', 'WRITE_ONCE']);

/** Strips parentheses and casts: `((dma_addr_t)(h))` -> `h`. */
export function stripValue(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildCount >= 1) {
      n = n.namedChildren[n.namedChildCount - 1];
    } else if (n.type === 'cast_expression') {
      const v = n.childForFieldName('value');
      if (!v) return n;
      n = v;
    } else {
      return n;
    }
  }
}

/** The location an lvalue-ish expression denotes, or null when it is not one. */
export function locOf(node: SyntaxNode | null | undefined): LocKey | null {
  if (!node) return null;
  const n = stripValue(node);
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'field_expression': {
      const arg = n.childForFieldName('argument');
      const field = n.childForFieldName('field');
      const op = n.childForFieldName('operator')?.text ?? (n.text.includes('->') ? '->' : '.');
      if (!arg || !field) return null;
      const argStripped = stripValue(arg);
      // (&x)->f is x.f
      if (op === '->' && argStripped.type === 'pointer_expression' && argStripped.child(0)?.text === '&') {
        const inner = locOf(argStripped.childForFieldName('argument'));
        return inner === null ? null : `${inner}.${field.text}`;
      }
      const base = locOf(arg);
      return base === null ? null : `${base}${op}${field.text}`;
    }
    case 'subscript_expression': {
      const arg = n.childForFieldName('argument');
      const base = locOf(arg);
      // a literal index names one slot; any other index may name any slot
      const index = n.childForFieldName('index');
      const literal = index && /^\d+$/.test(index.text) ? index.text : '';
      return base === null ? null : `${base}[${literal}]`;
    }
    case 'pointer_expression': {
      const op = n.child(0)?.text;
      const inner = locOf(n.childForFieldName('argument'));
      if (inner === null) return null;
      return op === '*' ? `*${inner}` : `&${inner}`;
    }
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      const name = fn?.type === 'identifier' ? fn.text : '';
      if ((name === 'dma_unmap_addr' || name === 'dma_unmap_len') && args.length === 2) {
        const base = locOf(args[0]);
        return base === null ? null : `${base}->${args[1].text}`;
      }
      if (TRANSPARENT_CALLS.has(name) && args.length === 1) return locOf(args[0]);
      if (name === 'sg_dma_address' && args.length === 1) {
        const base = locOf(args[0]);
        return base === null ? null : `sg_dma_address(${base})`;
      }
      return null;
    }
    default:
      return null;
  }
}

/** The variable a location starts from: `priv` for `priv->rx[].dma`, `h` for `&h`. */
export function rootOf(loc: LocKey): string {
  const m = /^[*&]*(?:sg_dma_address\()?([A-Za-z_]\w*)/.exec(loc);
  return m ? m[1] : loc;
}

/** True when the key goes through an array index (`ring[]`): many values share it. */
export function isIndexed(loc: LocKey): boolean {
  return loc.includes('[]');
}

/** `&x` -> `x`; anything else unchanged. */
export function addressee(loc: LocKey): LocKey | null {
  return loc.startsWith('&') ? loc.slice(1) : null;
}
