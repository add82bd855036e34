import type { Rule } from './rule';
import { normaliseDirection } from '../dma/catalogue';
import { pathValue } from '../sim/constants';

const ID = 'dma/direction-none';

export const directionNone: Rule = {
  id: ID,
  create(ctx) {
    return {
      onApi(ev, st) {
        const dir = ev.args.dir;
        if (!dir || ev.via) return;
        const value = pathValue(dir.node, st);
        if (normaliseDirection(value.text) !== 'DMA_NONE') return;
        // `if (dir == DMA_NONE && n) return -EINVAL;`: the driver guards it in ways paths can't see
        const name = dir.text.trim().replace(/[^\w]/g, (c) => `\\${c}`);
        if (value !== dir.node && new RegExp(`${name}\\s*[!=]=\\s*(PCI_)?DMA_NONE|(PCI_)?DMA_NONE\\s*[!=]=\\s*${name}`).test(ctx.fn.body.text)) return;
        const via = value !== dir.node && value.text !== dir.text ? ` ('${dir.text}' is still DMA_NONE on this path)` : '';
        ctx.reporter.report(
          ID,
          dir.node,
          `${ev.api.name}() with DMA_NONE${via}: every map, unmap and sync entry point BUG()s on an invalid direction (valid_dma_direction() in kernel/dma/mapping.c)`,
          value !== dir.node && value.text !== dir.text ? [{ node: value, message: 'set to DMA_NONE here' }] : [],
        );
      },
    };
  },
};
