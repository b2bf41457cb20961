import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveServeSettings } from './serve-settings.js';

const withConfig = (config: unknown, env: Record<string, string> = {}) => {
  const directory = mkdtempSync(join(tmpdir(), 'memgate-edge-settings-'));
  writeFileSync(join(directory, 'memgate.json'), JSON.stringify(config));
  return resolveServeSettings([], { MEMGATE_CONFIG: 'memgate.json', ...env }, directory);
};

describe('the config file edge section', () => {
  it('is read as written', async () => {
    const edge = { allowIps: ['10.0.0.0/8', '2001:db8::/32'], trustedProxies: ['10.0.0.2'], rateLimit: { rpm: 600, burst: 60 }, authFailuresPerMinute: 5 };
    expect((await withConfig({ edge })).edge).toEqual(edge);
  });

  it.each([
    [{ allowIps: ['10.0.0.0/8', '10.0.0.0/99'] }, /edge\.allowIps\[1\]: expected a CIDR range or an address, got "10\.0\.0\.0\/99"/],
    [{ trustedProxies: ['proxy.internal'] }, /edge\.trustedProxies\[0\]/],
    [{ rateLimit: { rpm: 0 } }, /edge\.rateLimit\.rpm: rpm must be at least 1/],
    [{ rateLimit: { rpm: 60, burst: 1.5 } }, /edge\.rateLimit\.burst/],
    [{ rateLimit: { rpm: 60, bursts: 6 } }, /edge\.rateLimit/],
    [{ authFailuresPerMinute: -1 }, /edge\.authFailuresPerMinute/],
    [{ rateLimitStore: 'memcached' }, /edge\.rateLimitStore/],
    [{ rateLimitRedisUrl: 'http://127.0.0.1:6379' }, /edge\.rateLimitRedisUrl: expected redis:\/\/host:port/],
    [{ rateLimitStore: 'redis' }, /edge\.rateLimitRedisUrl \(MEMGATE_RATE_LIMIT_REDIS_URL\): required with edge\.rateLimitStore "redis"/],
    [{ rateLimitStore: 'state', rateLimitRedisUrl: 'redis://127.0.0.1:6379' }, /edge\.rateLimitRedisUrl: a Redis URL with edge\.rateLimitStore "state"/],
  ])('refuses %j naming the field', async (edge, message) => {
    await expect(withConfig({ edge })).rejects.toThrow(message);
  });

  it('selects Redis by its URL, from the file or from MEMGATE_RATE_LIMIT_REDIS_URL, which wins', async () => {
    expect((await withConfig({ edge: { rateLimitRedisUrl: 'redis://cache:6379' } })).edge).toEqual({ rateLimitStore: 'redis', rateLimitRedisUrl: 'redis://cache:6379' });
    expect((await withConfig({ edge: { rateLimit: { rpm: 60 }, rateLimitStore: 'state' } }, { MEMGATE_RATE_LIMIT_REDIS_URL: 'rediss://user:secret@cache:6380/2' })).edge).toEqual({
      rateLimit: { rpm: 60 },
      rateLimitStore: 'redis',
      rateLimitRedisUrl: 'rediss://user:secret@cache:6380/2',
    });
    expect((await withConfig({}, { MEMGATE_RATE_LIMIT_REDIS_URL: 'redis://cache' })).edge).toEqual({ rateLimitStore: 'redis', rateLimitRedisUrl: 'redis://cache' });
    await expect(withConfig({}, { MEMGATE_RATE_LIMIT_REDIS_URL: 'cache:6379' })).rejects.toThrow(/MEMGATE_RATE_LIMIT_REDIS_URL: expected redis:\/\/host:port/);
  });
});
