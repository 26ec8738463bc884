import { isIP } from 'node:net';

/**
 * The key a client address is counted under (its event budget, its stored source): an IPv4
 * address as it is, an IPv4-mapped IPv6 address as that IPv4 address, any other IPv6 address by
 * its /64 network, which one subscriber usually holds whole (rotating addresses within it then
 * changes nothing).
 */
export const addressKey = (ip: string): string => {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split('%')[0];
  if (isIP(address) !== 6) return ip;
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
};
