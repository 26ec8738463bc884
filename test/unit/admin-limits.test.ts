import {
  IMPACT_DEFAULT_DAYS,
  MAX_HOLDOUT_PERCENT,
  MAX_PREVIEW_LINK_HOURS,
  MAX_SECONDARY_GOALS,
  randomSeed,
} from '../../admin/src/utils/limits';
import {
  IMPACT_DEFAULT_DAYS as SERVER_IMPACT_DAYS,
  holdoutSchema,
  MAX_HOLDOUT_SHARE,
  MAX_PREVIEW_LINK_HOURS as SERVER_PREVIEW_HOURS,
  MAX_SECONDARY_GOALS as SERVER_SECONDARY_GOALS,
} from '../../server/src/contracts';

/** The admin repeats the server's limits (it imports no server code at run time). */
describe("the admin's limits", () => {
  it("are the server's", () => {
    expect(MAX_HOLDOUT_PERCENT / 100).toBe(MAX_HOLDOUT_SHARE);
    expect(MAX_SECONDARY_GOALS).toBe(SERVER_SECONDARY_GOALS);
    expect(MAX_PREVIEW_LINK_HOURS).toBe(SERVER_PREVIEW_HOURS);
    expect(IMPACT_DEFAULT_DAYS).toBe(SERVER_IMPACT_DAYS);
  });

  it('draws holdout seeds the server accepts, each new', () => {
    const seeds = Array.from({ length: 50 }, randomSeed);
    for (const seed of seeds) {
      expect(seed).toHaveLength(16);
      expect(holdoutSchema.safeParse({ share: 0.1, seed }).success).toBe(true);
    }
    expect(new Set(seeds).size).toBe(seeds.length);
  });
});
