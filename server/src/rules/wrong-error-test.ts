import type { Rule } from './rule';

const ID = 'dma/wrong-error-test';

export const wrongErrorTest: Rule = {
  id: ID,
  create(ctx) {
    return {
      onTest(test) {
        const api = test.record.api.name;
        switch (test.shape) {
          case 'not-handle':
          case 'handle-eq-zero':
            ctx.reporter.report(
              ID,
              test.node,
              `${api}() failure is not signalled by a zero handle: 0 is a valid bus address and a failed mapping returns DMA_MAPPING_ERROR; test with dma_mapping_error()`,
              [{ node: test.record.call, message: 'mapped here' }],
            );
            break;
          case 'handle-eq-error-constant':
            ctx.reporter.report(
              ID,
              test.node,
              `${api}() result compared with DMA_MAPPING_ERROR directly: it works today but bypasses dma-debug's check tracking; use dma_mapping_error()`,
              [{ node: test.record.call, message: 'mapped here' }],
              'info',
            );
            break;
          case 'count-negative':
            ctx.reporter.report(
              ID,
              test.node,
              `${api}() returns the number of mapped entries and 0 on failure, never a negative value: this test never catches the failure; test for 0`,
              [{ node: test.record.call, message: 'mapped here' }],
            );
            break;
          case 'errno-zero-as-failure':
            ctx.reporter.report(
              ID,
              test.node,
              `${api}() returns 0 on success and a negative errno on failure: this test treats success as the failure`,
              [{ node: test.record.call, message: 'mapped here' }],
            );
            break;
        }
      },
    };
  },
};
