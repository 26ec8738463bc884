/** jstat 1.9.6 ships no types; the parts the engine uses. */
declare module 'jstat' {
  const jStat: {
    normal: {
      /** Φ((x − mean)/std), as 0.5·(1 + erf): loses precision in the lower tail beyond about −5. */
      cdf(x: number, mean: number, std: number): number;
      /** The quantile of probability p. */
      inv(p: number, mean: number, std: number): number;
    };
    /** ln B(a, b). */
    betaln(a: number, b: number): number;
    /** The regularized lower incomplete gamma function P(a, x). */
    lowRegGamma(a: number, x: number): number;
    /** ln Γ(x). */
    gammaln(x: number): number;
  };
  export default jStat;
}
