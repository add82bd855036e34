import { describe, expect, it } from 'vitest';
import { evaluateConstant, kernelConstant } from '../../server/src/c/kernel-constants';

describe('kernel constants and constant expressions', () => {
  const macros = new Map([
    ['FOO_RX_SIZE', '(ISCSI_DEF_MAX_RECV_SEG_LEN + 1024)'],
    ['FOO_RING', '(FOO_SLOTS * 2)'],
    ['FOO_SLOTS', '0x10'],
    ['FOO_LOOP', 'FOO_LOOP'],
  ]);
  const lookup = (n: string) => macros.get(n);

  it('knows sizes.h and a few crypto/scsi/ethernet constants', () => {
    expect(kernelConstant('SZ_128')).toBe(128);
    expect(kernelConstant('SZ_4K')).toBe(4096);
    expect(kernelConstant('SZ_2M')).toBe(2 * 1024 * 1024);
    expect(kernelConstant('SHA512_DIGEST_SIZE')).toBe(64);
    expect(kernelConstant('SZ_')).toBeUndefined();
    expect(kernelConstant('FOO_UNKNOWN')).toBeUndefined();
  });

  it('evaluates + - * / and parentheses through macros, file macros first', () => {
    expect(evaluateConstant('FOO_RX_SIZE', lookup)).toBe(9216);
    expect(evaluateConstant('FOO_RING + 1', lookup)).toBe(33);
    expect(evaluateConstant('(SZ_1K - 24) / 8', lookup)).toBe(125);
    expect(evaluateConstant('-4 * -2', lookup)).toBe(8);
  });

  it('is undefined for what it cannot know, and for self-referring macros', () => {
    expect(evaluateConstant('sizeof(struct foo)', lookup)).toBeUndefined();
    expect(evaluateConstant('FOO_UNKNOWN + 1', lookup)).toBeUndefined();
    expect(evaluateConstant('FOO_LOOP', lookup)).toBeUndefined();
    expect(evaluateConstant('4 / 0', lookup)).toBeUndefined();
    expect(evaluateConstant('(4 + 2', lookup)).toBeUndefined();
    expect(evaluateConstant('4 4', lookup)).toBeUndefined();
  });
});
