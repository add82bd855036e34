import type { Rule } from './rule';
import type { SyntaxNode } from '../c/syntax';
import { stripValue } from '../dma/locations';
import { pathValue } from '../sim/constants';
import { PHYS_ADDRESS_FUNCTIONS } from '../dma/vocabulary';

const ID = 'dma/sync-non-dma-handle';
const DMA_HANDLE_TYPES = /^(dma_addr_t|u64|u32|unsigned long|unsigned long long|__le64|__le32|phys_addr_t|resource_size_t)$/;

export const syncNonDmaHandle: Rule = {
  id: ID,
  create(ctx) {
    return {
      onApi(ev, st) {
        if (ev.api.kind !== 'sync' && ev.api.kind !== 'unmap') return;
        const handle = ev.args.handle;
        if (!handle || ev.via) return;
        const direct = stripValue(handle.node);
        if (direct.type === 'identifier') {
          const decl = ctx.scope.lookup(direct.text);
          if (decl && (decl.pointer || decl.array) && !DMA_HANDLE_TYPES.test(decl.baseType)) {
            ctx.reporter.report(
              ID,
              handle.node,
              `${ev.api.name}() given '${direct.text}', a CPU pointer (${decl.baseType} *), where the DMA handle returned by the map call is required`,
            );
            return;
          }
        }
        const value = pathValue(handle.node, st);
        if (value.type !== 'call_expression') return;
        const name = value.childForFieldName('function')?.text ?? '';
        if (!PHYS_ADDRESS_FUNCTIONS.has(name)) return;
        // IOMMU page-table drivers assert at map time that the handle equals the physical
        // address (`BUG_ON(h != virt_to_phys(p))`) and rely on it: a deliberate, checked choice
        if (assertsIdentity(ctx.fn.node)) return;
        ctx.reporter.report(
          ID,
          handle.node,
          `${ev.api.name}() given ${name}(): a CPU physical address is not a DMA address (an IOMMU, swiotlb or a bus offset makes them differ); pass the handle the map call returned`,
          value !== direct ? [{ node: value, message: `${name}() assigned here` }] : [],
        );
      },
    };
  },
};

const IDENTITY_ASSERTION = /\b(BUG_ON|WARN_ON|WARN_ON_ONCE|WARN)\s*\([^;]*\b(virt_to_phys|__pa|page_to_phys)\s*\(/;

function assertsIdentity(fnNode: SyntaxNode): boolean {
  return IDENTITY_ASSERTION.test(fnNode.tree.rootNode.text);
}
