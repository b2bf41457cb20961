import { describe, expect, it } from 'vitest';
import { createIpAllowList } from './create-ip-allow-list.js';
import { resolveClientIp } from './resolve-client-ip.js';

const trustedProxies = createIpAllowList(['10.0.0.0/24', 'fd00::/8']);

describe('resolveClientIp', () => {
  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(resolveClientIp({ remoteAddress: '203.0.113.9', forwardedFor: '10.9.9.9', trustedProxies })).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.1' })).toBe('10.0.0.2');
  });

  it('takes the right-most untrusted hop, so a forged left-most entry is ignored', () => {
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '1.1.1.1, 198.51.100.7, 10.0.0.3', trustedProxies })).toBe('198.51.100.7');
  });

  it('takes the left-most hop when every hop is trusted', () => {
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '10.0.0.5, 10.0.0.3', trustedProxies })).toBe('10.0.0.5');
  });

  it('handles IPv6 proxies and IPv4-mapped peers', () => {
    expect(resolveClientIp({ remoteAddress: 'fd00::1', forwardedFor: '2001:db8::5', trustedProxies })).toBe('2001:db8::5');
    expect(resolveClientIp({ remoteAddress: '::ffff:10.0.0.2', forwardedFor: '198.51.100.7', trustedProxies })).toBe('198.51.100.7');
  });

  it('fails closed (undefined) on an unparseable hop or peer', () => {
    expect(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.7, garbage', trustedProxies })).toBeUndefined();
    expect(resolveClientIp({ remoteAddress: undefined })).toBeUndefined();
  });
});
