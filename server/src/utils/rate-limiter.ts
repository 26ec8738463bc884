/**
 * A fixed-window counter per key (an IP address): at most `limit` hits per `windowMs`; a hit
 * may weigh more than one (a batch of events). Kept in memory only, and only until the next hit
 * after its window ended; nothing is stored. At most `maxKeys` keys are kept: past that, expired
 * windows go first, then the oldest ones (so rotating addresses cannot grow it without bound).
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1_000,
    private readonly maxKeys = 100_000
  ) {}

  /**
   * Counts a hit of `cost`; returns 0 when allowed, otherwise the milliseconds until the next
   * window (a refused hit counts nothing).
   */
  take(key: string, now = Date.now(), cost = 1): number {
    if (this.limit <= 0) return 0;
    // At most once a window: an address is forgotten at the first hit after its window ended.
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.windows.size >= this.maxKeys) this.makeRoom(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count + cost > this.limit) return window.start + this.windowMs - now;
    window.count += cost;
    return 0;
  }

  get size() {
    return this.windows.size;
  }

  /** Drops expired windows, and if that is not enough the oldest (a Map keeps insertion order). */
  private makeRoom(now: number) {
    this.sweep(now);
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }

  private sweep(now: number) {
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
