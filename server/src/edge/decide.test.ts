import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Snapshot } from '../contracts';
import { inHoldout } from '../engine/holdout';
import { decide, decideWithEvents, EdgeRequestError, originReason } from './decide';

// The edge decision from a hand-made snapshot (test/api/edge.api.test.ts compares it with the
// origin's over 5,000 contexts).

const snapshot: Snapshot = {
  format: 1,
  version: 'v1',
  defaultLocale: 'en',
  profiles: true,
  recordsExposures: true,
  types: [
    { uid: 'api::article.article', name: 'articles', kind: 'collectionType', localized: true },
    { uid: 'api::homepage.homepage', name: 'homepage', kind: 'singleType', localized: false },
  ],
  personas: [
    { slug: 'fleet', name: 'Fleet', priority: 1, rule: { '>=': [{ var: 'traits.cars' }, 10] } },
  ],
  stages: [],
  holdout: null,
  entries: [
    {
      targetUid: 'api::article.article',
      targetDocumentId: 'a1',
      locale: 'en',
      variants: [
        {
          documentId: 'v-fleet',
          name: 'Fleet',
          persona: 'fleet',
          stage: null,
          rule: null,
          priority: 0,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    },
  ],
  experiments: [
    {
      key: 'cta',
      seed: 's',
      targetUid: 'api::article.article',
      targetDocumentId: 'a2',
      locale: null,
      status: 'running',
      winner: null,
      arms: [
        { key: 'control', variant: null, weight: 0.5 },
        { key: 'offer', variant: null, weight: 0.5 },
      ],
      trafficAllocation: 1,
      audience: null,
      goal: 'click',
      remembersArms: false,
    },
  ],
};

const article = (documentId: string, context?: unknown) => ({
  targetUid: 'articles',
  targetDocumentId: documentId,
  locale: 'en',
  context,
});

describe('decide at the edge', () => {
  it('classifies by rule and picks the variant, by route name or UID', () => {
    const data = decide(snapshot, article('a1', { traits: { cars: 12 } }));
    expect(data).toMatchObject({ persona: 'fleet', variant: { documentId: 'v-fleet' } });
    expect(data.reason).toBe('persona');
    expect(
      decide(snapshot, {
        ...article('a1', { traits: { cars: 12 } }),
        targetUid: 'api::article.article',
      })
    ).toEqual(data);
    expect(decide(snapshot, article('a1', { traits: { cars: 2 } })).variant).toBeNull();
    // Another locale has no variants.
    expect(
      decide(snapshot, { ...article('a1', { persona: 'fleet' }), locale: 'de' }).variant
    ).toBeNull();
  });

  it('queues the exposure the origin records, unless the visitor refuses analytics', () => {
    const served = decideWithEvents(snapshot, article('a2', { visitorId: 'v-1' }));
    expect(served.data.reason).toBe('experiment');
    // The experiment's arms serve no variant and there is no holdout: only the exposure.
    expect(served.events).toEqual([
      { type: 'exposure', experiment: 'cta', visitorId: 'v-1', timestamp: expect.any(Number) },
    ]);
    const refused = decideWithEvents(
      snapshot,
      article('a2', { visitorId: 'v-1', consent: { analytics: false } })
    );
    expect(refused.data.experiment).toEqual(served.data.experiment);
    expect(refused.events).toEqual([]);
  });

  it('queues the decision the origin records as reach and, holdout on, impact', () => {
    const now = new Date('2026-03-02T10:00:00.000Z');
    const fleet = { visitorId: 'v-2', traits: { cars: 12 } };
    expect(decideWithEvents(snapshot, article('a1', fleet), { now }).events).toEqual([
      {
        type: 'decision',
        visitorId: 'v-2',
        timestamp: now.getTime(),
        target: { uid: 'api::article.article', documentId: 'a1' },
        locale: 'en',
        variant: 'v-fleet',
        persona: 'fleet',
        stage: null,
      },
    ]);
    // Without a variant nothing is reached, and without the holdout nothing else counts.
    expect(decideWithEvents(snapshot, article('a1', { visitorId: 'v-2' })).events).toEqual([]);
    expect(decideWithEvents(snapshot, article('a1', { traits: { cars: 12 } })).events).toEqual([]);

    const holdout = { share: 0.2, seed: 'edge' };
    const withHoldout: Snapshot = { ...snapshot, holdout };
    const ids = Array.from({ length: 40 }, (_, index) => `visitor-${index}`);
    const heldOut = ids.find((id) => inHoldout(holdout, id)) as string;
    const personalized = ids.find((id) => !inHoldout(holdout, id)) as string;
    const held = decideWithEvents(withHoldout, article('a1', { ...fleet, visitorId: heldOut }));
    expect(held.data).toMatchObject({ reason: 'holdout', persona: null, variant: null });
    // Held out: the base entry, with the persona the visitor would have had.
    expect(held.events).toEqual([
      expect.objectContaining({ type: 'decision', variant: null, persona: 'fleet' }),
    ]);
    const plain = decideWithEvents(withHoldout, article('a1', { visitorId: personalized }));
    expect(plain.events).toEqual([
      expect.objectContaining({ type: 'decision', variant: null, persona: null }),
    ]);
  });

  it('refuses what the origin answers 400 with the same issues', () => {
    expect(() => decide(snapshot, { targetUid: 'pages', targetDocumentId: 'x' })).toThrow(
      EdgeRequestError
    );
    expect(() => decide(snapshot, { targetUid: 'articles' })).toThrow(
      /targetDocumentId is required/
    );
    try {
      decide(snapshot, article('a1', { visits: -1 }));
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(EdgeRequestError);
      expect((error as EdgeRequestError).issues[0].path).toBe('context.visits');
    }
    // A single type takes no documentId and reads the default locale.
    expect(decide(snapshot, { targetUid: 'homepage', locale: 'de' }).reason).toBe('default');
  });

  it('names what only the origin can decide', () => {
    expect(
      originReason(snapshot, article('a1', { visitorId: 'v', consent: { personalization: true } }))
    ).toBe('profile');
    expect(
      originReason(
        { ...snapshot, profiles: false },
        article('a1', { visitorId: 'v', consent: { personalization: true } })
      )
    ).toBeNull();
    expect(originReason(snapshot, article('a1', { preview: 'token' }))).toBe('preview');
    const bandit = {
      ...snapshot,
      experiments: [{ ...snapshot.experiments[0], remembersArms: true }],
    };
    expect(originReason(bandit, article('a2', { visitorId: 'v' }))).toBe('remembered-arm');
    expect(originReason(bandit, article('a2', {}))).toBeNull();
    expect(originReason(snapshot, article('a1'))).toBeNull();
  });

  it('imports only the engine, the contracts as types, and nothing of Node or Strapi', () => {
    for (const file of readdirSync(__dirname).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts')
    )) {
      const source = readFileSync(join(__dirname, file), 'utf8');
      for (const [statement, specifier] of source.matchAll(
        /^(?:import|export)[^;]*?from\s*['"]([^'"]+)['"]/gms
      )) {
        const typeOnly = /^(?:import|export) type /.test(statement);
        expect(`${file}: ${specifier}`).toMatch(
          typeOnly
            ? /: (\.\/[\w-]+|\.\.\/contracts|\.\.\/engine\/[\w-]+)$/
            : /: (\.\/[\w-]+|\.\.\/engine\/[\w-]+)$/
        );
      }
    }
  });
});
