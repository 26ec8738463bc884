/** murmurhash3js-revisited 3.0.0 ships no types; the part the engine uses. */
declare module 'murmurhash3js-revisited' {
  interface MurmurHash3 {
    version: string;
    /** Checks every input byte (on by default). */
    inputValidation: boolean;
    x86: {
      /** Unsigned 32-bit hash of bytes; undefined when a byte is not an integer 0..255. */
      hash32(bytes: ArrayLike<number>, seed?: number): number;
      hash128(bytes: ArrayLike<number>, seed?: number): string;
    };
    x64: {
      hash128(bytes: ArrayLike<number>, seed?: number): string;
    };
  }
  const murmurHash3: MurmurHash3;
  export = murmurHash3;
}
