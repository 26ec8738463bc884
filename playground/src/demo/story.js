/**
 * The demo story: Nordwind Motors, a car maker whose website speaks differently to a family
 * buyer, a performance enthusiast, a fleet manager and a visitor who wants the facts.
 * Rules are JSON-logic over the visitor context (docs/architecture.md §4); each persona and stage
 * carries a sample context that its own rule recognizes (checked by test/unit/demo-story.test.ts).
 */

const has = (event) => ({ in: [event, { var: 'events' }] });

const personas = [
  {
    slug: 'fleet',
    name: 'Fleet manager',
    description: 'Buys or leases cars for a company: total cost of ownership, service, tax.',
    priority: 30,
    rule: {
      or: [
        { '==': [{ var: 'traits.customerType' }, 'business'] },
        { '==': [{ var: 'utm.medium' }, 'linkedin'] },
        has('fleet_calculator_used'),
      ],
    },
    sampleContext: {
      visits: 2,
      events: ['fleet_calculator_used'],
      utm: { source: 'linkedin', medium: 'linkedin', campaign: 'fleet-2026' },
      traits: { customerType: 'business', fleetSize: 40 },
      device: 'desktop',
    },
  },
  {
    slug: 'performance',
    name: 'Performance enthusiast',
    description: 'Wants acceleration, handling and the sound of a good drive.',
    priority: 20,
    rule: {
      or: [
        { '==': [{ var: 'utm.campaign' }, 'gt-launch'] },
        has('viewed_performance_models'),
        { '==': [{ var: 'traits.segment' }, 'performance'] },
      ],
    },
    sampleContext: {
      visits: 3,
      events: ['viewed_performance_models'],
      utm: { source: 'youtube', medium: 'video', campaign: 'gt-launch' },
      device: 'mobile',
    },
  },
  {
    slug: 'family',
    name: 'Family buyer',
    description: 'Needs space, safety and a sensible price for everyday family life.',
    priority: 10,
    rule: {
      or: [
        { in: ['family', { var: 'traits.interests' }] },
        { '==': [{ var: 'utm.campaign' }, 'family-suv'] },
        has('configurator_7_seats'),
        // What a returning visitor read most: their profile's top interest.
        { '==': [{ var: 'topInterest' }, 'safety'] },
      ],
    },
    sampleContext: {
      visits: 2,
      events: ['configurator_7_seats'],
      utm: { source: 'newsletter', medium: 'email', campaign: 'family-suv' },
      traits: { interests: ['family', 'camping'] },
      device: 'tablet',
    },
  },
  {
    slug: 'fact-seeker',
    name: 'Fact seeker',
    description: 'Prefers a sober, informative tone: specifications, test results, prices.',
    priority: 0,
    rule: {
      or: [
        has('compared_specs'),
        { '>=': [{ var: 'pageViews' }, 8] },
        { '==': [{ var: 'traits.tone' }, 'factual'] },
      ],
    },
    sampleContext: {
      visits: 4,
      pageViews: 12,
      events: ['compared_specs'],
      referrer: 'https://www.google.com/',
      searchTerm: 'aurora ev range test',
      device: 'desktop',
    },
  },
];

const isCustomer = { '==': [{ var: 'traits.customer' }, true] };

const stages = [
  {
    slug: 'awareness',
    name: 'Awareness',
    order: 1,
    description: 'First contact: the visitor is getting to know the brand.',
    rule: { '<=': [{ var: ['visits', 0] }, 1] },
    sampleContext: { visits: 1, referrer: 'https://www.instagram.com/' },
  },
  {
    slug: 'consideration',
    name: 'Consideration',
    order: 2,
    description: 'Comparing models and options, coming back for more.',
    rule: { or: [{ '>=': [{ var: ['visits', 0] }, 2] }, has('configurator_started')] },
    sampleContext: { visits: 3, events: ['configurator_started'] },
  },
  {
    slug: 'purchase-intent',
    name: 'Purchase intent',
    order: 3,
    description: 'Configured a car, booked a test drive or looked for a dealer.',
    rule: { or: [has('configurator_completed'), has('test_drive_booked'), has('dealer_search')] },
    sampleContext: { visits: 5, events: ['configurator_started', 'configurator_completed'] },
  },
  {
    slug: 'customer',
    name: 'Customer',
    order: 4,
    description: 'Owns a Nordwind: service, accessories, the owner community.',
    rule: isCustomer,
    sampleContext: { visits: 9, traits: { customer: true, yearsAsCustomer: 1 } },
  },
  {
    slug: 'loyalty',
    name: 'Loyalty',
    order: 5,
    description: 'A customer for three years or more: upgrades and loyalty offers.',
    rule: { and: [isCustomer, { '>=': [{ var: ['traits.yearsAsCustomer', 0] }, 3] }] },
    sampleContext: { visits: 20, traits: { customer: true, yearsAsCustomer: 5 } },
  },
];

