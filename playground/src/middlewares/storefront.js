/**
 * Serves the demo storefront (playground/public/storefront/, built by scripts/ensure-build.mjs)
 * at `/`, where Strapi's `strapi::public` would redirect to the admin panel.
 */
const { createReadStream, existsSync } = require('node:fs');
const path = require('node:path');

module.exports = (_config, { strapi }) => {
  const page = path.join(strapi.dirs.static.public, 'storefront', 'index.html');
  return async (ctx, next) => {
    if (ctx.path !== '/' || !['GET', 'HEAD'].includes(ctx.method) || !existsSync(page)) {
      return next();
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(page);
  };
};
