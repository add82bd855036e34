import type { Rule } from './rule';
import { normaliseDirection } from '../dma/catalogue';

const ID = 'dma/direction-none';

export const directionNone: Rule = {
  id: ID,
  create(ctx) {
    return {
      onApi(ev) {
        const dir = ev.args.dir;
        if (!dir || normaliseDirection(dir.text) !== 'DMA_NONE') return;
        ctx.reporter.report(ID, dir.node, `${ev.api.name}() with DMA_NONE: every map, unmap and sync entry point BUG()s on an invalid direction (valid_dma_direction() in kernel/dma/mapping.c)`);
      },
    };
  },
};