/** Blocks content (the rich-text format of the `body` field) from plain paragraphs. */
const paragraphs = (...texts) =>
  texts.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] }));

/** `media` names the picture (data/images/<name>.jpg) of each media field, shared by both locales. */
const homepage = {
  media: { hero: 'hero-default' },
  en: {
    headline: 'Cars that fit the life you live',
    subline: 'Electric, hybrid or efficient petrol: find the Nordwind that matches your everyday.',
    ctaLabel: 'Book a test drive',
    ctaUrl: '/test-drive',
  },
  de: {
    headline: 'Autos, die zu Ihrem Leben passen',
    subline:
      'Elektrisch, hybrid oder sparsamer Benziner: Finden Sie den Nordwind, der zu Ihrem Alltag passt.',
    ctaLabel: 'Probefahrt buchen',
    ctaUrl: '/de/probefahrt',
  },
};

const articles = [
  {
    media: { cover: 'aurora-ev' },
    en: {
      title: 'Aurora EV: 540 km of range for real life',
      slug: 'aurora-ev-range',
      summary:
        'Our new electric estate charges from 10 to 80 % in 24 minutes and goes 540 km (WLTP) on one charge.',
      body: paragraphs(
        'The Aurora EV combines an 86 kWh battery with a heat pump that keeps the range stable in winter.',
        'At a 150 kW fast charger it takes 24 minutes from 10 to 80 %: about one coffee break.'
      ),
      ctaLabel: 'Book a test drive',
      ctaUrl: '/test-drive?model=aurora-ev',
    },
    de: {
      title: 'Aurora EV: 540 km Reichweite für den Alltag',
      slug: 'aurora-ev-reichweite',
      summary:
        'Unser neuer Elektro-Kombi lädt in 24 Minuten von 10 auf 80 % und fährt 540 km (WLTP) mit einer Ladung.',
      body: paragraphs(
        'Der Aurora EV kombiniert einen 86-kWh-Akku mit einer Wärmepumpe, die die Reichweite auch im Winter stabil hält.',
        'An einer 150-kW-Schnellladesäule dauert es 24 Minuten von 10 auf 80 %: etwa eine Kaffeepause.'
      ),
      ctaLabel: 'Probefahrt buchen',
      ctaUrl: '/de/probefahrt?modell=aurora-ev',
    },
  },
  {
    media: { cover: 'configurator' },
    en: {
      title: 'Build your Nordwind in five minutes',
      slug: 'configurator-guide',
      summary:
        'Colour, seats, wheels, driver assistance: the configurator shows price and delivery date as you go.',
      body: paragraphs(
        'Start from a model, pick a trim and add only the options you need; every choice updates the monthly rate.',
        'Save your configuration and send it to a dealer of your choice when you are ready.'
      ),
      ctaLabel: 'Open the configurator',
      ctaUrl: '/configurator',
    },
    de: {
      title: 'Ihren Nordwind in fünf Minuten konfigurieren',
      slug: 'konfigurator-anleitung',
      summary:
        'Farbe, Sitze, Felgen, Assistenzsysteme: Der Konfigurator zeigt Preis und Liefertermin sofort an.',
      body: paragraphs(
        'Wählen Sie ein Modell und eine Ausstattungslinie und fügen Sie nur die Optionen hinzu, die Sie brauchen; jede Wahl aktualisiert die Monatsrate.',
        'Speichern Sie Ihre Konfiguration und senden Sie sie an einen Händler Ihrer Wahl, wenn Sie so weit sind.'
      ),
      ctaLabel: 'Konfigurator öffnen',
      ctaUrl: '/de/konfigurator',
    },
  },
  {
    media: { cover: 'fleet' },
    en: {
      title: 'Electrifying your fleet, step by step',
      slug: 'fleet-electrification',
      summary:
        'From the first pool car to a fully electric fleet: costs, charging at the office and company-car tax.',
      body: paragraphs(
        'Most fleets start with pool cars that rarely drive more than 200 km a day: ideal candidates for electric.',
        'Our fleet team calculates total cost of ownership with your real mileage data, free of charge.'
      ),
      ctaLabel: 'Talk to fleet sales',
      ctaUrl: '/fleet/contact',
    },
    de: {
      title: 'Flottenelektrifizierung Schritt für Schritt',
      slug: 'flotten-elektrifizierung',
      summary:
        'Vom ersten Poolfahrzeug zur vollelektrischen Flotte: Kosten, Laden am Firmenstandort und Dienstwagensteuer.',
      body: paragraphs(
        'Die meisten Flotten beginnen mit Poolfahrzeugen, die selten mehr als 200 km am Tag fahren: ideale Kandidaten für den Elektroantrieb.',
        'Unser Flottenteam berechnet die Gesamtkosten mit Ihren echten Fahrleistungen, kostenlos.'
      ),
      ctaLabel: 'Flottenvertrieb kontaktieren',
      ctaUrl: '/de/flotte/kontakt',
    },
  },
  {
    media: { cover: 'safety' },
    en: {
      title: 'Five stars for every seat',
      slug: 'safety-ratings',
      summary:
        'Independent crash tests rate all Nordwind models with five stars, including the third seat row.',
      body: paragraphs(
        'Seven airbags, ISOFIX on four seats and an emergency brake that recognizes cyclists come as standard.',
        'The test reports of every model are available to download.'
      ),
      ctaLabel: 'See the test results',
      ctaUrl: '/safety',
    },
    de: {
      title: 'Fünf Sterne für jeden Sitzplatz',
      slug: 'sicherheitsbewertungen',
      summary:
        'Unabhängige Crashtests bewerten alle Nordwind-Modelle mit fünf Sternen, auch die dritte Sitzreihe.',
      body: paragraphs(
        'Sieben Airbags, ISOFIX auf vier Sitzen und ein Notbremsassistent, der Radfahrer erkennt, sind serienmäßig.',
        'Die Testberichte aller Modelle stehen zum Download bereit.'
      ),
      ctaLabel: 'Testergebnisse ansehen',
      ctaUrl: '/de/sicherheit',
    },
  },
  {
    media: { cover: 'hero-family' },
    en: {
      title: 'Child seats done right',
      slug: 'child-seats',
      summary:
        'Which seat for which age, and how ISOFIX and the airbag switch keep the little ones safe.',
      body: paragraphs(
        'Rear-facing until at least 15 months: every Nordwind has ISOFIX on the outer rear seats and on the front passenger seat.',
        'Our dealers fit your child seat for free and show you how to check it.'
      ),
      ctaLabel: 'Find a dealer',
      ctaUrl: '/dealers',
    },
    de: {
      title: 'Kindersitze richtig einbauen',
      slug: 'kindersitze',
      summary:
        'Welcher Sitz für welches Alter, und wie ISOFIX und der Airbag-Schalter die Kleinsten schützen.',
      body: paragraphs(
        'Rückwärts gerichtet bis mindestens 15 Monate: Jeder Nordwind hat ISOFIX auf den äußeren Rücksitzen und auf dem Beifahrersitz.',
        'Unsere Händler bauen Ihren Kindersitz kostenlos ein und zeigen Ihnen, wie Sie ihn prüfen.'
      ),
      ctaLabel: 'Händler finden',
      ctaUrl: '/de/haendler',
    },
  },
];

