import { hash32 } from './segment';

/**
 * The global holdout (docs/architecture.md §5 step 0): a deterministic share of visitors who get
 * the base content everywhere, so that what personalization as a whole adds can be measured
 * against them.
 */
export interface HoldoutDefinition {
  /** 0 ≤ share ≤ 0.2; 0 turns the holdout off. */
  share: number;
  /** Random, generated when the holdout is first set: a new seed draws a new holdout. */
  seed: string;
}

export const NO_HOLDOUT: HoldoutDefinition = Object.freeze({ share: 0, seed: '' });

const TWO_TO_THE_32 = 2 ** 32;

/**
 * The visitor's position in [0, 1) for the holdout: MurmurHash3 of `seed:#holdout:visitorId`. No
 * experiment key contains `#`, so this never coincides with an experiment's bucketing
 * (`seed:experimentKey:visitorId`), even under the same seed.
 */
export const holdoutPosition = (seed: string, visitorId: string) =>
  hash32(`${seed}:#holdout:${visitorId}`) / TWO_TO_THE_32;

/** Whether this visitor is held out; a visitor without an id never is (nothing to keep stable). */
export const inHoldout = (holdout: HoldoutDefinition, visitorId: unknown): boolean =>
  holdout.share > 0 &&
  typeof visitorId === 'string' &&
  visitorId !== '' &&
  holdoutPosition(holdout.seed, visitorId) < holdout.share;
