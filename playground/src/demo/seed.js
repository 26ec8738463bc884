/**
 * Seeds the demo story (./story.js) through Strapi's document service and upload service.
 * Idempotent: whatever already exists (matched by slug, or by file name for pictures) is left as
 * it is, so editors' changes survive a restart. Each entry is written in one transaction.
 */
const path = require('path');
const fs = require('fs/promises');

const { personas, stages, homepage, articles } = require('./story');

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

/** Creates an entry in English, adds its German localization and publishes both. */
const createLocalized = async (strapi, uid, { en, de }) => {
  const documents = strapi.documents(uid);
  await strapi.db.transaction(async () => {
    const { documentId } = await documents.create({ locale: 'en', data: en });
    await documents.update({ documentId, locale: 'de', data: de });
    await documents.publish({ documentId, locale: '*' });
  });
};

const seedHomepage = async (strapi) => {
  if (await strapi.documents(HOMEPAGE).findFirst({ locale: 'en' })) {
    return;
  }
  const hero = await picture(strapi, homepage.image);
  await createLocalized(strapi, HOMEPAGE, {
    en: { ...homepage.en, hero },
    de: { ...homepage.de, hero },
  });
};

const seedArticles = async (strapi) => {
  for (const article of articles) {
    if (
      await strapi
        .documents(ARTICLE)
        .findFirst({ locale: 'en', filters: { slug: article.en.slug } })
    ) {
      continue;
    }
    const cover = await picture(strapi, article.image);
    await createLocalized(strapi, ARTICLE, {
      en: { ...article.en, cover },
      de: { ...article.de, cover },
    });
  }
};

const seedStory = async (strapi) => {
  await seedBySlug(strapi, 'plugin::personalize.persona', personas);
  await seedBySlug(strapi, 'plugin::personalize.journey-stage', stages);
  await seedHomepage(strapi);
  await seedArticles(strapi);
};

module.exports = { seedStory };