/**
 * Interests visitors show by what they read; a score halves with each half-life. The family
 * persona's rule reads `topInterest`: two safety stories (8 points each) pass the threshold of 10.
 */
const interests = [
  {
    slug: 'safety',
    name: 'Safety',
    description: 'Crash tests, assistance systems, child seats.',
    halfLifeDays: 30,
  },
  {
    slug: 'performance',
    name: 'Performance',
    description: 'Acceleration, handling, the GT models.',
    halfLifeDays: 30,
  },
  {
    slug: 'fleet',
    name: 'Fleet',
    description: 'Company cars, leasing, total cost of ownership.',
    halfLifeDays: 60,
  },
  {
    slug: 'sustainability',
    name: 'Sustainability',
    description: 'Electric range, charging, emissions.',
    halfLifeDays: 30,
  },
];

/** What reading each article (by its English slug) adds to the reader's interests. */
const signals = {
  'aurora-ev-range': [
    { interest: 'sustainability', points: 8 },
    { interest: 'performance', points: 3 },
  ],
  'configurator-guide': [{ interest: 'performance', points: 3 }],
  'fleet-electrification': [
    { interest: 'fleet', points: 8 },
    { interest: 'sustainability', points: 4 },
  ],
  'safety-ratings': [{ interest: 'safety', points: 8 }],
  'child-seats': [{ interest: 'safety', points: 8 }],
};

