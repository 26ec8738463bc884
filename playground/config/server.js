module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  logger: {
    // No npm registry check for a newer Strapi on every start.
    updates: { enabled: false },
  },
  app: {
    keys: env.array('APP_KEYS'),
  },
  // Behind a load balancer or CDN, the client address (ctx.ip, which the plugin's event budget
  // counts by) comes from X-Forwarded-For only when Koa trusts the proxy; only one hop here.
  proxy: { koa: env.bool('PROXY', false), maxIpsCount: 1 },
});
