import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` hits per window and key, then says how long to wait', () => {
    const limiter = new RateLimiter(3, 1_000);
    expect([0, 1, 2].map(() => limiter.take('a', 10_000))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 10_250)).toBe(750);
    expect(limiter.take('b', 10_250)).toBe(0);
    expect(limiter.take('a', 11_000)).toBe(0);
  });

  it('weighs a hit by its cost, and a refused hit counts nothing', () => {
    const limiter = new RateLimiter(10, 1_000);
    expect(limiter.take('a', 0, 8)).toBe(0);
    expect(limiter.take('a', 100, 3)).toBe(900);
    expect(limiter.take('a', 200, 2)).toBe(0);
    expect(limiter.take('a', 300, 1)).toBe(700);
  });

  it('keeps at most maxKeys addresses, dropping the oldest', () => {
    const limiter = new RateLimiter(5, 60_000, 3);
    for (const key of ['a', 'b', 'c']) limiter.take(key, 1_000, 5);
    expect(limiter.take('c', 1_000)).toBeGreaterThan(0);
    limiter.take('d', 1_000);
    expect(limiter.size).toBe(3);
    // "a", the oldest, was dropped for "d": it starts a new window with its full budget.
    expect(limiter.take('a', 1_000, 5)).toBe(0);
    expect(limiter.size).toBe(3);
  });

  it('does nothing with a limit of 0', () => {
    const limiter = new RateLimiter(0);
    for (let hit = 0; hit < 100; hit += 1) expect(limiter.take('a', 5)).toBe(0);
    expect(limiter.size).toBe(0);
  });

  it('sweeps expired windows when many keys pile up', () => {
    const limiter = new RateLimiter(1, 1_000);
    for (let key = 0; key < 100; key += 1) limiter.take(`ip-${key}`, 0);
    expect(limiter.size).toBe(100);
    limiter.take('late', 2_000);
    expect(limiter.size).toBe(1);
  });

  it('forgets an address one window after its own ended, also on a quiet site', () => {
    const limiter = new RateLimiter(5, 1_000);
    limiter.take('203.0.113.7', 10_000);
    limiter.take('203.0.113.8', 11_500);
    expect(limiter.size).toBe(1);
    limiter.take('203.0.113.8', 11_600); // within the window: counted, not swept
    expect(limiter.size).toBe(1);
  });
});