/**
 * Variants: the tone and imagery each visitor group gets. `target` is `homepage` or an article's
 * English slug; `media` names the pictures of overridden media fields; `en`/`de` the texts.
 * The purchase-intent variants have priority 10, so a visitor ready to buy is asked to book a test
 * drive whatever their persona (priority beats specificity); among them the fleet manager's
 * persona+stage variant is the more specific one.
 */
const variants = [
  {
    target: 'homepage',
    name: 'Homepage: family',
    persona: 'family',
    media: { hero: 'safety' },
    en: {
      headline: 'Room for everyone, and for the dog',
      subline:
        'Seven seats, five safety stars and ISOFIX on four seats: family life fits in a Nordwind.',
      ctaLabel: 'Configure a 7-seater',
      ctaUrl: '/configurator?seats=7',
    },
    de: {
      headline: 'Platz für alle, auch für den Hund',
      subline:
        'Sieben Sitze, fünf Sicherheitssterne und ISOFIX auf vier Plätzen: Familienleben passt in einen Nordwind.',
      ctaLabel: 'Siebensitzer konfigurieren',
      ctaUrl: '/de/konfigurator?sitze=7',
    },
  },
  {
    target: 'homepage',
    name: 'Homepage: performance',
    persona: 'performance',
    media: { hero: 'aurora-ev' },
    en: {
      headline: 'Built to be driven',
      subline:
        '0–100 km/h in 3.9 seconds, a chassis tuned on the Nordschleife, and a sound you will feel.',
      ctaLabel: 'Meet the GT models',
      ctaUrl: '/models/gt',
    },
    de: {
      headline: 'Gebaut, um gefahren zu werden',
      subline:
        'In 3,9 Sekunden auf 100, ein auf der Nordschleife abgestimmtes Fahrwerk und ein Klang, den Sie spüren.',
      ctaLabel: 'Die GT-Modelle entdecken',
      ctaUrl: '/de/modelle/gt',
    },
  },
  {
    target: 'homepage',
    name: 'Homepage: fleet manager',
    persona: 'fleet',
    media: { hero: 'fleet' },
    en: {
      headline: 'Lower running costs for your whole fleet',
      subline:
        'Total cost of ownership, company-car tax and service across 400 workshops, calculated for you.',
      ctaLabel: 'Calculate your fleet costs',
      ctaUrl: '/fleet/calculator',
    },
    de: {
      headline: 'Niedrigere Betriebskosten für Ihre ganze Flotte',
      subline:
        'Gesamtkosten, Dienstwagensteuer und Service in 400 Werkstätten: Wir rechnen es Ihnen vor.',
      ctaLabel: 'Flottenkosten berechnen',
      ctaUrl: '/de/flotte/rechner',
    },
  },
  {
    target: 'homepage',
    name: 'Homepage: fact seeker',
    persona: 'fact-seeker',
    media: { hero: 'configurator' },
    en: {
      headline: 'Aurora EV: 540 km WLTP, 10–80 % in 24 minutes, from €42,900',
      subline:
        '86 kWh battery, 150 kW DC charging, 5 stars Euro NCAP. All specifications and test reports in one place.',
      ctaLabel: 'Compare specifications',
      ctaUrl: '/specifications',
    },
    de: {
      headline: 'Aurora EV: 540 km WLTP, 10–80 % in 24 Minuten, ab 42.900 €',
      subline:
        '86-kWh-Akku, 150 kW Gleichstromladen, 5 Sterne Euro NCAP. Alle technischen Daten und Testberichte an einem Ort.',
      ctaLabel: 'Technische Daten vergleichen',
      ctaUrl: '/de/technische-daten',
    },
  },
  {
    target: 'homepage',
    name: 'Homepage: purchase intent',
    stage: 'purchase-intent',
    priority: 10,
    media: {},
    en: {
      headline: 'Book a test drive at a dealer near you',
      subline: 'Your configuration is saved. Pick a date, and your dealer has the car ready.',
      ctaLabel: 'Find a dealer',
      ctaUrl: '/dealers',
    },
    de: {
      headline: 'Buchen Sie eine Probefahrt bei einem Händler in Ihrer Nähe',
      subline:
        'Ihre Konfiguration ist gespeichert. Wählen Sie einen Termin, Ihr Händler hält das Auto bereit.',
      ctaLabel: 'Händler finden',
      ctaUrl: '/de/haendler',
    },
  },
  {
    target: 'homepage',
    name: 'Homepage: fleet manager ready to order',
    persona: 'fleet',
    stage: 'purchase-intent',
    priority: 10,
    media: { hero: 'fleet' },
    en: {
      headline: 'Your fleet offer, ready in 48 hours',
      subline:
        'Tell us your vehicles and mileage; a fleet advisor sends you a binding offer within two working days.',
      ctaLabel: 'Request a fleet offer',
      ctaUrl: '/fleet/offer',
    },
    de: {
      headline: 'Ihr Flottenangebot, fertig in 48 Stunden',
      subline:
        'Nennen Sie uns Fahrzeuge und Fahrleistung; Ihr Flottenberater schickt Ihnen binnen zwei Werktagen ein verbindliches Angebot.',
      ctaLabel: 'Flottenangebot anfordern',
      ctaUrl: '/de/flotte/angebot',
    },
  },
  {
    target: 'aurora-ev-range',
    name: 'Aurora EV: fact seeker',
    persona: 'fact-seeker',
    media: { cover: 'configurator' },
    en: {
      summary:
        '86 kWh (net), 540 km WLTP, 150 kW DC peak, 10–80 % in 24 min, heat pump standard, 1,900 kg.',
    },
    de: {
      summary:
        '86 kWh (netto), 540 km WLTP, 150 kW DC-Spitze, 10–80 % in 24 Min., Wärmepumpe serienmäßig, 1.900 kg.',
    },
  },
  {
    target: 'aurora-ev-range',
    name: 'Aurora EV: Austria and Switzerland',
    rule: { in: [{ var: 'geo.country' }, ['AT', 'CH']] },
    media: {},
    en: {
      summary:
        'Charge on 1,200 fast chargers across Austria and Switzerland with one Nordwind card.',
    },
    de: {
      summary:
        'Laden Sie an 1.200 Schnellladern in Österreich und der Schweiz mit einer Nordwind-Karte.',
    },
  },
  {
    // Served only as an experiment arm: `rule: false` keeps it out of ordinary resolution.
    target: 'homepage',
    name: 'Homepage CTA: personal offer',
    rule: false,
    media: {},
    en: { ctaLabel: 'Get your personal offer', ctaUrl: '/offer' },
    de: { ctaLabel: 'Ihr persönliches Angebot', ctaUrl: '/de/angebot' },
  },
];

