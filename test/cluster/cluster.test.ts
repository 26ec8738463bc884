import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import knex, { type Knex } from 'knex';

import { generateSecrets } from '../../playground/src/demo/settings';
import { inHoldout } from '../../server/src/engine';
import { createApiToken, loginAdmin, pluginApi, type PluginApi } from '../helpers/admin';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  type TestDatabase,
} from '../helpers/database';
import { startInstance, stopInstance, waitUntil, type Instance } from './instances';

// Three playground instances, each a process of its own, on one database: a write on one is
// served by the others within a second; events are stored once whichever instance gets them, and
// none that was accepted is lost when an instance stops; scheduled work runs on one of them.

jest.setTimeout(300_000);

const POSTGRES_URL =
  process.env.CLUSTER_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_URL = process.env.CLUSTER_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REDIS_URL = process.env.CLUSTER_REDIS_URL ?? 'redis://127.0.0.1:6379';

const EVENTS_RATE_LIMIT = 40;
const ARTICLE = 'api::article.article';

interface Setup {
  name: string;
  database: 'postgres' | 'mysql';
  redis: boolean;
  transport: RegExp;
  /** The version-token poll: a minute where changes are pushed, so that only they can be seen. */
  syncIntervalMs: number;
  /** Every write must be served by every other instance this soon (ms). */
  bound: number;
  /** The reduced run: propagation, deduplication, rate limits and retention; no restarts. */
  reduced: boolean;
}

const PUSHED = { syncIntervalMs: 60_000, bound: 1_000 };

const SETUPS: Setup[] = [
  {
    name: 'PostgreSQL',
    database: 'postgres',
    redis: false,
    transport: /changes travel by PostgreSQL LISTEN\/NOTIFY/,
    ...PUSHED,
    reduced: false,
  },
  {
    name: 'PostgreSQL and Redis',
    database: 'postgres',
    redis: true,
    transport: /changes travel by Redis pub\/sub/,
    ...PUSHED,
    reduced: false,
  },
  {
    name: 'MariaDB and Redis',
    database: 'mysql',
    redis: true,
    transport: /changes travel by Redis pub\/sub/,
    ...PUSHED,
    reduced: true,
  },
  {
    // MySQL without Redis has no notifications: the poll is the transport, its interval the bound.
    name: 'MariaDB alone',
    database: 'mysql',
    redis: false,
    transport: /changes travel by a version-token poll every 500 ms;/,
    syncIntervalMs: 500,
    bound: 1_500,
    reduced: true,
  },
];

const context = (value: unknown) => ({ 'X-Personalize-Context': JSON.stringify(value) });
const unique = () => randomBytes(4).toString('hex');

