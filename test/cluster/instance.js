// One playground instance in a process of its own, as a deployment runs it (`strapi start` on
// the built app): the cluster test starts several on one database. Configured by environment
// variables only; Strapi itself handles SIGTERM (destroy, then exit).
const path = require('node:path');

const { createStrapi } = require('@strapi/strapi');

const app = path.resolve(__dirname, '../../playground');
createStrapi({ appDir: app, distDir: app, autoReload: false, serveAdminPanel: false }).start();
