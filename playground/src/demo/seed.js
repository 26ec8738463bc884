/**
 * Seeds the demo story (./story.js) through Strapi's document service and upload service.
 * Idempotent: whatever already exists (matched by slug, or by file name for pictures) is left as
 * it is, so editors' changes survive a restart. Each entry is written in one transaction.
 */
const path = require('path');
const fs = require('fs/promises');

const {
  personas,
  stages,
  interests,
  signals,
  homepage,
  articles,
  featured,
  variants,
  experiments,
  holdout,
} = require('./story');

const IMAGES_DIR = path.resolve(__dirname, '../../data/images');
const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';

/** The uploaded picture `name`.jpg, uploaded now if the media library does not have it yet. */
const picture = async (strapi, name) => {
  const fileName = `${name}.jpg`;
  const existing = await strapi.db
    .query('plugin::upload.file')
    .findOne({ where: { name: fileName } });
  if (existing) {
    return existing.id;
  }
  const filepath = path.join(IMAGES_DIR, fileName);
  const { size } = await fs.stat(filepath);
  const [uploaded] = await strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { name: fileName, alternativeText: name.replace(/-/g, ' ') } },
      files: { filepath, originalFilename: fileName, mimetype: 'image/jpeg', size },
    });
  return uploaded.id;
};

const seedBySlug = async (strapi, uid, items) => {
  const documents = strapi.documents(uid);
  for (const item of items) {
    if (!(await documents.findFirst({ filters: { slug: item.slug } }))) {
      await documents.create({ data: item });
    }
  }
};

/**
 * Creates an entry in English, adds its German localization and publishes both, unless an English
 * entry with the same slug (or, for a single type, any English entry) exists.
 */
const seedLocalized = async (strapi, uid, { media, en, de }) => {
  const documents = strapi.documents(uid);
  const filters = en.slug ? { slug: en.slug } : {};
  if (await documents.findFirst({ locale: 'en', filters })) {
    return;
  }
  const pictures = {};
  for (const [field, name] of Object.entries(media)) {
    pictures[field] = await picture(strapi, name);
  }
  await strapi.db.transaction(async () => {
    const { documentId } = await documents.create({ locale: 'en', data: { ...en, ...pictures } });
    await documents.update({ documentId, locale: 'de', data: { ...de, ...pictures } });
    await documents.publish({ documentId, locale: '*' });
  });
};

const VARIANT = 'plugin::personalize.variant';

/**
 * Creates and publishes each variant in en and de through the plugin's own service (so the demo
 * passes the same validation as an editor), unless a variant of that name and locale exists.
 * One registry reload at the end instead of one per write.
 */
const seedVariants = (strapi) =>
  strapi
    .plugin('personalize')
    .service('registryLoader')
    .bulk(async () => {
      const service = strapi.plugin('personalize').service('variants');
      // The seed is the app's own code: no admin, so no Content Manager restriction.
      const access = strapi.plugin('personalize').service('access').system();
      for (const variant of variants) {
        const targetUid = variant.target === 'homepage' ? HOMEPAGE : ARTICLE;
        const targetDocumentId =
          targetUid === HOMEPAGE
            ? null
            : (
                await strapi
                  .documents(ARTICLE)
                  .findFirst({ locale: 'en', filters: { slug: variant.target } })
              ).documentId;
        const pictures = {};
        for (const [field, name] of Object.entries(variant.media)) {
          pictures[field] = await picture(strapi, name);
        }
        for (const locale of ['en', 'de']) {
          const existing = await strapi
            .documents(VARIANT)
            .findFirst({ locale, status: 'draft', filters: { name: variant.name, targetUid } });
          if (existing) continue;
          const created = await service.create(access, {
            name: variant.name,
            targetUid,
            targetDocumentId,
            locale,
            persona: variant.persona ?? null,
            stage: variant.stage ?? null,
            rule: variant.rule ?? null,
            priority: variant.priority ?? 0,
            overrides: { ...variant[locale], ...pictures },
          });
          await service.publish(access, created.documentId);
        }
      }
    });

