import { parseIpAddress } from './parse-ip-address.js';

/**
 * The part of a client address that rate limits count by: an IPv4 address whole, an IPv6 address by
 * its /64 (one subscriber usually holds a whole /64 and can pick any address in it, so counting per
 * /128 would give them 2^64 buckets).
 * @returns `2001:db8:1:2::/64` for `2001:db8:1:2:aaaa::1`, the address itself for IPv4, or `unknown`
 */
export function rateLimitAddress(address: string | undefined): string {
  const parsed = address === undefined ? null : parseIpAddress(address);
  if (!parsed) return 'unknown';
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as import('ipaddr.js').IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
}
