import { describe, expect, it } from 'vitest';
import { rateLimitAddress } from './rate-limit-address.js';

describe('rateLimitAddress', () => {
  it('groups IPv6 clients by /64, so picking another address in the same /64 gives the same bucket', () => {
    expect(rateLimitAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitAddress('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(rateLimitAddress('2001:db8:1:3::1')).not.toBe(rateLimitAddress('2001:db8:1:2::1'));
  });

  it('keeps IPv4 addresses whole, IPv4-mapped IPv6 included', () => {
    expect(rateLimitAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('puts unknown or unparseable addresses in one bucket', () => {
    expect(rateLimitAddress(undefined)).toBe('unknown');
    expect(rateLimitAddress('not-an-address')).toBe('unknown');
  });
});
