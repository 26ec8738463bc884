import { personalizeHeaders, personalizeUrl } from '../../client/src/graphql';

// The client's GraphQL helpers: what they send is what the server reads (the API test sends them
// to a real /graphql too).

describe('personalizeHeaders', () => {
  it('is empty without a context and the JSON otherwise, percent-encoded beyond ASCII', () => {
    expect(personalizeHeaders()).toEqual({});
    expect(personalizeHeaders(null)).toEqual({});
    expect(personalizeHeaders({ persona: 'family' })).toEqual({
      'X-Personalize-Context': '{"persona":"family"}',
    });
    const german = { traits: { city: 'Köln' } };
    const header = personalizeHeaders(german)['X-Personalize-Context'];
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(JSON.parse(decodeURIComponent(header))).toEqual(german);
  });
});

describe('personalizeUrl', () => {
  const context = { persona: 'family' };
  const encoded = encodeURIComponent(JSON.stringify(context));

  it('adds the context (and track=false) to the query, keeping what the URL had', () => {
    expect(personalizeUrl('/graphql')).toBe('/graphql');
    expect(personalizeUrl('/graphql', context)).toBe(`/graphql?context=${encoded}`);
    expect(
      personalizeUrl('https://cms.example/graphql?query=x#top', context, { track: false })
    ).toBe(`https://cms.example/graphql?query=x&context=${encoded}&track=false#top`);
    expect(personalizeUrl('/graphql?', null, { track: false })).toBe('/graphql?track=false');
  });
});
