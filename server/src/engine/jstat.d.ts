/** jstat 1.9.6 ships no types; the parts the engine (and its tests) use. */
declare module 'jstat' {
  interface Distribution {
    cdf(x: number, ...parameters: number[]): number;
    inv(p: number, ...parameters: number[]): number;
  }
  const jStat: {
    normal: Distribution;
    chisquare: Distribution;
    beta: Distribution;
    betaln(a: number, b: number): number;
  };
  export default jStat;
}
