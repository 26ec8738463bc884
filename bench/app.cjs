/**
 * The benchmark's Strapi: the playground on a given SQLite file, in its own process so that the
 * load generator does not share its event loop. Seeds (idempotently) 1,000 published articles,
 * the demo's personas and stages, and published variants up to BENCH_VARIANTS, then listens on a
 * free port and prints `listening <port>` for bench/delivery.mjs. With BENCH_HOLDOUT_SWITCH it
 * also answers `PUT /bench/holdout?share=<0–0.2>` (see holdoutSwitch), and always
 * `GET /bench/variants?ids=<documentId>,…` (see variantList), `POST /bench/echo` (see echo) and
 * `GET /bench/articles/:documentId` (see memoryRead). With BENCH_SNAPSHOT_TOKEN it prints
 * `snapshotToken "<key>"`: an API token for `GET /api/personalize/snapshot` (bench/edge.mjs).
 */
const path = require('node:path');

const { createStrapi } = require('@strapi/strapi');

const { personas, stages } = require('../playground/src/demo/story');

const ARTICLE = 'api::article.article';
const VARIANT = 'plugin::personalize.variant';
const ARTICLES = 1_000;
const PLAYGROUND = path.resolve(__dirname, '../playground');

/** Ten variants of one article with mixed targeting: 4 persona, 3 stage, 2 persona+stage, 1 rule. */
const variantsOf = (article, ids) => {
  const [fleet, performance, family, factSeeker] = ids.personas;
  const [, consideration, purchase, customer] = ids.stages;
  const targeting = [
    { persona: fleet },
    { persona: performance },
    { persona: family },
    { persona: factSeeker },
    { stage: consideration },
    { stage: purchase },
    { stage: customer },
    { persona: family, stage: purchase },
    { persona: fleet, stage: purchase, priority: 1 },
    { rule: { in: [{ var: 'geo.country' }, ['AT', 'CH']] } },
  ];
  return targeting.map((target, index) => ({
    name: `${article.title} #${index}`,
    targetUid: ARTICLE,
    targetDocumentId: article.documentId,
    persona: null,
    stage: null,
    rule: null,
    priority: 0,
    ...target,
    overrides: {
      title: `${article.title} for variant ${index}`,
      summary: `Summary of variant ${index}`,
    },
  }));
};

const inChunks = async (strapi, items, write) => {
  for (let start = 0; start < items.length; start += 250) {
    await strapi.db.transaction(async () => {
      for (const item of items.slice(start, start + 250)) await write(item);
    });
  }
};

const seed = async (strapi, wantedVariants) => {
  const documents = (uid) => strapi.documents(uid);
  const ensure = async (uid, items) => {
    for (const item of items) {
      if (!(await documents(uid).findFirst({ filters: { slug: item.slug } })))
        await documents(uid).create({ data: item });
    }
    return Promise.all(
      items.map(
        async (item) =>
          (await documents(uid).findFirst({ filters: { slug: item.slug } })).documentId
      )
    );
  };
  const ids = {
    personas: await ensure('plugin::personalize.persona', personas),
    stages: await ensure('plugin::personalize.journey-stage', stages),
  };

  const existing = await documents(ARTICLE).count({ locale: 'en', status: 'published' });
  const missing = Array.from({ length: Math.max(ARTICLES - existing, 0) }, (_, i) => existing + i);
  await inChunks(strapi, missing, (i) =>
    documents(ARTICLE).create({
      locale: 'en',
      status: 'published',
      data: {
        title: `Article ${String(i).padStart(4, '0')}`,
        summary: `The summary of article ${i}.`,
      },
    })
  );
  const articles = await documents(ARTICLE).findMany({
    locale: 'en',
    status: 'published',
    sort: 'title:asc',
    fields: ['title', 'documentId'],
    limit: ARTICLES,
  });

  const have = await strapi.db.query(VARIANT).count({ where: { publishedAt: { $notNull: true } } });
  const all = articles.flatMap((article) => variantsOf(article, ids)).slice(have, wantedVariants);
  await strapi
    .plugin('personalize')
    .service('registryLoader')
    .bulk(() =>
      inChunks(strapi, all, (variant) =>
        documents(VARIANT).create({ locale: 'en', status: 'published', data: variant })
      )
    );
  return { articles: articles.length, variants: have + all.length };
};

/**
 * For bench/events.mjs: a running A/A experiment (both arms the base entry) on the first article,
 * and public permission to create articles for the core REST write baseline.
 */
const startExperiment = async (strapi) => {
  const [article] = await strapi.documents(ARTICLE).findMany({ locale: 'en', limit: 1 });
  const experiments = strapi.plugin('personalize').service('experiments');
  const access = strapi.plugin('personalize').service('access').system();
  const created = await experiments.create(access, {
    name: 'Events benchmark',
    targetUid: ARTICLE,
    targetDocumentId: article.documentId,
    locale: 'en',
    goal: 'bench_goal',
    arms: [
      { key: 'control', variant: null, weight: 1 },
      { key: 'b', variant: null, weight: 1 },
    ],
  });
  await experiments.start(access, created.documentId);
  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  await strapi.db
    .query('plugin::users-permissions.permission')
    .create({ data: { action: `${ARTICLE}.create`, role: role.id } });
  return { key: created.key, documentId: created.documentId };
};

/** Bytes the heap holds after a full collection (the app runs with --expose-gc). */
const heapAfterGc = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed;
};