const DAY_MS = 24 * 60 * 60_000;

/** A deterministic pseudo-random number in [0, 1) per text (the demo's visitors are always the same). */
const chance = (text) => {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash >>> 0) / 2 ** 32;
};

/**
 * Creates and starts each demo experiment through the plugin's services, then records simulated
 * exposures and conversions spread over its `simulation.days` through the events service (the
 * same path as `POST /api/personalize/events`), as a trusted import of history: from no client
 * address, so the results' source checks judge only what real visitors send afterwards. The
 * seed is fixed, so the simulation is the same on every machine. Skipped when an experiment with
 * that key exists.
 */
const seedExperiments = async (strapi) => {
  const service = strapi.plugin('personalize').service('experiments');
  const access = strapi.plugin('personalize').service('access').system();
  const events = strapi.plugin('personalize').service('events');
  for (const { simulation, target, arms, ...experiment } of experiments) {
    const exists = await strapi
      .documents('plugin::personalize.experiment')
      .findFirst({ filters: { key: experiment.key } });
    if (exists) continue;
    const variantId = async (name) =>
      name === null
        ? null
        : (
            await strapi
              .documents(VARIANT)
              .findFirst({ locale: experiment.locale, status: 'draft', filters: { name } })
          ).documentId;
    const created = await service.create(access, {
      ...experiment,
      targetUid: target === 'homepage' ? HOMEPAGE : ARTICLE,
      targetDocumentId: null,
      arms: await Promise.all(
        arms.map(async (arm) => ({ ...arm, variant: await variantId(arm.variant) }))
      ),
    });
    const now = Date.now();
    const startedAt = now - simulation.days * DAY_MS;
    await strapi.documents('plugin::personalize.experiment').update({
      documentId: created.documentId,
      data: { seed: `demo:${created.key}`, startedAt: new Date(startedAt) },
    });
    await service.start(access, created.documentId);

    const exposures = [];
    const conversions = [];
    for (let index = 0; index < simulation.visitors; index += 1) {
      const visitorId = `demo-visitor-${index}`;
      const exposedAt = startedAt + chance(`${visitorId}:day`) * (now - startedAt - 3_600_000);
      exposures.push({
        type: 'exposure',
        experiment: created.key,
        visitorId,
        timestamp: Math.round(exposedAt),
      });
      const rate = simulation.conversionRates[events.assignedArm(created.key, visitorId)] ?? 0;
      if (chance(`${visitorId}:convert`) < rate) {
        const delay = 60_000 + chance(`${visitorId}:delay`) * 1_800_000;
        conversions.push({
          type: 'conversion',
          goal: experiment.goal,
          visitorId,
          timestamp: Math.round(exposedAt + delay),
        });
      }
    }
    for (const list of [exposures, conversions]) {
      for (let start = 0; start < list.length; start += 500) {
        await events.ingest(list.slice(start, start + 500), events.systemOrigin);
      }
    }
  }
};

/**
 * Turns the holdout on and records its simulated traffic, unless a holdout is set already: each
 * visitor's exposure to personalization on one day of `simulation.days` (in the population the
 * holdout puts them in, with a persona and stage), the homepage variant a personalized one with
 * a persona was served (its reach), and conversions of each goal at its population's rate
 * through the events service, as a trusted import.
 */
