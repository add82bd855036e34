/**
 * Constants from the kernel's own headers that driver structs size their buffers with. The
 * analysis reads the driver's files and headers, not the kernel's include/, so the layout
 * arithmetic of dma/cacheline-sharing would otherwise not know them. Values as in Linux 6.1;
 * each group names its header. Data only.
 */
const FIXED: Readonly<Record<string, number>> = {
  // include/crypto/sha1.h, include/crypto/sha2.h, include/crypto/md5.h
  SHA1_DIGEST_SIZE: 20,
  SHA1_BLOCK_SIZE: 64,
  SHA224_DIGEST_SIZE: 28,
  SHA256_DIGEST_SIZE: 32,
  SHA256_BLOCK_SIZE: 64,
  SHA384_DIGEST_SIZE: 48,
  SHA384_BLOCK_SIZE: 128,
  SHA512_DIGEST_SIZE: 64,
  SHA512_BLOCK_SIZE: 128,
  MD5_DIGEST_SIZE: 16,
  // include/crypto/hash.h
  HASH_MAX_DIGESTSIZE: 64,
  // include/crypto/aes.h, include/crypto/des.h
  AES_BLOCK_SIZE: 16,
  DES_BLOCK_SIZE: 8,
  // include/scsi/iscsi_proto.h
  ISCSI_DEF_MAX_RECV_SEG_LEN: 8192,
  // include/uapi/linux/if_ether.h
  ETH_ALEN: 6,
  ETH_HLEN: 14,
};

const SIZE_SUFFIX: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024 };

/** The value of a kernel-wide constant, or undefined. `SZ_<n>[KMG]` is include/linux/sizes.h. */
export function kernelConstant(name: string): number | undefined {
  const sz = /^SZ_(\d+)([KMG]?)$/.exec(name);
  if (sz) return parseInt(sz[1], 10) * (SIZE_SUFFIX[sz[2]] ?? 1);
  return FIXED[name];
}

/**
 * Evaluates a constant integer expression of numbers, names, `+ - * /` and parentheses;
 * `lookup` gives a name's replacement text (a macro), tried before the kernel constants.
 * Undefined for anything else (casts, sizeof, unknown names).
 */
export function evaluateConstant(text: string, lookup: (name: string) => string | undefined, depth = 0): number | undefined {
  if (depth > 6) return undefined;
  const tokens = text.match(/0[xX][0-9a-fA-F]+|\d+|[A-Za-z_]\w*|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const primary = (): number | undefined => {
    const t = tokens[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const v = sum();
      return tokens[i++] === ')' ? v : undefined;
    }
    if (t === '-') {
      const v = primary();
      return v === undefined ? undefined : -v;
    }
    if (/^0[xX]/.test(t)) return parseInt(t, 16);
    if (/^\d+$/.test(t)) return parseInt(t, 10);
    if (/^[A-Za-z_]\w*$/.test(t)) {
      const macro = lookup(t);
      if (macro !== undefined) return evaluateConstant(macro, lookup, depth + 1);
      return kernelConstant(t);
    }
    return undefined;
  };
  const product = (): number | undefined => {
    let v = primary();
    while (v !== undefined && (tokens[i] === '*' || tokens[i] === '/')) {
      const op = tokens[i++];
      const r = primary();
      if (r === undefined || (op === '/' && r === 0)) return undefined;
      v = op === '*' ? v * r : Math.trunc(v / r);
    }
    return v;
  };
  function sum(): number | undefined {
    let v = product();
    while (v !== undefined && (tokens[i] === '+' || tokens[i] === '-')) {
      const op = tokens[i++];
      const r = product();
      if (r === undefined) return undefined;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  }
  const v = sum();
  return i === tokens.length ? v : undefined;
}
