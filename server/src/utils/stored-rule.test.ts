import { storedRule } from './stored-rule';

describe('storedRule', () => {
  it('reads SQLite booleans (1 and 0) as true and false, and leaves everything else', () => {
    expect(storedRule(1)).toBe(true);
    expect(storedRule(0)).toBe(false);
    expect(storedRule(false)).toBe(false);
    expect(storedRule(undefined)).toBeNull();
    const rule = { '==': [{ var: 'device' }, 'mobile'] };
    expect(storedRule(rule)).toBe(rule);
  });
});
