import { parseVisitorContext } from '../../../../server/src/engine';
import { contextOf, formOf, parseTestContext, traitValue, type VisitorForm } from './testVisitor';

const empty: VisitorForm = formOf({});

describe('the test visitor form', () => {
  it('writes what the engine reads: slugs, a number, utm, device, country, events, traits', () => {
    const context = contextOf(
      {
        ...empty,
        persona: 'family',
        stage: 'consideration',
        visits: 3,
        utmSource: 'newsletter',
        utmCampaign: 'eco-week',
        device: 'mobile',
        country: 'de',
        events: ['configurator_completed'],
        traits: [
          { name: 'tier', value: 'gold' },
          { name: 'fleetSize', value: '40' },
          { name: 'vip', value: 'true' },
          { name: ' ', value: 'a row without a name is left out' },
        ],
      },
      {}
    );
    expect(context).toEqual({
      persona: 'family',
      stage: 'consideration',
      visits: 3,
      utm: { source: 'newsletter', campaign: 'eco-week' },
      device: 'mobile',
      geo: { country: 'DE' },
      events: ['configurator_completed'],
      traits: { tier: 'gold', fleetSize: 40, vip: true },
    });
    expect(parseVisitorContext(context).ok).toBe(true);
  });

  it('keeps what the form does not show, and drops what it empties', () => {
    const base = {
      persona: 'family',
      pageViews: 12,
      utm: { source: 'newsletter', term: 'suv' },
      geo: { country: 'DE', city: 'Berlin' },
      traits: { interests: ['family', 'camping'], fleetSize: 40 },
      now: { hour: 9, weekday: 1, date: '2026-03-02' },
    };
    const form = formOf(base);
    expect(form.traits).toEqual([
      { name: 'interests', value: 'family, camping' },
      { name: 'fleetSize', value: '40' },
    ]);
    // Unchanged, the form gives the context back as it was, a list trait still a list.
    expect(contextOf(form, base)).toEqual(base);
    const edited = contextOf(
      {
        ...form,
        persona: '',
        utmSource: '',
        traits: [{ name: 'interests', value: 'family, speed' }],
      },
      base
    );
    expect(edited).toEqual({
      pageViews: 12,
      utm: { term: 'suv' },
      geo: { country: 'DE', city: 'Berlin' },
      traits: { interests: ['family', 'speed'] },
      now: base.now,
    });
    expect(contextOf(empty, { utm: { source: 'x' }, events: ['a'] })).toEqual({});
  });

  it('reads a trait as typed: true/false, a number, or text', () => {
    expect(traitValue('false', undefined)).toBe(false);
    expect(traitValue('-1.5', undefined)).toBe(-1.5);
    expect(traitValue('0042', undefined)).toBe('0042');
    expect(traitValue('1.', undefined)).toBe('1.');
    expect(traitValue('40', '40')).toBe('40');
  });

  it('parses the JSON text, or says why not', () => {
    expect(parseTestContext('')).toEqual({ context: {} });
    expect(parseTestContext('{"visits": 2}')).toEqual({ context: { visits: 2 } });
    expect(parseTestContext('{"visits": ')).toEqual({ error: 'json' });
    expect(parseTestContext('[1]')).toEqual({ error: 'object' });
  });
});
