/**
 * A fixed-window counter per key (an IP address): at most `limit` hits per `windowMs`. Kept in
 * memory only, for the length of one window; nothing is stored.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1_000,
    /** Past this many keys, expired windows are swept so that the map stays small. */
    private readonly sweepAbove = 10_000
  ) {}

  /** Counts a hit; returns 0 when allowed, otherwise the milliseconds until the next window. */
  take(key: string, now = Date.now()): number {
    if (this.limit <= 0) return 0;
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.sweepAbove) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) return window.start + this.windowMs - now;
    window.count += 1;
    return 0;
  }

  get size() {
    return this.windows.size;
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
