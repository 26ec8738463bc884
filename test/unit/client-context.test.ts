/**
 * The client's browser context helpers, with an in-memory Web Storage (the helpers take any
 * `Storage`); test/api/client.api.test.ts sends what they build to the real playground.
 */
import {
  STORAGE_KEY,
  VISIT_TIMEOUT_MS,
  browserContext,
  deviceClass,
  forgetVisitor,
  rememberEvent,
  utmOf,
  type VisitorStorage,
} from '../../client/src';
import { MemoryStorage } from '../helpers/memory-storage';

const LANDING = 'https://www.nordwind.example/?utm_source=newsletter&utm_campaign=family-suv&x=1';
const consented = { personalization: true, analytics: true };
const T0 = Date.UTC(2026, 10, 25, 9);

describe('browserContext', () => {
  it('reads the UTM parameters, an outside referrer and the device class without storage', () => {
    const storage = new MemoryStorage();
    const context = browserContext({
      storage,
      url: LANDING,
      referrer: 'https://www.google.com/',
      width: 390,
    });
    expect(context).toEqual({
      device: 'mobile',
      utm: { source: 'newsletter', campaign: 'family-suv' },
      referrer: 'https://www.google.com/',
    });
    expect(storage.items.size).toBe(0);
  });

  it('ignores a referrer on the same site and omits what the page does not know', () => {
    const context = browserContext({
      storage: null,
      url: 'https://www.nordwind.example/models',
      referrer: 'https://www.nordwind.example/',
    });
    expect(context).toStrictEqual({});
  });

  it('neither reads nor writes storage without a consent answer, and passes the consent on', () => {
    const storage = new MemoryStorage();
    storage.setItem(STORAGE_KEY, JSON.stringify({ visitorId: 'old', visits: 4, events: [] }));
    const context = browserContext({ storage, url: LANDING, consent: { analytics: true } });
    expect(context.visitorId).toBeUndefined();
    expect(context.visits).toBeUndefined();
    expect(context.consent).toEqual({ analytics: true });
    expect(storage.getItem(STORAGE_KEY)).toContain('"old"');
  });

  it('with consent: one visitorId, visits counted after 30 minutes apart, landing kept', () => {
    const storage = new MemoryStorage();
    const first = browserContext({ storage, url: LANDING, consent: consented, now: T0 });
    expect(first.visitorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.visits).toBe(1);

    const samePage = browserContext({
      storage,
      url: 'https://www.nordwind.example/models',
      consent: consented,
      now: T0 + VISIT_TIMEOUT_MS - 1,
    });
    expect(samePage).toMatchObject({ visitorId: first.visitorId, visits: 1 });
    expect(samePage.utm).toEqual({ source: 'newsletter', campaign: 'family-suv' });

    const nextDay = browserContext({
      storage,
      url: 'https://www.nordwind.example/',
      consent: consented,
      now: T0 + 2 * VISIT_TIMEOUT_MS,
    });
    expect(nextDay).toMatchObject({ visitorId: first.visitorId, visits: 2 });
    expect(nextDay.utm).toBeUndefined();
  });

  it('erases what it stored when consent to personalization is withdrawn', () => {
    const storage = new MemoryStorage();
    browserContext({ storage, url: LANDING, consent: consented });
    expect(storage.getItem(STORAGE_KEY)).not.toBeNull();
    const refused = browserContext({
      storage,
      url: LANDING,
      consent: { personalization: false, analytics: false },
    });
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    expect(refused.visitorId).toBeUndefined();
    expect(refused.consent).toEqual({ personalization: false, analytics: false });
  });

  it('merges what the page knows, and survives unreadable or failing storage', () => {
    const broken: VisitorStorage = {
      getItem: () => '{not json',
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const context = browserContext({
      storage: broken,
      url: LANDING,
      consent: consented,
      extra: { persona: 'fleet', locale: 'de' },
    });
    expect(context).toMatchObject({ persona: 'fleet', locale: 'de', visits: 1 });
    expect(typeof context.visitorId).toBe('string');
  });
});

describe('rememberEvent', () => {
  it('keeps journey events with consent only, once each, and browserContext adds them', () => {
    const storage = new MemoryStorage();
    expect(rememberEvent('configurator_completed', { storage })).toBe(false);
    expect(storage.items.size).toBe(0);

    expect(rememberEvent('configurator_started', { storage, consent: consented })).toBe(true);
    expect(rememberEvent('configurator_completed', { storage, consent: consented })).toBe(true);
    expect(rememberEvent('configurator_started', { storage, consent: consented })).toBe(true);
    const context = browserContext({
      storage,
      url: LANDING,
      consent: consented,
      extra: { events: ['page_event'] },
    });
    expect(context.events).toEqual([
      'configurator_completed',
      'configurator_started',
      'page_event',
    ]);
  });

  it('keeps the last 100 events', () => {
    const storage = new MemoryStorage();
    for (let i = 0; i < 120; i += 1) rememberEvent(`event_${i}`, { storage, consent: consented });
    const { events } = browserContext({ storage, url: LANDING, consent: consented });
    expect(events).toHaveLength(100);
    expect(events![0]).toBe('event_20');
  });
});

describe('forgetVisitor, deviceClass, utmOf', () => {
  it('forgets the visitor', () => {
    const storage = new MemoryStorage();
    browserContext({ storage, url: LANDING, consent: consented });
    forgetVisitor(storage);
    expect(storage.items.size).toBe(0);
  });

  it('classes widths as mobile, tablet and desktop', () => {
    expect([320, 767, 768, 1023, 1024, 2560].map(deviceClass)).toEqual([
      'mobile',
      'mobile',
      'tablet',
      'tablet',
      'desktop',
      'desktop',
    ]);
  });

  it('reads every utm_* parameter, also from a relative URL, and cuts long values', () => {
    expect(
      utmOf(`/?utm_source=a&utm_medium=b&utm_campaign=c&utm_term=d&utm_content=${'e'.repeat(300)}`)
    ).toEqual({ source: 'a', medium: 'b', campaign: 'c', term: 'd', content: 'e'.repeat(256) });
    expect(utmOf('/?utm_source=')).toBeUndefined();
  });
});
