const path = require('path');

module.exports = ({ env }) => ({
  // The plugin from this repository, loaded from its built `dist/` (run `npm run build` at the root).
  personalize: {
    enabled: true,
    resolve: path.resolve(__dirname, '../..'),
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET'),
    },
  },
});
