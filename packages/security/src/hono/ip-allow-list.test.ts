import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ipAllowList } from './ip-allow-list.js';

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('ipAllowList', () => {
  const app = new Hono();
  app.use('*', ipAllowList({ allow: ['192.0.2.0/24', '2001:db8::/32'], trustedProxies: ['10.0.0.0/8'] }));
  app.get('/', (c) => c.json({ clientIp: c.var.clientIp }));

  it('admits an allowed IPv4 or IPv6 peer and exposes it as c.var.clientIp', async () => {
    expect(await (await app.request('/', {}, from('192.0.2.10'))).json()).toEqual({ clientIp: '192.0.2.10' });
    expect((await app.request('/', {}, from('2001:db8::7'))).status).toBe(200);
    expect((await app.request('/', {}, from('::ffff:192.0.2.10'))).status).toBe(200);
  });

  it('refuses other peers with 403 and a detail body', async () => {
    const response = await app.request('/', {}, from('203.0.113.1'));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'Requests from this address are not allowed.' });
  });

  it('believes X-Forwarded-For only from a trusted proxy, right-most untrusted hop', async () => {
    const forged = { headers: { 'x-forwarded-for': '192.0.2.10' } };
    expect((await app.request('/', forged, from('203.0.113.1'))).status).toBe(403);
    expect((await app.request('/', forged, from('10.1.1.1'))).status).toBe(200);
    const spoofedLeft = { headers: { 'x-forwarded-for': '192.0.2.10, 203.0.113.9' } };
    expect((await app.request('/', spoofedLeft, from('10.1.1.1'))).status).toBe(403);
  });

  it('refuses when the client address is unknown (fail closed)', async () => {
    expect((await app.request('/')).status).toBe(403);
  });

  it('rejects a bad entry at build time, naming it', () => {
    expect(() => ipAllowList({ allow: ['10.0.0.0/8', 'x'] })).toThrow(expect.objectContaining({ field: 'allow[1]' }));
    expect(() => ipAllowList({ trustedProxies: ['10.0.0.0/40'] })).toThrow(expect.objectContaining({ field: 'trustedProxies[0]' }));
  });
});
