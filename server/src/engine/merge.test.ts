import { mergeOverrides } from './merge';

describe('mergeOverrides', () => {
  const base = {
    id: 1,
    documentId: 'abc',
    title: 'Base title',
    cover: { id: 7, url: '/uploads/base.jpg' },
    blocks: [{ __component: 'a.b', text: 'x' }],
  };

  it('replaces overridden attributes wholesale, keeping the rest from the base', () => {
    const merged = mergeOverrides(base, {
      title: 'Family title',
      cover: { id: 9, url: '/uploads/family.jpg' },
    });
    expect(merged).toEqual({
      id: 1,
      documentId: 'abc',
      title: 'Family title',
      cover: { id: 9, url: '/uploads/family.jpg' },
      blocks: [{ __component: 'a.b', text: 'x' }],
    });
    expect(merged.blocks).toBe(base.blocks);
  });

  it('replaces a component wholesale, without merging its fields', () => {
    const merged = mergeOverrides(base, { cover: { id: 9 } });
    expect(merged.cover).toEqual({ id: 9 });
  });

  it('ignores attributes the base does not have (not selected or not populated)', () => {
    const merged = mergeOverrides(base, { body: 'not requested', title: 'T' });
    expect(merged).not.toHaveProperty('body');
    expect(merged.title).toBe('T');
  });

  it('writes null and falsy overrides too', () => {
    expect(mergeOverrides(base, { title: null, id: 0 })).toMatchObject({ title: null, id: 0 });
  });

  it('does not mutate the base and returns an equal copy for no overrides', () => {
    const snapshot = JSON.parse(JSON.stringify(base));
    const merged = mergeOverrides(base, {});
    expect(merged).toEqual(base);
    expect(merged).not.toBe(base);
    mergeOverrides(base, { title: 'changed' });
    expect(base).toEqual(snapshot);
  });

  it('never writes __proto__, constructor or prototype', () => {
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1,"title":"T"}'
    );
    const withKeys = JSON.parse(
      '{"__proto__":"own","constructor":"c","prototype":"p","title":"B"}'
    );
    const merged = mergeOverrides(withKeys, hostile);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value).toBe('own');
    expect(merged.constructor).toBe('c');
    expect(merged.prototype).toBe('p');
    expect(merged.title).toBe('T');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(mergeOverrides(base, hostile)).toEqual({ ...base, title: 'T' });
  });

  it('ignores inherited base properties', () => {
    const inherited = Object.create({ title: 'inherited' }) as Record<string, unknown>;
    inherited.id = 1;
    expect(mergeOverrides(inherited, { title: 'T', toString: 'x' })).toEqual({ id: 1 });
  });
});
