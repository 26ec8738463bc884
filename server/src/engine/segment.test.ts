import murmurHash3 from 'murmurhash3js-revisited';

import { hash32, segmentOf } from './segment';

const encoder = new TextEncoder();

describe('hash32', () => {
  it.each<[string, number, number]>([
    // Reference vectors of MurmurHash3 x86 32-bit (SMHasher / Wikipedia).
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['test', 0, 0xba6bd213],
    ['Hello, world!', 0, 0xc0363e43],
    ['Hello, world!', 1234, 0xfaf6cdb3],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('hash32(%j, %d) = %d', (text, seed, expected) => {
    expect(hash32(text, seed)).toBe(expected);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "ü" is C3 BC in UTF-8 but the single code unit 0xFC in UTF-16.
    expect(hash32('ü')).toBe(murmurHash3.x86.hash32([0xc3, 0xbc], 0));
    expect(hash32('ü')).not.toBe(murmurHash3.x86.hash32([0xfc], 0));
    // An astral character is 4 bytes (F0 9F 98 80), not 2 surrogates.
    expect(hash32('😀', 7)).toBe(murmurHash3.x86.hash32([0xf0, 0x9f, 0x98, 0x80], 7));
  });

  it('hashes as murmurhash3js-revisited, for every length of tail and any seed', () => {
    // A seeded generator (xorshift32): the same 20,000 inputs on every run.
    let state = 0x9e3779b9;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    const alphabet = ['a', 'Z', '0', '-', ',', ' ', 'ü', 'ß', '€', '😀', '\u0000', '\uffff'];
    for (let run = 0; run < 20_000; run++) {
      const length = next() % 40;
      const text = Array.from({ length }, () => alphabet[next() % alphabet.length]).join('');
      const seed = run % 4 === 0 ? 0 : next();
      expect(hash32(text, seed)).toBe(murmurHash3.x86.hash32(encoder.encode(text), seed));
    }
  });

  it('returns an unsigned 32-bit integer, with 0 as the default seed', () => {
    for (const text of ['a', 'b', 'visitor-1', 'x'.repeat(1000)]) {
      const value = hash32(text);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(2 ** 32);
      expect(hash32(text, 0)).toBe(value);
    }
  });
});

describe('segmentOf', () => {
  it('is "base" when every entry got its base content', () => {
    expect(segmentOf([])).toBe('base');
    expect(segmentOf([null])).toBe('base');
    expect(segmentOf([null, null, null])).toBe('base');
  });

  it('is "s" + 8 hex digits of the hash of the ids joined with "," (null → "-")', () => {
    expect(segmentOf(['abc'])).toBe(`s${hash32('abc').toString(16).padStart(8, '0')}`);
    expect(segmentOf(['abc', null, 'def'])).toBe(
      `s${hash32('abc,-,def').toString(16).padStart(8, '0')}`
    );
    expect(segmentOf(['abc'])).toMatch(/^s[0-9a-f]{8}$/);
  });

  it('is stable and depends on order and position', () => {
    expect(segmentOf(['a', 'b'])).toBe(segmentOf(['a', 'b']));
    expect(segmentOf(['a', 'b'])).not.toBe(segmentOf(['b', 'a']));
    expect(segmentOf(['a', null])).not.toBe(segmentOf([null, 'a']));
  });

  it('pads short hashes with zeros', () => {
    // Find an id whose hash is below 0x10000000 (one in 16 are).
    let id = 0;
    while (hash32(`id${id}`) >= 0x10000000) id++;
    expect(segmentOf([`id${id}`])).toMatch(/^s0[0-9a-f]{7}$/);
  });
});
