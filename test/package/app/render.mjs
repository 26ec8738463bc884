// What a React app does with the installed package, against the playground at PLAYGROUND_URL:
// the hooks render the family headline server-side (react-dom/server) and in a DOM (happy-dom),
// refetch when the context changes, and <TrackConversion> sends its event. Exits non-zero on failure.
import { createRequire } from 'node:module';

import { Window } from 'happy-dom';
import { createElement as h } from 'react';
import server from 'react-dom/server';
import { createPersonalizeClient } from 'strapi-plugin-personalize-client';
import {
  PersonalizeProvider,
  TrackConversion,
  usePersonalizedSingle,
} from 'strapi-plugin-personalize-client/react';

const baseUrl = process.env.PLAYGROUND_URL;
const FAMILY = { persona: 'family' };
const FLEET = { persona: 'fleet' };

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// CommonJS importers get the same entries.
const require = createRequire(import.meta.url);
for (const entry of ['', '/server', '/react']) {
  const exports = require(`strapi-plugin-personalize-client${entry}`);
  check(Object.keys(exports).length > 0, `require('…${entry}') has no exports`);
}

function Headline({ initial }) {
  const { data, loading, error } = usePersonalizedSingle('homepage', { initial });
  if (error) return h('p', { id: 'error' }, error.message);
  return h('h1', { 'data-loading': String(loading) }, data ? data.headline : '…');
}

const client = createPersonalizeClient({ baseUrl, flushIntervalMs: 0 });
const family = await client.getSingle('homepage', { context: FAMILY });
const fleet = await client.getSingle('homepage', { context: FLEET });
check(family.data.headline !== fleet.data.headline, 'family and fleet share a headline');

const page = (context, initial, children = null) =>
  h(PersonalizeProvider, { client, context }, h(Headline, { initial }), children);

// Server side: the reading fetched beforehand renders at once; without one, nothing is fetched.
const html = server.renderToString(page(FAMILY, family));
check(html.includes(family.data.headline), `SSR rendered ${html}`);
check(server.renderToString(page(FAMILY)).includes('…'), 'SSR without a reading is not pending');

// In a DOM: the hook fetches after mount, and again when the context changes.
const window = new Window({ url: 'http://shop.example/' });
Object.assign(globalThis, { window, document: window.document, navigator: window.navigator });
const { createRoot } = await import('react-dom/client');
const root = createRoot(window.document.body.appendChild(window.document.createElement('div')));

async function shows(text) {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (window.document.body.textContent.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`"${text}" never rendered; the page shows "${window.document.body.textContent}"`);
}

root.render(page(FAMILY));
await shows(family.data.headline);
root.render(page(FLEET));
await shows(fleet.data.headline);

// <TrackConversion> sends a conversion for the provider's visitor.
root.render(
  page(
    { ...FLEET, visitorId: 'package-test-visitor' },
    fleet,
    h(TrackConversion, { goal: 'test-drive' })
  )
);
for (let waited = 0; client.queued === 0; waited += 20) {
  check(waited < 10_000, '<TrackConversion> queued no event');
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const counts = await client.flush();
check(
  counts.accepted + counts.duplicates + counts.rejected.length === 1,
  `flush: ${JSON.stringify(counts)}`
);

root.unmount();
client.close();
await window.happyDOM.close();
console.log(`rendered "${family.data.headline}" and "${fleet.data.headline}"`);
