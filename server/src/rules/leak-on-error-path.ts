import type { Rule } from './rule';
import { isLive } from '../sim/state';

const ID = 'dma/leak-on-error-path';

export const leakOnErrorPath: Rule = {
  id: ID,
  create(ctx) {
    return {
      onExit(exit, st) {
        if (exit.kind !== 'error' || !exit.node) return;
        for (const rec of st.records.values()) {
          if (!isLive(rec) || rec.escaped || rec.managed) continue;
          if (rec.api.kind !== 'map' && rec.api.kind !== 'alloc') continue;
          const verb = rec.api.kind === 'alloc' ? 'allocated' : 'mapped';
          const release = rec.api.kind === 'alloc' ? 'freed' : 'unmapped';
          const earlier = rec.earlierIteration ? ' (by an earlier iteration of the loop)' : '';
          ctx.reporter.report(
            ID,
            rec.call,
            `buffer ${verb} here${earlier} is neither ${release} nor handed off when ${ctx.fn.name}() returns an error on this path`,
            [{ node: exit.node, message: `error return without ${rec.api.kind === 'alloc' ? 'freeing' : 'unmapping'}` }],
          );
        }
      },
    };
  },
};
