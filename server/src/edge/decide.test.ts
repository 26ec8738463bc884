import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Snapshot } from '../contracts';
import { decide, decideWithExposure, EdgeRequestError, originReason } from './decide';

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
    const served = decideWithExposure(snapshot, article('a2', { visitorId: 'v-1' }));
    expect(served.data.reason).toBe('experiment');
    expect(served.exposure).toMatchObject({
      type: 'exposure',
      experiment: 'cta',
      visitorId: 'v-1',
    });
    const refused = decideWithExposure(
      snapshot,
      article('a2', { visitorId: 'v-1', consent: { analytics: false } })
    );
    expect(refused.data.experiment).toEqual(served.data.experiment);
    expect(refused.exposure).toBeNull();
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