describe.each(SETUPS)('three instances on $name', (setup) => {
  let database: TestDatabase;
  let db: Knex;
  let env: Record<string, string>;
  let instances: Instance[] = [];
  let a: Instance;
  let others: Instance[];
  let api: PluginApi;
  let jwt: string;
  /** A full-access API token: its events spend no per-address budget (rate limits still apply). */
  let backend: string;

  /** Writes through the admin API of A; resolves with the response body's `data`. */
  const write = async (response: Promise<{ status: number; body: { data?: unknown } }>) => {
    const { status, body } = await response;
    if (status >= 300) throw new Error(`write failed: ${status} ${JSON.stringify(body)}`);
    return body.data as Record<string, unknown> & { documentId: string };
  };

  /**
   * Starts, through A's admin API, a 50/50 experiment on an article: its base (`control`) against
   * a published variant titled `offerTitle` (`offer`).
   */
  const startExperiment = async (
    article: string,
    { name, goal, offerTitle }: { name: string; goal: string; offerTitle: string }
  ) => {
    const offer = await write(
      api.post('/variants', {
        name: `Offer of ${name}`,
        targetUid: ARTICLE,
        targetDocumentId: article,
        locale: 'en',
        rule: false,
        overrides: { title: offerTitle },
      })
    );
    await write(api.post(`/variants/${offer.documentId}/publish`));
    const experiment = await write(
      api.post('/experiments', {
        name,
        targetUid: ARTICLE,
        targetDocumentId: article,
        locale: 'en',
        goal,
        arms: [
          { key: 'control', variant: null, weight: 1 },
          { key: 'offer', variant: offer.documentId, weight: 1 },
        ],
      })
    );
    await write(api.post(`/experiments/${experiment.documentId}/start`));
    return experiment;
  };

  /** Starts a stopped instance again on its port, in its place among the three. */
  const restart = async (stopped: Instance) => {
    const restarted = await startInstance(
      stopped.name,
      { ...env, DEMO_SEED: 'false' },
      Number(new URL(stopped.url).port)
    );
    instances[instances.indexOf(stopped)] = restarted;
    others[others.indexOf(stopped)] = restarted;
    return restarted;
  };

  /** Milliseconds until every instance of `among` answers `probe` with true (throws past 5 s). */
  const propagation = async (
    what: string,
    probe: (instance: Instance) => Promise<boolean>,
    among = others
  ) => {
    const times = await Promise.all(
      among.map((instance) => waitUntil(`${what} on ${instance.name}`, () => probe(instance)))
    );
    return Math.max(...times);
  };

  const manager = (method: 'put' | 'post', path: string) =>
    a.http()[method](`/content-manager${path}`).set('Authorization', `Bearer ${jwt}`);

  const sendEvents = (instance: Instance, events: object[]) =>
    instance.http().post('/api/personalize/events').set('Authorization', `Bearer ${backend}`).send({
      events,
    });

  const countRows = async (table: string, where: Record<string, string>) =>
    Number(((await db(table).where(where).count({ n: '*' })) as { n: number | string }[])[0].n);

  beforeAll(async () => {
    database =
      setup.database === 'postgres'
        ? await createPostgresDatabase(POSTGRES_URL)
        : await createMysqlDatabase(MYSQL_URL);
    db = knex({
      client: setup.database === 'postgres' ? 'pg' : 'mysql2',
      connection: database.env.DATABASE_URL,
    });
    env = {
      ...generateSecrets(),
      ...database.env,
      LOG_LEVEL: 'info',
      STRAPI_TELEMETRY_DISABLED: 'true',
      PERSONALIZE_SYNC_INTERVAL_MS: String(setup.syncIntervalMs),
      PERSONALIZE_RETENTION_SCHEDULE: '*/2 * * * * *',
      PERSONALIZE_EVENTS_RATE_LIMIT: String(EVENTS_RATE_LIMIT),
      PERSONALIZE_REDIS_KEY_PREFIX: `personalize-test-${unique()}:`,
      ...(setup.redis ? { PERSONALIZE_REDIS_URL: REDIS_URL } : {}),
    };
    // A creates the schema and seeds the demo; B and C join the database it made.
    a = await startInstance('A', { ...env, DEMO_SEED: 'true' });
    instances = [a];
    others = await Promise.all(
      ['B', 'C'].map((name) => startInstance(name, { ...env, DEMO_SEED: 'false' }))
    );
    instances.push(...others);
    jwt = await loginAdmin(a);
    api = pluginApi(a, jwt);
    backend = await createApiToken(a, jwt, 'full-access');
    // The events here come from random visitor ids: the demo's 10 % holdout (its own tests are in
    // test/api/holdout-impact.api.test.ts) would refuse the exposures of the held-out ones.
    expect((await api.put('/settings', { holdout: { share: 0 } })).status).toBe(200);
    const heldOut = Array.from({ length: 100 }, (_, index) => `held-${index}`).find((visitorId) =>
      inHoldout({ share: 0.1, seed: 'nordwind-demo' }, visitorId)
    );
    for (const instance of instances) {
      await waitUntil(
        `${instance.name} hears the holdout is off`,
        async () => {
          const response = await instance
            .http()
            .get('/api/personalize/content/homepage?locale=en')
            .set(context({ visitorId: heldOut }));
          return response.body.meta?.personalization?.reason !== 'holdout';
        },
        10_000
      );
    }
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => stopInstance(instance)));
    await db?.destroy();
    await database?.drop();
  });

  test('each instance says at boot, in one line, how changes reach it', () => {
    for (const instance of instances) {
      expect(instance.output).toMatch(setup.transport);
      expect(instance.output.match(/changes travel by/g)).toHaveLength(1);
    }
  });

  test(`a write on A is served by B and C within ${setup.bound} ms, for every kind of write`, async () => {
    const figures: Record<string, number> = {};
    const homepage = (instance: Instance, visitor: object) =>
      instance.http().get('/api/personalize/content/homepage?locale=en').set(context(visitor));

    // A persona (classification) and its rule.
    const slug = `cluster-${unique()}`;
    const persona = await write(
      api.post('/personas', {
        name: 'Cluster',
        slug,
        priority: 1000,
        rule: { '==': [{ var: 'traits.cluster' }, 'yes'] },
      })
    );
    const personaOf = async (instance: Instance, value: string) =>
      (await homepage(instance, { traits: { cluster: value } })).body.meta?.personalization
        ?.persona;
    figures['persona created'] = await propagation(
      'the new persona',
      async (instance) => (await personaOf(instance, 'yes')) === slug
    );

    // A variant, created as a draft (never served), then published.
    const variant = await write(
      api.post('/variants', {
        name: 'Cluster homepage',
        targetUid: 'api::homepage.homepage',
        targetDocumentId: null,
        locale: 'en',
        persona: slug,
        overrides: { headline: 'Served by every instance' },
      })
    );
    for (const instance of others) {
      expect((await homepage(instance, { persona: slug })).body.data.headline).not.toBe(
        'Served by every instance'
      );
    }
    await write(api.post(`/variants/${variant.documentId}/publish`));
    figures['variant published'] = await propagation(
      'the published variant',
      async (instance) =>
        (await homepage(instance, { persona: slug })).body.data.headline ===
        'Served by every instance'
    );
    await write(api.post(`/variants/${variant.documentId}/unpublish`));
    figures['variant unpublished'] = await propagation(
      'the unpublished variant',
      async (instance) =>
        (await homepage(instance, { persona: slug })).body.data.headline !==
        'Served by every instance'
    );

    await write(
      api.put(`/personas/${persona.documentId}`, {
        rule: { '==': [{ var: 'traits.cluster' }, 'changed'] },
      })
    );
    figures['persona rule changed'] = await propagation(
      'the changed rule',
      async (instance) => (await personaOf(instance, 'changed')) === slug
    );

    // A base entry edited and published through the Content Manager, after B and C cached it.
    const articles = await a.http().get('/api/articles?locale=en&sort=id');
    const article = articles.body.data[0] as { documentId: string };
    const read = (instance: Instance, visitorId = `reader-${unique()}`) =>
      instance
        .http()
        .get(`/api/personalize/content/articles/${article.documentId}?locale=en`)
        .set(context({ visitorId }));
    for (const instance of others) await read(instance);
    const title = `Edited on A ${unique()}`;
    const path = `/collection-types/${ARTICLE}/${article.documentId}`;
    expect((await manager('put', `${path}?locale=en`).send({ title })).status).toBe(200);
    expect((await manager('post', `${path}/actions/publish?locale=en`).send({})).status).toBe(200);
    figures['base entry published'] = await propagation(
      'the edited base entry',
      async (instance) => (await read(instance)).body.data.title === title
    );

    if (!setup.reduced) {
      // An experiment on that article: started, then completed with a winner.
      const experiment = await startExperiment(article.documentId, {
        name: 'Cluster test',
        goal: 'cluster_goal',
        offerTitle: 'The winning offer',
      });
      figures['experiment started'] = await propagation(
        'the started experiment',
        async (instance) => Boolean((await read(instance)).body.meta?.personalization?.experiment)
      );
      // A visitor in the control arm sees the base until the offer wins.
      let control = '';
      for (let index = 0; !control; index += 1) {
        const visitorId = `control-${index}`;
        const arm = (await read(a, visitorId)).body.meta.personalization.experiment.arm;
        if (arm === 'control') control = visitorId;
      }
      expect((await read(others[0], control)).body.data.title).toBe(title);
      await write(api.post(`/experiments/${experiment.documentId}/complete`, { winner: 'offer' }));
      figures['experiment completed'] = await propagation(
        'the completed experiment',
        async (instance) => (await read(instance, control)).body.data.title === 'The winning offer'
      );
    }

    console.log(`Propagation on ${setup.name} (ms, slowest of B and C):`, figures);
    for (const ms of Object.values(figures)) expect(ms).toBeLessThan(setup.bound);
  });

  test('writes made at the same moment on A and on B are both served everywhere', async () => {
    // Each instance's write sets the shared version token: neither may hide the other's change.
    const slugs = { A: `both-a-${unique()}`, B: `both-b-${unique()}` };
    const [b] = others;
    await Promise.all(
      ([a, b] as const).map((instance, index) => {
        const slug = index === 0 ? slugs.A : slugs.B;
        return write(
          pluginApi(instance, jwt).post('/personas', {
            name: slug,
            slug,
            priority: 900,
            rule: { '==': [{ var: 'traits.both' }, slug] },
          })
        );
      })
    );
    const classifies = async (instance: Instance, slug: string) =>
      (
        await instance
          .http()
          .get('/api/personalize/content/homepage?locale=en')
          .set(context({ traits: { both: slug } }))
      ).body.meta?.personalization?.persona === slug;
    const ms = await propagation(
      'both personas',
      async (instance) =>
        (await classifies(instance, slugs.A)) && (await classifies(instance, slugs.B)),
      instances
    );
    expect(ms).toBeLessThan(setup.bound);
  });

  // A pushed transport's connection drops: the instance reconnects and reloads everything.
  if (setup.redis || setup.database === 'postgres')
    test('an instance whose change connection dropped reconnects and reloads everything', async () => {
      if (setup.redis) {
        const redis = new Redis(REDIS_URL);
        await redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
        await redis.quit();
      } else {
        await db.raw(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'LISTEN%'"
        );
      }
      // Written while the listeners are gone: each instance has to find it on its reload.
      const headline = `After the reconnect ${unique()}`;
      const slug = `reconnect-${unique()}`;
      await write(api.post('/personas', { name: 'Reconnect', slug, rule: null }));
      const variant = await write(
        api.post('/variants', {
          name: 'Reconnect homepage',
          targetUid: 'api::homepage.homepage',
          targetDocumentId: null,
          locale: 'en',
          persona: slug,
          overrides: { headline },
        })
      );
      await write(api.post(`/variants/${variant.documentId}/publish`));
      const ms = await propagation('the write made during the reconnect', async (instance) => {
        const response = await instance
          .http()
          .get('/api/personalize/content/homepage?locale=en')
          .set(context({ persona: slug }));
        return response.body.data?.headline === headline;
      });
      console.log(`Reconnect on ${setup.name}: served everywhere after ${Math.round(ms)} ms`);
      if (!setup.redis) {
        for (const instance of others)
          expect(instance.output).toMatch(/lost its PostgreSQL connection/);
      }
    });

  test(`a profile written on one instance decides on the others within ${setup.bound} ms`, async () => {
    const slug = `buyer-${unique()}`;
    const goal = `cluster_purchase_${unique()}`;
    await write(
      api.post('/personas', {
        name: 'Cluster buyer',
        slug,
        priority: 2000,
        rule: { in: [goal, { var: 'events' }] },
      })
    );
    const visitor = { visitorId: `profile-${unique()}`, consent: { personalization: true } };
    const personaOn = async (instance: Instance, extra = {}) =>
      (
        await instance
          .http()
          .get('/api/personalize/content/homepage?locale=en')
          .set(context({ ...visitor, ...extra }))
      ).body.meta?.personalization?.persona;
    await propagation(
      'the buyer persona',
      async (instance) => (await personaOn(instance, { persona: slug })) === slug,
      instances
    );
    for (const instance of instances) expect(await personaOn(instance)).not.toBe(slug);
    // Every instance now holds the visitor's profile (a page view each) in memory.
    const event = {
      type: 'event',
      visitorId: visitor.visitorId,
      name: goal,
      consent: visitor.consent,
    };
    const sent = await sendEvents(others[0], [event]);
    expect(sent.body.data.accepted).toBe(1);
    const ms = await propagation(
      'the profile event',
      async (instance) => (await personaOn(instance)) === slug,
      [a, others[1]]
    );
    console.log(`Profile on ${setup.name}: an event sent to B decided on A and C within ${ms} ms`);
    expect(ms).toBeLessThan(setup.bound);
    if (setup.redis) {
      // The profiles written are kept in Redis too (the database stays the durable copy).
      const redis = new Redis(REDIS_URL);
      const copies = await redis.keys(`${env.PERSONALIZE_REDIS_KEY_PREFIX}profile:*`);
      await redis.quit();
      expect(copies.length).toBeGreaterThan(0);
    }
  });

  test('the same exposure or conversion sent to every instance at once is stored once', async () => {
    const experiment = (await api.get('/experiments', { pageSize: 100 })).body.data.find(
      (item: { key: string; status: string }) => item.key === 'homepage-cta'
    ) as { key: string; documentId: string; goal: string; status: string };
    expect(experiment.status).toBe('running');
    // Five rounds: batches that share keys take gap locks on MySQL, and may deadlock (retried).
    for (let round = 0; round < 5; round += 1) {
      const visitors = Array.from({ length: 50 }, (_, index) => `dedup-${unique()}-${index}`);
      const events = visitors.flatMap((visitorId) => [
        { type: 'exposure', experiment: experiment.key, visitorId },
        { type: 'conversion', goal: experiment.goal, visitorId },
      ]);
      const results = await Promise.all(instances.map((instance) => sendEvents(instance, events)));
      const accepted = results.reduce((sum, response) => {
        expect(response.status).toBe(200);
        return sum + (response.body.data.accepted as number);
      }, 0);
      expect(accepted).toBe(events.length);
    }
    expect(await countRows('personalize_exposures', { experiment: experiment.documentId })).toBe(
      await db('personalize_exposures')
        .where({ experiment: experiment.documentId })
        .countDistinct({ n: 'visitor_hash' })
        .then((rows) => Number((rows[0] as { n: number | string }).n))
    );
  });

  test(
    setup.redis
      ? 'the per-address rate limit is shared through Redis'
      : 'without Redis each instance counts its own rate limit',
    async () => {
      // Lets the previous test's window pass, then sends twice the limit, half to each of B and C.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const responses = await Promise.all(
        Array.from({ length: EVENTS_RATE_LIMIT * 2 }, (_, index) =>
          others[index % 2]
            .http()
            .post('/api/personalize/events')
            .send({ events: [{ type: 'click' }] })
        )
      );
      const admitted = responses.filter((response) => response.status !== 429).length;
      if (setup.redis) expect(admitted).toBeLessThanOrEqual(EVENTS_RATE_LIMIT);
      else expect(admitted).toBeGreaterThan(EVENTS_RATE_LIMIT);
      expect(admitted).toBeGreaterThan(0);
    }
  );

  test('the retention job runs once per scheduled run across the three', async () => {
    const runs = () =>
      instances.flatMap((instance) =>
        [...instance.output.matchAll(/event retention (\S+) ran on this instance/g)].map(
          (match) => match[1]
        )
      );
    await waitUntil('three scheduled retention runs', async () => runs().length >= 3, 15_000);
    const all = runs();
    expect(new Set(all).size).toBe(all.length);
  });

  if (setup.reduced) return;

  /** An article with a running 50/50 experiment of its own (exposures are counted by it). */
  const runningExperiment = async (index: number) => {
    const articles = await a.http().get('/api/articles?locale=en&sort=id');
    const article = articles.body.data[index] as { documentId: string };
    const experiment = await startExperiment(article.documentId, {
      name: `Burst ${unique()}`,
      goal: 'burst_goal',
      offerTitle: 'Offer',
    });
    // Every instance serves it before the burst starts (the probes' own exposures are counted
    // once they were written: the delivery writes them within 200 ms).
    await propagation('the burst experiment', async (instance) =>
      Boolean(
        (
          await instance
            .http()
            .get(`/api/personalize/content/articles/${article.documentId}?locale=en`)
            .set(context({ visitorId: `probe-${unique()}` }))
        ).body.meta?.personalization?.experiment
      )
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await countRows('personalize_exposures', { experiment: experiment.documentId });
    return { article: article.documentId, experiment, before };
  };

  /**
   * Personalized reads by new visitors (each one's exposure queued by the delivery) until the
   * instance stops answering; the times of those served an arm.
   */
  const readUntilGone = async (instance: Instance, article: string, token: string) => {
    const served: number[] = [];
    const reader = async () => {
      for (;;) {
        const response = await instance
          .http()
          .get(`/api/personalize/content/articles/${article}?locale=en`)
          .set('Authorization', `Bearer ${token}`)
          .set(context({ visitorId: `reader-${unique()}-${served.length}` }))
          .then(
            (answer) => answer,
            () => null
          );
        if (!response || response.status !== 200) return;
        if (response.body.meta?.personalization?.experiment) served.push(performance.now());
      }
    };
    await Promise.all([reader(), reader(), reader(), reader()]);
    return served;
  };

  test('SIGTERM during an event burst: every accepted event is stored, none twice', async () => {
    const { article, experiment, before } = await runningExperiment(1);
    const [b, c] = others;
    const total = 20_000;
    const batches = Array.from({ length: total / 500 }, (_, batch) =>
      Array.from({ length: 500 }, (_, index) => ({
        type: 'exposure',
        experiment: experiment.key,
        visitorId: `burst-${batch}-${index}`,
      }))
    );
    let accepted = 0;
    let acceptedByC = 0;
    let next = 0;
    /** Sends batches to C; once C refuses connections, to B (as a load balancer would). */
    const sender = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        for (;;) {
          const target = c.process.exitCode === null && c.process.signalCode === null ? c : b;
          const response = await sendEvents(target, batch).then(
            (answer) => answer,
            () => null
          );
          if (response?.status === 200) {
            accepted += response.body.data.accepted as number;
            if (target === c) acceptedByC += response.body.data.accepted as number;
            break;
          }
          // 429 (the rate limit), or C going away: the batch is sent again (duplicates count nothing).
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const reads = readUntilGone(c, article, backend);
    const burst = Promise.all([sender(), sender(), sender()]);
    await waitUntil('C accepted part of the burst', async () => acceptedByC >= 4_000, 30_000);
    const exit = stopInstance(c, 'SIGTERM');
    const [served] = await Promise.all([reads, burst]);
    expect(await exit).toBe(0);
    // C comes back on its port (before anything is checked, so that the next test has three).
    const restarted = await restart(c);

    expect(c.output).not.toMatch(/not stored/);
    const stored =
      (await countRows('personalize_exposures', { experiment: experiment.documentId })) - before;
    console.log(
      `SIGTERM on ${setup.name}: C accepted ${acceptedByC} of ${total} events and served ${served.length} arms before it stopped; ${total - accepted} were stored by C but answered as duplicates by B (C closed the connection first); stored ${stored}`
    );
    expect(acceptedByC).toBeGreaterThan(0);
    expect(acceptedByC).toBeLessThan(total);
    // Every event stored exactly once: those C answered as accepted, those whose answer C could
    // not send any more (sent again to B, which found them stored) and the rest.
    expect(stored).toBe(total + served.length);
    expect(
      (await restarted.http().get(`/api/personalize/content/articles/${article}`)).status
    ).toBe(200);
  });

  test('SIGTERM during page views: every view answered is in its profile', async () => {
    const b = others[0];
    const visitors = Array.from({ length: 4 }, () => `views-${unique()}`);
    let answered = 0;
    const reader = async (visitorId: string) => {
      for (;;) {
        const response = await b
          .http()
          .get('/api/personalize/content/homepage?locale=en')
          .set(context({ visitorId, consent: { personalization: true } }))
          .then(
            (answer) => answer,
            () => null
          );
        if (!response || response.status !== 200) return;
        answered += 1;
      }
    };
    const reads = Promise.all(visitors.map(reader));
    await waitUntil('B answered page views', async () => answered >= 400, 30_000);
    const exit = stopInstance(b, 'SIGTERM');
    await reads;
    expect(await exit).toBe(0);
    await restart(b);
    let recorded = 0;
    for (const visitorId of visitors) {
      const profile = await api.get(`/profiles/${visitorId}`);
      recorded += (profile.body.data.profile?.pageViews as number | undefined) ?? 0;
    }
    console.log(`SIGTERM on ${setup.name}: ${answered} page views answered, ${recorded} recorded`);
    expect(recorded).toBe(answered);
  });

  test('SIGKILL loses at most the delivery exposures of one flush window', async () => {
    const { article, experiment, before } = await runningExperiment(2);
    const b = others[0];
    const reads = readUntilGone(b, article, backend);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const killedAt = performance.now();
    await stopInstance(b, 'SIGKILL');
    const served = await reads;
    await restart(b);
    const stored =
      (await countRows('personalize_exposures', { experiment: experiment.documentId })) - before;
    const lost = served.length - stored;
    const lastWindow = served.filter((at) => at > killedAt - 300).length;
    console.log(
      `SIGKILL on ${setup.name}: ${served.length} arms served, ${stored} exposures stored, ${lost} lost; ${lastWindow} were served in the last 300 ms`
    );
    expect(stored).toBeLessThanOrEqual(served.length);
    expect(lost).toBeLessThanOrEqual(lastWindow);
  });
});
