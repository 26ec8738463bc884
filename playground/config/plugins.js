const path = require('path');

module.exports = ({ env }) => ({
  // The plugin from this repository, loaded from its built `dist/` (run `npm run build` at the root).
  personalize: {
    enabled: true,
    resolve: path.resolve(__dirname, '../..'),
    config: {
      // Requests per second per IP address on POST /api/personalize/events (0 = no limit).
      eventsRateLimit: env.int('PERSONALIZE_EVENTS_RATE_LIMIT', 50),
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET'),
    },
  },
});
