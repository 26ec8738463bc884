import path from 'node:path';
import fs from 'node:fs/promises';

import { createEntry } from './content';
import type { Playground } from './playground';
import { PLAYGROUND_DIR } from './playground';

type Body = Record<string, unknown>;

/** The plugin's services, as fixtures use them (the admin API is tested on its own). */
const service = (app: Playground, name: string) =>
  app.strapi.plugin('personalize').service(name) as Record<
    string,
    (...args: unknown[]) => Promise<Body>
  >;

export const createPersona = (app: Playground, body: Body) =>
  service(app, 'classification').create('persona', body);

export const createStage = (app: Playground, body: Body) =>
  service(app, 'classification').create('stage', body);

/** The plugin's own access (no admin, no Content Manager restriction), as seeds use it. */
export const systemAccess = (app: Playground) =>
  app.strapi.plugin('personalize').service('access').system() as unknown;

/** Creates a variant through the plugin's validation and publishes it unless told not to. */
export const createVariant = async (app: Playground, body: Body, { publish = true } = {}) => {
  const variants = service(app, 'variants');
  const created = await variants.create(systemAccess(app), body);
  return publish ? variants.publish(systemAccess(app), created.documentId) : created;
};

/**
 * The admin API body of an experiment on an article: the base entry (`control`) against one
 * variant (`offer`), 50/50, goal `cta_click`; `extra` overrides any field.
 */
export const experimentBody = (article: string, offer: string | null, extra: Body = {}) => ({
  name: 'CTA test',
  targetUid: 'api::article.article',
  targetDocumentId: article,
  locale: 'en',
  goal: 'cta_click',
  arms: [
    { key: 'control', variant: null, weight: 1 },
    { key: 'offer', variant: offer, weight: 1 },
  ],
  ...extra,
});

/** The `X-Personalize-Context` header for a visitor context. */
export const contextHeader = (context: unknown) => ({
  'X-Personalize-Context': JSON.stringify(context),
});

/** Uploads one of the demo pictures and returns the file as the upload service stored it. */
export const uploadPicture = async (app: Playground, name: string) => {
  const filepath = path.join(PLAYGROUND_DIR, 'data/images', `${name}.jpg`);
  const { size } = await fs.stat(filepath);
  const [file] = await app.strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { name: `${name}.jpg` } },
      files: { filepath, originalFilename: `${name}.jpg`, mimetype: 'image/jpeg', size },
    });
  return file as { id: number; url: string; name: string };
};

/** Grants or revokes a users-permissions action for the Public role. */
export const setPublicPermission = async (app: Playground, action: string, granted: boolean) => {
  const { strapi } = app;
  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  const existing = await permissions.findOne({ where: { action, role: role.id } });
  if (granted && !existing) await permissions.create({ data: { action, role: role.id } });
  if (!granted && existing) await permissions.delete({ where: { id: existing.id } });
};

/**
 * The smallest personalized setup: an English article "Base" with a published variant titled
 * "Family" for the persona `family`. Returns the article's documentId.
 */
export const seedFamilyArticle = async (app: Playground, personaRule: unknown = null) => {
  const article = await createEntry(app, 'api::article.article', {
    locale: 'en',
    data: { title: 'Base' },
  });
  await createPersona(app, { name: 'Family', slug: 'family', rule: personaRule });
  await createVariant(app, {
    name: 'family',
    targetUid: 'api::article.article',
    targetDocumentId: article.documentId,
    persona: 'family',
    overrides: { title: 'Family' },
  });
  return article.documentId;
};
