import murmurhash from 'murmurhash';

const encoder = new TextEncoder();

/**
 * MurmurHash3 x86 32-bit of the UTF-8 bytes of `text` (so that non-ASCII keys hash the same as in
 * Go, Java or Rust implementations), as an unsigned integer. For segments and bucketing.
 * `murmurhash` is the smallest of the packages (the edge bundle carries it); segment.test.ts
 * checks it against murmurhash3js-revisited too.
 */
export const hash32 = (text: string, seed = 0): number =>
  murmurhash.v3(encoder.encode(text), seed >>> 0) >>> 0;

/**
 * A short stable name of what a response contains, for caches (`Vary`-like keys): `base` when
 * every entry got its base content (all null, or no entry), otherwise `s` + 8 hex digits of the
 * hash of the picked variants' document ids joined with "," (null → "-").
 */
export const segmentOf = (variantDocumentIds: readonly (string | null)[]): string => {
  if (variantDocumentIds.every((id) => id === null)) return 'base';
  const key = variantDocumentIds.map((id) => (id === null ? '-' : id)).join(',');
  return `s${hash32(key).toString(16).padStart(8, '0')}`;
};