/**
 * For bench/delivery.mjs: `count` visitors (`bench-<i>`) with a profile each (one page view, and
 * interest points for a third of them), written through the profiles service; reports how many
 * the instance then holds in memory and what they take (the heap before and after).
 */
const seedProfiles = async (strapi, count) => {
  const profiles = strapi.plugin('personalize').service('profiles');
  profiles.forget(null);
  const before = heapAfterGc();
  const at = Date.now();
  for (let start = 0; start < count; start += 1_000) {
    const changes = new Map();
    for (let i = start; i < Math.min(start + 1_000, count); i += 1) {
      changes.set(`bench-${i}`, [
        { kind: 'view', at, signals: [], stage: null },
        { kind: 'event', at, name: i % 3 === 0 ? 'configurator_completed' : 'brochure' },
      ]);
    }
    await profiles.recordNow(changes);
  }
  const bytes = heapAfterGc() - before;
  return {
    seeded: count,
    cached: profiles.cachedCount,
    cacheBytes: bytes,
    bytesPerProfile: Math.round(bytes / Math.max(profiles.cachedCount, 1)),
  };
};

/**
 * For bench/delivery.mjs: `PUT /bench/holdout?share=<0–0.2>` sets the global holdout (seed
 * `bench`) through the settings service, as Settings → Personalize does, so that a single row is
 * measured with the holdout on; answers the holdout the registry holds once it reloaded. A route
 * of the root router, as core's `/_health` is: no permission, no plugin code of its own.
 */
const holdoutSwitch = (strapi) => {
  strapi.server.router.put('/bench/holdout', async (ctx) => {
    const plugin = strapi.plugin('personalize');
    await plugin.service('settings').update(plugin.service('access').system(), {
      holdout: { share: Number(ctx.query.share), seed: 'bench' },
    });
    ctx.body = plugin.service('registryLoader').registry.holdout;
  });
};

/**
 * For bench/delivery.mjs: `GET /bench/variants?ids=<documentId>,…` answers the published English
 * variants of those articles as the registry holds them (`{ [article]: [variant, …] }`), for the
 * requests of the variant content row. A route of the root router, as holdoutSwitch's.
 */
const variantList = (strapi) => {
  strapi.server.router.get('/bench/variants', (ctx) => {
    const { registry } = strapi.plugin('personalize').service('registryLoader');
    ctx.body = Object.fromEntries(
      String(ctx.query.ids ?? '')
        .split(',')
        .map((id) => [id, registry.variantsOf(ARTICLE, id, 'en').map((v) => v.documentId)])
    );
  });
};

/**
 * For bench/edge.mjs: `POST /bench/echo` answers `{ data: <the JSON body> }`, a route of the root
 * router with no work of its own: what any JSON POST costs in Strapi (body parsing, the router,
 * a JSON response) beyond `/_health`, the floor under `decide`.
 */
const echo = (strapi) => {
  strapi.server.router.post('/bench/echo', (ctx) => {
    ctx.body = { data: ctx.request.body };
  });
};

/**
 * For bench/edge.mjs: `GET /bench/articles/:documentId` answers `{ data: <the published article> }`
 * from memory (read from the database once), a route of the root router with no other work: what
 * a read of the same entry costs in Strapi beyond `/_health`, the floor under the personalized read.
 */
const memoryRead = (strapi) => {
  const articles = new Map();
  strapi.server.router.get('/bench/articles/:documentId', async (ctx) => {
    const { documentId } = ctx.params;
    if (!articles.has(documentId)) {
      const article = await strapi.documents(ARTICLE).findOne({ documentId, status: 'published' });
      articles.set(documentId, article);
    }
    ctx.body = { data: articles.get(documentId) };
  });
};

/** For bench/edge.mjs: an API token with the snapshot permission, made as the admin makes one. */
const snapshotToken = async (strapi) =>
  (
    await strapi.service('admin::api-token').create({
      name: `bench ${Date.now()}`,
      type: 'custom',
      lifespan: null,
      permissions: ['plugin::personalize.snapshot.read'],
    })
  ).accessKey;

const main = async () => {
  const strapi = createStrapi({
    appDir: PLAYGROUND,
    distDir: PLAYGROUND,
    autoReload: false,
    serveAdminPanel: false,
  });
  await strapi.load();
  const started = Date.now();
  const counts = await seed(strapi, Number(process.env.BENCH_VARIANTS));
  const { variantCount } = strapi.plugin('personalize').service('registryLoader').registry;
  process.stdout.write(
    `seeded ${JSON.stringify({ ...counts, registry: variantCount, seconds: (Date.now() - started) / 1000 })}\n`
  );
  if (process.env.BENCH_PROFILES) {
    process.stdout.write(
      `profiles ${JSON.stringify(await seedProfiles(strapi, Number(process.env.BENCH_PROFILES)))}\n`
    );
  }
  if (process.env.BENCH_EXPERIMENT) {
    process.stdout.write(`experiment ${JSON.stringify(await startExperiment(strapi))}\n`);
  }
  if (process.env.BENCH_HOLDOUT_SWITCH) holdoutSwitch(strapi);
  if (process.env.BENCH_SNAPSHOT_TOKEN) {
    process.stdout.write(`snapshotToken ${JSON.stringify(await snapshotToken(strapi))}\n`);
  }
  variantList(strapi);
  echo(strapi);
  memoryRead(strapi);
  await new Promise((resolve) => strapi.server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`listening ${strapi.server.httpServer.address().port}\n`);
  process.on('SIGTERM', async () => {
    await strapi.destroy();
    process.exit(0);
  });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