/**
 * A running A/B test on the homepage CTA for first-time visitors who did not say who they are:
 * "Book a test drive" (the base entry) against "Get your personal offer". `simulation` describes
 * the exposures and conversions the seed records so that the results page shows a real picture.
 */
const experiments = [
  {
    name: 'Homepage CTA: test drive or personal offer',
    key: 'homepage-cta',
    target: 'homepage',
    locale: 'en',
    goal: 'cta_click',
    // First-time visitors we know nothing about: no persona named, no interest learned yet.
    audience: {
      and: [
        { '<=': [{ var: 'visits' }, 1] },
        { '!': { var: 'persona' } },
        { '!': { var: 'topInterest' } },
      ],
    },
    arms: [
      { key: 'control', variant: null, weight: 1 },
      { key: 'personal-offer', variant: 'Homepage CTA: personal offer', weight: 1 },
    ],
    simulation: {
      days: 14,
      visitors: 4_800,
      conversionRates: { control: 0.041, 'personal-offer': 0.054 },
    },
  },
];

/**
 * The global holdout: 10 % of visitors with a visitor id see base content everywhere, so the
 * impact page compares personalization as a whole against them. `simulation`: the traffic the
 * seed records (visitors over `days`, each classified as one of the personas and stages, or none)
 * and each goal's conversion rate per population, so the impact page shows a real picture.
 */
const holdout = {
  share: 0.1,
  seed: 'nordwind-demo',
  simulation: {
    days: 14,
    visitors: 6_000,
    goals: {
      cta_click: { personalized: 0.062, holdout: 0.048 },
      brochure_download: { personalized: 0.031, holdout: 0.029 },
    },
  },
};

/** The homepage's featured stories, by their English slug (a relation, personalized per story). */
const featured = ['aurora-ev-range', 'child-seats', 'fleet-electrification'];

module.exports = {
  personas,
  stages,
  interests,
  signals,
  homepage,
  articles,
  featured,
  variants,
  experiments,
  holdout,
};
