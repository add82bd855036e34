import { describe, expect, it } from 'vitest';
import { DocumentAnalyzer } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/config/defaults';

/** A function's findings that depend on other functions of the file must follow their edits. */
describe('re-analysis after an edit elsewhere in the file', () => {
  const cb = [
    'static void foo_done(void *arg)',
    '{',
    '\tstruct foo_req *req = arg;',
    '\tstruct async_submit_ctl submit;',
    '',
    '\tinit_async_submit(&submit, ASYNC_TX_ACK, NULL, NULL, NULL, NULL);',
    '\tasync_memcpy(req->s, req->d, 0, 0, 64, &submit);',
    '}',
    '',
  ].join('\n');
  const starter = (callback: string, register: string) =>
    [
      'static int foo_start(struct foo_req *req)',
      '{',
      '\tstruct async_submit_ctl submit;',
      '',
      `\tinit_async_submit(&submit, ASYNC_TX_ACK, NULL, ${callback}, req, NULL);`,
      '\tasync_memcpy(req->d, req->s, 0, 0, 64, &submit);',
      `\treturn ${register};`,
      '}',
      '',
    ].join('\n');
  const rules = (a: DocumentAnalyzer, text: string) => a.update(text, defaultSettings()).findings.map((f) => `${f.rule}@${f.range.start.line + 1}`);

  it('a function becomes an async_tx callback, then a hard-IRQ handler, with its own text unchanged', () => {
    const a = new DocumentAnalyzer('file:///x/foo.c');
    expect(rules(a, cb + starter('NULL', '0'))).not.toContain('async-tx/submit-in-callback@7');
    expect(rules(a, cb + starter('foo_done', '0'))).toContain('async-tx/submit-in-callback@7');
    expect(rules(a, cb + starter('NULL', '0'))).not.toContain('async-tx/submit-in-callback@7');
    expect(rules(a, cb + starter('NULL', 'request_irq(req->irq, foo_done, 0, "foo", req)'))).toContain('async-tx/submit-in-callback@7');
    a.dispose();
  });

  it('a wrapper edited to stop wrapping (and back) changes what its unchanged caller reports', () => {
    const wrapper = (body: string) => ['static dma_addr_t foo_map(struct device *dev, void *buf)', '{', `\treturn ${body};`, '}', ''].join('\n');
    const caller = [
      'static int foo_send(struct foo_priv *priv, void *buf)',
      '{',
      '\tdma_addr_t h = foo_map(priv->dev, buf);',
      '',
      '\twritel(lower_32_bits(h), priv->regs + FOO_ADDR);',
      '\treturn 0;',
      '}',
      '',
    ].join('\n');
    const a = new DocumentAnalyzer('file:///x/foo.c');
    const mapping = wrapper('dma_map_single(dev, buf, 64, DMA_TO_DEVICE)');
    expect(rules(a, mapping + caller)).toContain('dma/unchecked-map@7');
    expect(rules(a, wrapper('foo_lookup(dev, buf)') + caller)).not.toContain('dma/unchecked-map@7');
    expect(rules(a, mapping + caller)).toContain('dma/unchecked-map@7');
    a.dispose();
  });
});
