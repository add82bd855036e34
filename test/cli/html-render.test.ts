import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../client/src/lsp-check/html';
import type { Reported } from '../../client/src/lsp-check/results';
import type { Finding } from '../../shared/src/findings';

/** A hand-made memory-model finding: the CPU writes after sync_for_cpu, then sync_for_device of a FROM_DEVICE mapping invalidates it away on armv7. */
const finding: Finding = {
  rule: 'dma/cpu-write-from-device-buffer',
  severity: 'warning',
  message: 'the CPU wrote <buf> & lost it on armv7',
  range: { start: { line: 3, character: 1 }, end: { line: 3, character: 20 } },
  function: 'foo_rx',
  platforms: ['armv7'],
  related: [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 5 } }, message: 'mapped <here>' }],
  trace: [
    { line: 1, event: 'dma_map_single(DMA_FROM_DEVICE)', places: [
      { platform: 'coherent', cache: '-', ram: 'old data', bounce: '-' },
      { platform: 'armv7', cache: 'old data', ram: 'old data', bounce: '-' },
    ] },
    { line: 2, event: 'dma_sync_single_for_cpu()', places: [
      { platform: 'coherent', cache: '-', ram: 'device write #1', bounce: '-' },
      { platform: 'armv7', cache: '-', ram: 'device write #1', bounce: '-' },
    ] },
    { line: 3, event: 'CPU writes buf[0]', places: [
      { platform: 'coherent', cache: '-', ram: 'CPU write #2', bounce: '-' },
      { platform: 'armv7', cache: 'CPU write #2 (dirty)', ram: 'device write #1', bounce: '-' },
    ] },
    { line: 4, event: 'dma_sync_single_for_device()', places: [
      { platform: 'coherent', cache: '-', ram: 'CPU write #2', bounce: '-' },
      { platform: 'armv7', cache: '-', ram: 'device write #1', bounce: '-' },
    ] },
  ],
};

const reported: Reported = {
  file: 'drivers/<net>/rx.c',
  lines: ['\th = dma_map_single(dev, buf, len, DMA_FROM_DEVICE);', '\tdma_sync_single_for_cpu(dev, h, len, DMA_FROM_DEVICE);', '\tbuf[0] = a < b;', '\tdma_sync_single_for_device(dev, h, len, DMA_FROM_DEVICE);'],
  finding,
  relatedFiles: ['drivers/<net>/rx.c'],
};

const rows = (html: string, platform: string): string => {
  const start = html.indexOf(`<span class="pname">${platform}</span>`);
  return html.slice(start, html.indexOf('</table>', start));
};

describe('renderHtml', () => {
  const html = renderHtml([reported], '9.9.9');

  it('escapes the message, file names, related messages and source lines', () => {
    expect(html).toContain('the CPU wrote &lt;buf&gt; &amp; lost it on armv7');
    expect(html).toContain('drivers/&lt;net&gt;/rx.c:4:2 in <code>foo_rx()</code>');
    expect(html).toContain('mapped &lt;here&gt;');
    expect(html).toContain('buf[0] = a &lt; b;');
    expect(html).not.toMatch(/<buf>|<net>|<here>|a < b/);
    expect(html).toContain('dma-lint 9.9.9 · 1 finding in 1 file');
  });

  it('one table per platform of the trace, corrupts / correct from finding.platforms, one column per step', () => {
    expect(html).toContain('<div class="platform corrupts">');
    expect(html).toContain('<div class="platform correct">');
    expect(html.match(/<table class="timeline">/g)).toHaveLength(2);
    expect(rows(html, 'armv7').match(/<th scope="col"[^>]*><span class="step">/g)).toHaveLength(4);
    // no platform bounces: no bounce lane
    expect(html).not.toContain('<th scope="row">bounce slot</th>');
  });

  it('highlights where the newest write is lost (armv7 cache at the invalidate), not on coherent', () => {
    const armv7 = rows(html, 'armv7');
    expect(armv7).toContain('<td class="v-none bad at" title="the newest write is lost here">');
    expect(armv7).toContain('<span class="v">CPU write #2</span> <span class="dirty">dirty</span>');
    expect(rows(html, 'coherent')).not.toContain(' bad');
  });

  it('takes a rule link and a nonce for the webview: the CSP then admits only the nonced style', () => {
    const page = renderHtml([reported], '1', { nonce: 'abc123', ruleHref: (r) => `command:x?${encodeURIComponent(JSON.stringify([r]))}`, title: 'T <1>' });
    expect(page).toContain(`style-src 'nonce-abc123'`);
    expect(page).toContain('<style nonce="abc123">');
    expect(page).not.toContain('unsafe-inline');
    expect(page).toContain('href="command:x?%5B%22dma%2Fcpu-write-from-device-buffer%22%5D"');
    expect(page).toContain('<title>T &lt;1&gt;</title>');
  });

  it('a device start after the trace is drawn as a last column where the device reads the stale copy', () => {
    const kick: Finding = { ...finding, rule: 'dma/missing-sync-for-device', range: { start: { line: 4, character: 1 }, end: { line: 4, character: 9 } }, trace: finding.trace!.slice(0, 3) };
    const page = renderHtml([{ ...reported, finding: kick }], '1');
    const armv7 = rows(page, 'armv7');
    expect(armv7).toContain('the device is started: it reads the buffer');
    expect(armv7).toMatch(/<td class="v-device bad at" title="the device reads an older version than the newest write"><span class="act">reads<\/span> <span class="v">device write #1<\/span>/);
    expect(rows(page, 'coherent')).not.toContain(' bad');
  });

  it('no findings: a page that says so', () => {
    expect(renderHtml([], '1')).toContain('<p class="none">No findings.</p>');
  });
});
