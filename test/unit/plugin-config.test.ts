import config from '../../server/src/config';

describe('plugin config', () => {
  it('accepts the defaults', () => {
    expect(() => config.validator(config.default)).not.toThrow();
  });

  it('refuses an unknown option with its name', () => {
    expect(() => config.validator({ exposureOnDelivry: false })).toThrow(/exposureOnDelivry/);
  });
});