const seedHoldout = async (strapi) => {
  const plugin = strapi.plugin('personalize');
  const settings = plugin.service('settings');
  if ((await settings.holdout()).share > 0) return;
  const access = plugin.service('access').system();
  await settings.update(access, { holdout: { share: holdout.share, seed: holdout.seed } });
  const events = plugin.service('events');
  const { simulation } = holdout;
  const slugs = (list) => [...list.map((item) => item.slug), null];
  const personaSlugs = slugs(personas);
  const stageSlugs = slugs(stages);
  const pick = (list, text) => list[Math.floor(chance(text) * list.length)];
  const homepageVariants = plugin
    .service('registryLoader')
    .registry.variantsOf(HOMEPAGE, null, 'en')
    .filter((variant) => variant.persona !== null);
  const now = Date.now();
  const conversions = [];
  for (let index = 0; index < simulation.visitors; index += 1) {
    const visitorId = `demo-shopper-${index}`;
    const population = events.populationOf(visitorId);
    const exposedAt = now - 3_600_000 - chance(`${visitorId}:day`) * simulation.days * DAY_MS;
    const classified = {
      persona: pick(personaSlugs, `${visitorId}:persona`),
      stage: pick(stageSlugs, `${visitorId}:stage`),
    };
    events.recordImpactExposure(visitorId, { population, ...classified }, new Date(exposedAt));
    // A personalized visitor with a persona saw the homepage's variant for it: its reach.
    const served =
      population === 'personalized' &&
      homepageVariants.find(
        (variant) =>
          variant.persona === classified.persona &&
          (variant.stage === null || variant.stage === classified.stage)
      );
    if (served) events.recordReach(served.documentId, visitorId, new Date(exposedAt));
    for (const [goal, rates] of Object.entries(simulation.goals)) {
      if (chance(`${visitorId}:${goal}`) < rates[population]) {
        const delay = 60_000 + chance(`${visitorId}:${goal}:delay`) * 1_800_000;
        conversions.push({
          type: 'conversion',
          goal,
          visitorId,
          timestamp: Math.round(exposedAt + delay),
        });
      }
    }
  }
  await events.flushImpact();
  for (let start = 0; start < conversions.length; start += 500) {
    await events.ingest(conversions.slice(start, start + 500), events.systemOrigin);
  }
};

/** Each article's signals, through the plugin's own service, unless it has some already. */
const seedSignals = async (strapi) => {
  const service = strapi.plugin('personalize').service('interests');
  const access = strapi.plugin('personalize').service('access').system();
  for (const [slug, list] of Object.entries(signals)) {
    const article = await strapi.documents(ARTICLE).findFirst({ locale: 'en', filters: { slug } });
    if (!article) continue;
    const target = { targetUid: ARTICLE, targetDocumentId: article.documentId };
    const { signals: existing } = await service.findSignals(access, ARTICLE, article.documentId);
    if (existing.length === 0) await service.replaceSignals(access, { ...target, signals: list });
  }
};

/**
 * The homepage's featured stories in both locales (the same articles, each locale's version),
 * unless it has some: after the articles exist, before the variants record the base's state.
 */
const seedFeatured = async (strapi) => {
  const documents = strapi.documents(HOMEPAGE);
  const home = await documents.findFirst({
    locale: 'en',
    populate: { featured: { fields: ['documentId'] } },
  });
  if (!home || home.featured.length > 0) return;
  const ids = [];
  for (const slug of featured) {
    const article = await strapi.documents(ARTICLE).findFirst({ locale: 'en', filters: { slug } });
    if (article) ids.push(article.documentId);
  }
  await strapi.db.transaction(async () => {
    for (const locale of ['en', 'de']) {
      await documents.update({ documentId: home.documentId, locale, data: { featured: ids } });
    }
    await documents.publish({ documentId: home.documentId, locale: '*' });
  });
};

const seedStory = async (strapi) => {
  await seedBySlug(strapi, 'plugin::personalize.persona', personas);
  await seedBySlug(strapi, 'plugin::personalize.journey-stage', stages);
  await seedBySlug(strapi, 'plugin::personalize.interest', interests);
  await seedLocalized(strapi, HOMEPAGE, homepage);
  for (const article of articles) {
    await seedLocalized(strapi, ARTICLE, article);
  }
  await seedFeatured(strapi);
  await seedSignals(strapi);
  await seedVariants(strapi);
  await seedExperiments(strapi);
  await seedHoldout(strapi);
};

module.exports = { seedStory };
