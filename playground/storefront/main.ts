/**
 * The demo storefront of Nordwind Motors: the homepage and the stories, personalized through
 * `strapi-plugin-personalize/client`, with a visitor panel to play the visitor. Served by the
 * playground at `/`; `?api=<url>` points it at a Strapi on another origin, `?locale=de` opens it
 * in German, and the admin's preview link (`?personalize-context=…`) plays the previewed visitor.
 * A preview link for QA and stakeholders (`?personalize_preview=<token>`) is sent with every
 * request and shown in a banner: what it forced, or why the server ignored it.
 */
import {
  browserContext,
  createPersonalizeClient,
  forgetVisitor,
  PersonalizeError,
  PREVIEW_CONTEXT_PARAM,
  PREVIEW_TOKEN_PARAM,
  previewContext,
  previewToken,
  rememberEvent,
  type Personalization,
  type VisitorContext,
} from 'strapi-plugin-personalize/client';
import { profileContext } from 'strapi-plugin-personalize/client/profiles';

interface Media {
  url: string;
  alternativeText?: string | null;
}

interface Homepage {
  headline: string;
  subline?: string | null;
  hero?: Media | null;
  ctaLabel?: string | null;
  ctaUrl?: string | null;
}

interface Article {
  documentId: string;
  title: string;
  summary?: string | null;
  cover?: Media | null;
}

type Consent = NonNullable<VisitorContext['consent']>;

const CONSENT_KEY = 'storefront:consent';
/** Whether this browser lets the server's profile remember the visitor (kept like the consent). */
const PROFILE_MODE_KEY = 'storefront:profile';
/** The goal of the seeded homepage-cta experiment. */
const CTA_GOAL = 'cta_click';
const DAY_MS = 24 * 60 * 60_000;

const pageParams = new URLSearchParams(location.search);
const apiUrl = pageParams.get('api') ?? location.origin;
/** The visitor of an editor's preview: their context is sent as it is, the panel only shows it. */
const previewed = previewContext();
/** A preview link's token: forces a persona, a stage or an experiment arm; nothing is recorded. */
const previewLink = previewToken();
const client = createPersonalizeClient({ baseUrl: apiUrl, flushIntervalMs: 0 });

const element = <T extends HTMLElement = HTMLElement>(id: string) =>
  document.getElementById(id) as T;

/**
 * The visitor as this page plays them. The consent answer itself is kept in localStorage: it is
 * what lets the page respect a refusal on the next visit.
 */
const visitor = {
  consent: readConsent(),
  persona: '',
  /** Journey events of this page view only, when the visitor did not consent to storage. */
  pageEvents: [] as string[],
  /** "Come back tomorrow" moves this page's clock, so the helper counts a new visit. */
  clockOffsetMs: 0,
  /** Send only the visitor id and consent: the server's profile remembers the rest. */
  profileMode: localStorage.getItem(PROFILE_MODE_KEY) === 'true',
  context: {} as VisitorContext,
  /** Whether the last page was a preview link's forced view, for which nothing is counted. */
  forced: false,
};

