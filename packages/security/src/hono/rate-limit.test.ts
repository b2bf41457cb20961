import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../rate-limit/create-rate-limiter.js';
import { rateLimit } from './rate-limit.js';

describe('rateLimit', () => {
  const build = () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter({ rule: { capacity: 2, refillPerSecond: 0.5 }, now: () => clock.now });
    const app = new Hono();
    app.use('*', async (c, next) => {
      const id = c.req.header('x-test-principal');
      if (id) c.set('principal', { id });
      await next();
    });
    app.use('*', rateLimit({ limiter }));
    app.get('/', (c) => c.text('ok'));
    return { app, clock };
  };

  it('answers 429 with Retry-After in seconds and a detail body once the bucket is empty, and recovers', async () => {
    const { app, clock } = build();
    const headers = { 'x-test-principal': 'key-a' };
    const first = await app.request('/', { headers });
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-limit')).toBe('30');
    expect(first.headers.get('x-ratelimit-reset')).toBe('2');
    expect((await app.request('/', { headers })).status).toBe(200);
    const refused = await app.request('/', { headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset')).toBe('2');
    expect(await refused.json()).toEqual({ detail: 'Rate limit exceeded.' });
    clock.now += 2000;
    expect((await app.request('/', { headers })).status).toBe(200);
  });

  it('keeps separate buckets per principal, and per IP for anonymous callers', async () => {
    const { app } = build();
    for (let index = 0; index < 2; index += 1) await app.request('/', { headers: { 'x-test-principal': 'key-a' } });
    expect((await app.request('/', { headers: { 'x-test-principal': 'key-b' } })).status).toBe(200);
    const anonymous = (ip: string) => app.request('/', {}, { incoming: { socket: { remoteAddress: ip } } });
    await anonymous('192.0.2.1');
    await anonymous('192.0.2.1');
    expect((await anonymous('192.0.2.1')).status).toBe(429);
    expect((await anonymous('192.0.2.2')).status).toBe(200);
  });

  it('counts IPv6 clients by /64: another address in the same /64 shares the bucket', async () => {
    const { app } = build();
    const anonymous = (ip: string) => app.request('/', {}, { incoming: { socket: { remoteAddress: ip } } });
    await anonymous('2001:db8:1:2::1');
    await anonymous('2001:db8:1:2::2');
    expect((await anonymous('2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await anonymous('2001:db8:1:3::1')).status).toBe(200);
  });

  it('applies a per-request rule (a key\'s own limit) instead of the limiter\'s', async () => {
    const limiter = createRateLimiter({ rule: { capacity: 100, refillPerSecond: 100 }, now: () => 0 });
    const app = new Hono();
    app.use('*', rateLimit({ limiter, key: () => 'key:own', rule: () => ({ capacity: 1, refillPerSecond: 10 }) }));
    app.get('/', (c) => c.text('ok'));
    expect((await app.request('/')).headers.get('x-ratelimit-limit')).toBe('600');
    expect((await app.request('/')).status).toBe(429);
  });
});
