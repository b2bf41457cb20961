import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedAdminKey, startSecuredGateway, type SecuredGateway } from '../../testing/start-secured-gateway.js';

/**
 * The dashboard over a composed gateway (registry, failover pool, state store on PostgreSQL): sign-in,
 * the session cookie, CSRF, permissions and audit. The browser test (dashboard.browser.test.ts)
 * drives the same pages in Chromium over two real PostgreSQL clusters.
 */
let secured: SecuredGateway;

beforeAll(async () => {
  secured = await startSecuredGateway();
}, 60_000);
afterAll(async () => secured?.close());

/** A browser-like request: no redirect following, the page's own Origin on writes. */
async function send(method: string, path: string, options: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${secured.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(method === 'GET' ? {} : { origin: secured.url }),
      ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...options.headers,
    },
    ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
  });
}

async function signIn(key: string): Promise<{ cookie: string; setCookie: string; csrf: string }> {
  const answer = await send('POST', '/dashboard/session', { form: { key } });
  expect(answer.status).toBe(303);
  const setCookie = answer.headers.get('set-cookie')!;
  const cookie = setCookie.split(';')[0]!;
  const page = await (await send('GET', '/dashboard', { cookie })).text();
  const csrf = /x-csrf-token&quot;:&quot;([^&]+)&quot;/.exec(page)?.[1] ?? '';
  return { cookie, setCookie, csrf };
}

async function lastAudit(action: string): Promise<Record<string, unknown> | undefined> {
  const answer = await secured.call(securedAdminKey, 'GET', `/providers/security/audit?limit=50&action=${encodeURIComponent(action)}`);
  return (answer.body.entries as { action: string; seq: number }[]).filter((entry) => entry.action === action).sort((a, b) => b.seq - a.seq)[0];
}

describe('the dashboard', () => {
  it('sends a browser without a session to the sign-in page, and serves the page and htmx without a key', async () => {
    const answer = await send('GET', '/dashboard');
    expect([answer.status, answer.headers.get('location')]).toEqual([303, '/dashboard/login']);
    expect((await send('GET', '/dashboard/login')).status).toBe(200);
    const htmx = await send('GET', '/dashboard/assets/htmx.min.js');
    expect([htmx.status, htmx.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await htmx.text()).toContain('htmx');
    // An API client without a key still gets the API's 401.
    expect((await secured.call(undefined, 'GET', '/dashboard')).status).toBe(401);
  });

  it('signs in with a key: an HttpOnly SameSite=Strict cookie that holds a random id, never the key', async () => {
    const { setCookie, cookie } = await signIn(securedAdminKey);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/dashboard/);
    expect(setCookie).not.toMatch(/Secure/); // plain HTTP here; over TLS the cookie is Secure
    expect(cookie).not.toContain(securedAdminKey);
    expect(cookie.split('=')[1]!.length).toBeGreaterThanOrEqual(43);
    const page = await send('GET', '/dashboard', { cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-provider="mem"');
    expect(html).toContain('sse-connect="/dashboard/events"');
    expect(await lastAudit('dashboard.sign_in')).toMatchObject({ outcome: 'success' });
  });

  it('refuses a wrong key with the sign-in page (401, audited) and a key without provider:view_metrics (403)', async () => {
    const wrong = await send('POST', '/dashboard/session', { form: { key: 'mg_live_not-a-real-key' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That key is not valid');
    const reader = await secured.mintKey({ name: 'dashboard-reader', roles: ['reader'] });
    const refused = await send('POST', '/dashboard/session', { form: { key: reader.key } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('provider:view_metrics');
    expect(refused.headers.get('set-cookie')).toBeNull();
    const denied = await secured.call(securedAdminKey, 'GET', '/providers/security/audit?limit=20');
    expect(JSON.stringify(denied.body)).toContain('"outcome":"denied"');
  });

  it('takes an action only with the session’s CSRF token from the page’s own origin, audited as the REST route is', async () => {
    const { cookie, csrf } = await signIn(securedAdminKey);
    expect(csrf.length).toBeGreaterThan(20);
    const noToken = await send('POST', '/dashboard/actions/strategy', { cookie, form: { strategy: 'health' } });
    expect(noToken.status).toBe(403);
    const crossSite = await send('POST', '/dashboard/actions/strategy', { cookie, form: { strategy: 'health' }, headers: { 'x-csrf-token': csrf, origin: 'http://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(secured.gateway.pool.strategyName).toBe('priority');

    const done = await send('POST', '/dashboard/actions/strategy', { cookie, form: { strategy: 'health' }, headers: { 'x-csrf-token': csrf, 'hx-request': 'true' } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('priority → health');
    expect(secured.gateway.pool.strategyName).toBe('health');
    const refusals = await secured.call(securedAdminKey, 'GET', '/providers/security/audit?limit=50&action=failover.strategy&outcome=denied');
    // The two refused attempts (no token, foreign origin) are audited as refusals of the signed-in key.
    expect(refusals.body.entries.map((entry: { actor: string; status: number }) => [entry.actor, entry.status])).toEqual([['admin', 403], ['admin', 403]]);
    const entry = await lastAudit('failover.strategy');
    expect(entry).toMatchObject({ action: 'failover.strategy', actor: 'admin', outcome: 'success', resource_type: 'pool', details: { route: 'POST /dashboard/actions/strategy' } });

    const invalid = await send('POST', '/dashboard/actions/trigger', { cookie, form: { provider: 'mem', action: 'explode' }, headers: { 'x-csrf-token': csrf } });
    expect(invalid.status).toBe(400);
    const unknown = await send('POST', '/dashboard/actions/trigger', { cookie, form: { provider: 'nobody', action: 'force_out' }, headers: { 'x-csrf-token': csrf } });
    expect(unknown.status).toBe(404);
    await secured.call(securedAdminKey, 'PUT', '/providers/failover/strategy', { strategy: 'priority' });
  });

  it('streams the live panels over server-sent events', async () => {
    const { cookie } = await signIn(securedAdminKey);
    const stream = await send('GET', '/dashboard/events?max_seconds=0', { cookie, headers: { accept: 'text/event-stream' } });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await stream.text();
    expect(text).toContain('event: providers');
    expect(text).toContain('data-provider="mem"');
    expect(text).toContain('event: decisions');
    expect(text).toContain('event: alerts');
  });

  it('signs out: the session no longer works', async () => {
    const { cookie, csrf } = await signIn(securedAdminKey);
    const out = await send('POST', '/dashboard/logout', { cookie, headers: { 'x-csrf-token': csrf, 'hx-request': 'true' } });
    expect([out.status, out.headers.get('hx-redirect')]).toEqual([204, '/dashboard/login']);
    expect((await send('GET', '/dashboard', { cookie })).status).toBe(303);
  });
});
