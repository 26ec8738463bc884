/**
 * Cross-origin frontends need no CORS setting for the delivery API: the client sends the visitor
 * context as the `context` query parameter (a simple request). A frontend that sends the
 * `X-Personalize-Context` header instead needs it allowed, and `X-Personalize-Segment` exposed to
 * read it; `CORS_ALLOW_CONTEXT_HEADER=true` turns on that setting (docs/frontend.md).
 */
const corsForContextHeader = {
  name: 'strapi::cors',
  config: {
    headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'X-Personalize-Context'],
    expose: ['X-Personalize-Segment'],
  },
};

module.exports = ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  env.bool('CORS_ALLOW_CONTEXT_HEADER', false) ? corsForContextHeader : 'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'global::storefront',
  'strapi::public',
];
