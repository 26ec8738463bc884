import { addressKey } from './client-address';

describe('addressKey', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped IPv6 ones', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64 network, however it is written', () => {
    const network = '2001:db8:85a3:0::/64';
    expect(addressKey('2001:db8:85a3::8a2e:370:7334')).toBe(network);
    expect(addressKey('2001:0db8:85a3:0000:ffff:ffff:ffff:ffff')).toBe(network);
    expect(addressKey('2001:db8:85a3:0:1::1%eth0')).toBe(network);
    expect(addressKey('2001:db8:85a3:1::1')).not.toBe(network);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    expect(addressKey('')).toBe('');
    expect(addressKey('not an address')).toBe('not an address');
  });
});