function readConsent(): Consent | undefined {
  try {
    return JSON.parse(localStorage.getItem(CONSENT_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Upload URLs are relative to Strapi (local provider) or absolute (a CDN provider). */
const mediaUrl = (media: Media) => new URL(media.url, apiUrl).toString();

const describe = (value: string | null, source?: string | null) =>
  value ? `${value}${source ? ` (${source})` : ''}` : '—';

const showApplied = (personalization: Personalization) => {
  const fields: Record<string, string> = {
    persona: describe(personalization.persona, personalization.personaSource),
    stage: describe(personalization.stage, personalization.stageSource),
    variant: personalization.variant?.name ?? 'base content',
    experiment: personalization.experiment
      ? `${personalization.experiment.key}: ${personalization.experiment.arm}`
      : '—',
    segment: personalization.segment,
    reason: personalization.reason,
  };
  for (const [field, text] of Object.entries(fields)) {
    element('applied').querySelector(`[data-field="${field}"]`)!.textContent = text;
  }
};

/** What the server's profile added to the decision (`meta.personalization.profile`). */
const showProfile = (profile: Personalization['profile']) => {
  element('profile-state').hidden = profile !== undefined;
  const facts: Record<string, string> = {
    visits: String(profile?.visits ?? '—'),
    pageViews: String(profile?.pageViews ?? '—'),
    topInterest: profile?.topInterest ?? '—',
    stageReached: profile?.stageReached ?? '—',
  };
  for (const [field, text] of Object.entries(facts)) {
    element('profile').querySelector(`[data-field="${field}"]`)!.textContent = text;
  }
};

const showHomepage = (homepage: Homepage) => {
  element('headline').textContent = homepage.headline;
  element('subline').textContent = homepage.subline ?? '';
  const hero = element<HTMLImageElement>('hero-image');
  hero.hidden = !homepage.hero;
  if (homepage.hero) hero.src = mediaUrl(homepage.hero);
  hero.alt = homepage.hero?.alternativeText ?? '';
  const cta = element<HTMLAnchorElement>('cta');
  cta.textContent = homepage.ctaLabel ?? '';
  cta.href = homepage.ctaUrl ?? '#';
};

const showArticles = (articles: Article[]) => {
  const items = articles.map((article) => {
    const item = document.createElement('li');
    const cover = document.createElement('img');
    cover.hidden = !article.cover;
    if (article.cover) cover.src = mediaUrl(article.cover);
    cover.alt = article.cover?.alternativeText ?? '';
    const title = document.createElement('h3');
    const read = document.createElement('a');
    read.href = `#${article.documentId}`;
    read.textContent = article.title;
    // Reading a story is a page view: with a profile, its interest signals count.
    read.addEventListener('click', (event) => {
      event.preventDefault();
      void readStory(article.documentId);
    });
    title.append(read);
    const summary = document.createElement('p');
    summary.textContent = article.summary ?? '';
    item.append(cover, title, summary);
    return item;
  });
  element('articles').replaceChildren(...items);
};

const showVisitor = () => {
  const { consent, context } = visitor;
  element<HTMLInputElement>('consent-personalization').checked = consent?.personalization === true;
  element<HTMLInputElement>('consent-analytics').checked = consent?.analytics === true;
  element<HTMLInputElement>('profile-mode').checked = visitor.profileMode;
  element('consent-state').textContent = consent
    ? context.visitorId
      ? `Visitor ${context.visitorId.slice(0, 8)}…${
          context.visits === undefined ? '' : `, visit ${context.visits}`
        }`
      : 'Nothing is stored in this browser.'
    : 'Not asked yet: nothing is stored, no experiment.';
  element<HTMLButtonElement>('returning-visit').disabled = consent?.personalization !== true;
  element('journey-state').textContent =
    (context.events ?? []).length > 0 ? `Events: ${context.events!.join(', ')}` : '';
  element('context-json').textContent = JSON.stringify(context, null, 2);
};

/** The preview link's banner (created here when the page has none). */
const previewBanner = ((): HTMLElement => {
  const existing = document.getElementById('preview-banner');
  if (existing) return existing;
  const banner = document.createElement('p');
  banner.id = 'preview-banner';
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  element('error').before(banner);
  return banner;
})();

/** Personas and stages the context named (which a preview link forces), not ones found. */
const named = (source: Personalization['personaSource']) =>
  source !== 'rule' && source !== 'profile';

/**
 * What the preview link did for this page: the persona, stage and experiment arm it forced
 * (`reason: 'preview'`), or the server's warning when it ignored the link (invalid or expired).
 */
const showPreviewLink = (personalization: Personalization) => {
  const warning = personalization.warnings.find((text) => /^preview link/i.test(text));
  const forced = personalization.reason === 'preview';
  visitor.forced = forced;
  previewBanner.hidden = !forced && !warning;
  previewBanner.className = forced ? 'notice' : 'error';
  previewBanner.dataset.state = forced ? 'forced' : warning ? 'ignored' : 'none';
  if (previewBanner.hidden) return;
  const { persona, personaSource, stage, stageSource, experiment } = personalization;
  const what = [
    persona && named(personaSource) ? `persona ${persona}` : '',
    stage && named(stageSource) ? `stage ${stage}` : '',
    experiment ? `${experiment.key} arm ${experiment.arm}` : '',
  ].filter(Boolean);
  const leave = document.createElement('a');
  leave.id = 'leave-preview-link';
  const ownContent = new URL(location.href);
  ownContent.searchParams.delete(PREVIEW_TOKEN_PARAM);
  leave.href = ownContent.toString();
  leave.textContent = 'See your own content';
  previewBanner.replaceChildren(
    forced
      ? `Preview link: forced ${what.join(', ') || 'this view'}. Nothing is recorded. `
      : `${warning} `,
    leave
  );
};

const showError = (error: unknown) => {
  const banner = element('error');
  banner.hidden = error === null;
  banner.textContent =
    error instanceof PersonalizeError
      ? `The delivery API answered ${error.status}: ${error.message}`
      : String(error);
};

/** Asks the delivery API for this visitor's homepage and stories, and renders them. */
const render = async () => {
  delete document.body.dataset.ready; // set again once this visitor's page is shown
  const locale = element<HTMLSelectElement>('locale').value;
  const extra = {
    locale,
    ...(visitor.persona ? { persona: visitor.persona } : {}),
    ...(visitor.pageEvents.length > 0 ? { events: visitor.pageEvents } : {}),
  };
  const context =
    previewed ??
    (visitor.profileMode
      ? profileContext({ consent: visitor.consent, extra })
      : browserContext({
          consent: visitor.consent,
          now: Date.now() + visitor.clockOffsetMs,
          extra,
        }));
  // browserContext sends a preview link's token by itself; the other two contexts need it too.
  visitor.context = previewLink ? { ...context, preview: previewLink } : context;
  showVisitor();
  element('cta-result').textContent = '';
  try {
    const [homepage, articles] = await Promise.all([
      client.getSingle<Homepage>('homepage', {
        context: visitor.context,
        locale,
        populate: ['hero'],
      }),
      client.getEntries<Article>('articles', {
        context: visitor.context,
        locale,
        populate: ['cover'],
        sort: 'title',
      }),
    ]);
    showHomepage(homepage.data);
    showArticles(articles.data);
    showApplied(homepage.personalization);
    showProfile(homepage.personalization.profile);
    showPreviewLink(homepage.personalization);
    document.body.dataset.ready = homepage.personalization.segment;
    showError(null);
  } catch (error) {
    showError(error);
  }
};

/** Opens a story for this visitor (a personalized read: a page view), then the homepage again. */
const readStory = async (documentId: string) => {
  let title: string;
  try {
    const story = await client.getEntry<Article>('articles', documentId, {
      context: visitor.context,
      locale: element<HTMLSelectElement>('locale').value,
    });
    title = story.data.title;
  } catch (error) {
    showError(error);
    return;
  }
  await render();
  element('cta-result').textContent = `Read: ${title}`;
};

const setConsent = (consent: Consent) => {
  visitor.consent = consent;
  localStorage.setItem(CONSENT_KEY, JSON.stringify(consent));
  client.setConsent(consent);
  void render();
};

/** A CTA click is the homepage-cta experiment's conversion. */
const reportConversion = async () => {
  const result = element('cta-result');
  const { visitorId } = visitor.context;
  if (visitor.forced) {
    result.textContent = "Not sent: a preview link's forced view counts nothing.";
    return;
  }
  if (!visitorId) {
    result.textContent = 'Not sent: without consent to personalization there is no visitor id.';
    return;
  }
  if (visitor.consent?.analytics !== true) {
    result.textContent = 'Not sent: no consent to analytics.';
    return;
  }
  client.track({ type: 'conversion', visitorId, goal: CTA_GOAL });
  try {
    const { accepted, duplicates, rejected } = await client.flush();
    result.textContent =
      accepted > 0
        ? 'Conversion counted.'
        : duplicates > 0
          ? 'Already counted for this visitor.'
          : `Not counted: ${rejected[0]?.error ?? 'unknown reason'}.`;
  } catch (error) {
    showError(error);
  }
};

element('locale').addEventListener('change', () => void render());
element('persona').addEventListener('change', (event) => {
  visitor.persona = (event.target as HTMLSelectElement).value;
  void render();
});
element('consent-personalization').addEventListener('change', (event) =>
  setConsent({
    personalization: (event.target as HTMLInputElement).checked,
    analytics: visitor.consent?.analytics === true,
  })
);
element('consent-analytics').addEventListener('change', (event) =>
  setConsent({
    personalization: visitor.consent?.personalization === true,
    analytics: (event.target as HTMLInputElement).checked,
  })
);
element('profile-mode').addEventListener('change', (event) => {
  visitor.profileMode = (event.target as HTMLInputElement).checked;
  localStorage.setItem(PROFILE_MODE_KEY, String(visitor.profileMode));
  void render();
});
element('configurator-completed').addEventListener('click', () => {
  if (!rememberEvent('configurator_completed', { consent: visitor.consent })) {
    visitor.pageEvents = [...new Set([...visitor.pageEvents, 'configurator_completed'])];
  }
  void render();
});
element('returning-visit').addEventListener('click', () => {
  visitor.clockOffsetMs += DAY_MS;
  void render();
});
element('forget').addEventListener('click', () => {
  forgetVisitor();
  localStorage.removeItem(CONSENT_KEY);
  localStorage.removeItem(PROFILE_MODE_KEY);
  visitor.profileMode = false;
  Object.assign(visitor, { consent: undefined, persona: '', pageEvents: [], clockOffsetMs: 0 });
  element<HTMLSelectElement>('persona').value = '';
  client.setConsent(undefined);
  void render();
});
element('cta').addEventListener('click', (event) => {
  event.preventDefault();
  void reportConversion();
});

/** Chooses `value` in a select that offers it; otherwise leaves the select as it is. */
const selectIfOffered = (id: string, value: string | undefined) => {
  const select = element<HTMLSelectElement>(id);
  if (Array.from(select.options).some((option) => option.value === value)) {
    select.value = value ?? '';
  }
};

selectIfOffered('locale', pageParams.get('locale') ?? undefined);

if (previewed) {
  element('preview-notice').hidden = false;
  selectIfOffered('persona', previewed.persona);
  const ownVisitor = new URL(location.href);
  ownVisitor.searchParams.delete(PREVIEW_CONTEXT_PARAM);
  element<HTMLAnchorElement>('leave-preview').href = ownVisitor.toString();
  // The previewed visitor is fixed: the controls that would change them are off.
  for (const fieldset of Array.from(
    document.querySelectorAll<HTMLFieldSetElement>('.panel fieldset')
  )) {
    fieldset.disabled = true;
  }
}

client.setConsent(visitor.consent);
void render();
