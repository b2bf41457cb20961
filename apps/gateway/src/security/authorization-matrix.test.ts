import { builtInRoles, generateApiKey, permissionCovers } from '@memgate/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePermissions, type RoutePermission } from '../app/route-permissions.js';
import { securedAdminKey, startSecuredGateway, type SecuredGateway } from '../testing/start-secured-gateway.js';

/**
 * The authorization matrix: every route of the table × every built-in role × a request inside the
 * key's tenant (alice) and one outside it (bob). Each route has one entry below saying how to call it
 * and what an allowed caller gets; what a refused caller gets (403) follows from the table. A route
 * added to the table without an entry here fails the first test.
 */

interface Probe {
  readonly path: string;
  readonly body?: unknown;
  /** The status an allowed caller gets. */
  readonly status: number;
}

interface Fixture {
  /** Memories of alice and bob, made by the admin key. */
  readonly alice: string;
  readonly bob: string;
  /** Makes a fresh memory of `userId` (for deletes). */
  fresh(userId: string): Promise<string>;
  /** An event made by the caller's own key when it may write, else by the admin. */
  ownEvent(key: string, canWrite: boolean): Promise<string>;
  readonly adminEvent: string;
}

type Scope = 'in' | 'out';
type Caller = { readonly key: string; readonly bound: boolean; readonly canWrite: boolean };
type Builder = (scope: Scope, fixture: Fixture, caller: Caller) => Promise<Probe> | Probe;

const tenant = (scope: Scope): string => (scope === 'in' ? 'alice' : 'bob');
const add = (scope: Scope): unknown => ({ messages: [{ role: 'user', content: `matrix note of ${tenant(scope)}` }], user_id: tenant(scope), infer: false });
/** In scope an allowed caller gets `ok`; out of scope a bound one gets `refused`, an unbound one `ok`. */
const scoped = (scope: Scope, caller: Caller, ok: number, refused: number): number => (scope === 'out' && caller.bound ? refused : ok);

const unsupportedProbe: Builder = () => ({ path: '', status: 501 });

/** How to call each route, keyed `METHOD path` as in the table. */
const builders: Record<string, Builder> = {
  'GET /v1/ping': () => ({ path: '/v1/ping/', status: 200 }),
  'POST /v3/memories/add': (scope, _f, caller) => ({ path: '/v3/memories/add/', body: add(scope), status: scoped(scope, caller, 200, 403) }),
  'POST /v1/memories': (scope, _f, caller) => ({ path: '/v1/memories/', body: add(scope), status: scoped(scope, caller, 200, 403) }),
  'POST /v3/memories/search': (scope, _f, caller) => ({ path: '/v3/memories/search/', body: { query: 'matrix', filters: { user_id: tenant(scope) } }, status: scoped(scope, caller, 200, 403) }),
  'POST /v2/memories/search': (scope, _f, caller) => ({ path: '/v2/memories/search/', body: { query: 'matrix', filters: { user_id: tenant(scope) } }, status: scoped(scope, caller, 200, 403) }),
  'POST /v1/memories/search': (scope, _f, caller) => ({ path: '/v1/memories/search/', body: { query: 'matrix', user_id: tenant(scope) }, status: scoped(scope, caller, 200, 403) }),
  'POST /v3/memories': (scope, _f, caller) => ({ path: '/v3/memories/', body: { filters: { user_id: tenant(scope) } }, status: scoped(scope, caller, 200, 403) }),
  'POST /v2/memories': (scope, _f, caller) => ({ path: '/v2/memories/', body: { filters: { user_id: tenant(scope) } }, status: scoped(scope, caller, 200, 403) }),
  'GET /v1/memories': (scope, _f, caller) => ({ path: `/v1/memories/?user_id=${tenant(scope)}`, status: scoped(scope, caller, 200, 403) }),
  // Deletes of everything go to a scratch agent, so the fixture's memories stay.
  'DELETE /v1/memories': (scope, _f, caller) => ({ path: `/v1/memories/?user_id=${tenant(scope)}&agent_id=scratch`, status: scoped(scope, caller, 200, 403) }),
  'GET /v1/memories/{memory_id}': (scope, f, caller) => ({ path: `/v1/memories/${scope === 'in' ? f.alice : f.bob}/`, status: scoped(scope, caller, 200, 404) }),
  'PUT /v1/memories/{memory_id}': (scope, f, caller) => ({ path: `/v1/memories/${scope === 'in' ? f.alice : f.bob}/`, body: { text: `matrix note of ${tenant(scope)}` }, status: scoped(scope, caller, 200, 404) }),
  'DELETE /v1/memories/{memory_id}': async (scope, f, caller) => ({ path: `/v1/memories/${await f.fresh(tenant(scope))}/`, status: scoped(scope, caller, 200, 404) }),
  'GET /v1/memories/{memory_id}/history': (scope, f, caller) => ({ path: `/v1/memories/${scope === 'in' ? f.alice : f.bob}/history/`, status: scoped(scope, caller, 200, 404) }),
  'PUT /v1/batch': (scope, f, caller) => ({ path: '/v1/batch/', body: { memories: [{ memory_id: scope === 'in' ? f.alice : f.bob, text: `matrix note of ${tenant(scope)}` }] }, status: scoped(scope, caller, 200, 404) }),
  'DELETE /v1/batch': async (scope, f, caller) => ({ path: '/v1/batch/', body: { memories: [{ memory_id: await f.fresh(tenant(scope)) }] }, status: scoped(scope, caller, 200, 404) }),
  'GET /v1/entities': () => ({ path: '/v1/entities/', status: 200 }),
  // In scope: the scratch agent's memories (of alice, for a key bound to her); out of scope: a user of bob's that holds nothing.
  'DELETE /v1/entities/{entity_type}/{entity_id}': (scope, _f, caller) => ({ path: scope === 'in' ? '/v1/entities/agent/scratch/' : '/v1/entities/user/bob-scratch/', status: scoped(scope, caller, 200, 403) }),
  'DELETE /v2/entities/{entity_type}/{entity_id}': (scope, _f, caller) => ({ path: scope === 'in' ? '/v2/entities/agent/scratch/' : '/v2/entities/user/bob-scratch/', status: scoped(scope, caller, 200, 403) }),
  'GET /v1/event/{event_id}': async (scope, f, caller) =>
    scope === 'in' ? { path: `/v1/event/${await f.ownEvent(caller.key, caller.canWrite)}/`, status: caller.canWrite || !caller.bound ? 200 : 404 } : { path: `/v1/event/${f.adminEvent}/`, status: caller.key === securedAdminKey ? 200 : 404 },
  'GET /v2/entities/{entity_type}/{entity_id}': () => ({ path: '/v2/entities/user/alice/', status: 501 }),
  'POST /v2/entities/{entity_type}/{entity_id}': () => ({ path: '/v2/entities/user/alice/', body: {}, status: 501 }),
  'PUT /v2/entities/{entity_type}/{entity_id}': () => ({ path: '/v2/entities/user/alice/', body: {}, status: 501 }),
  'PATCH /v2/entities/{entity_type}/{entity_id}': () => ({ path: '/v2/entities/user/alice/', body: {}, status: 501 }),
  '* /v2/entities/{entity_type}/{entity_id}/*': () => ({ path: '/v2/entities/user/alice/extra', status: 501 }),

  'GET /metrics': () => ({ path: '/metrics', status: 200 }),
  'GET /providers/health': () => ({ path: '/providers/health', status: 200 }),
  'GET /providers/{name}/health': () => ({ path: '/providers/mem/health', status: 200 }),
  'GET /providers/{name}/metrics': () => ({ path: '/providers/mem/metrics', status: 200 }),
  'GET /providers/{name}/trends': () => ({ path: '/providers/mem/trends', status: 200 }),
  'GET /providers/failover/history': () => ({ path: '/providers/failover/history', status: 200 }),
  'GET /providers/failover/statistics': () => ({ path: '/providers/failover/statistics', status: 200 }),
  // Management calls that would change the gateway are made invalid or aimed at nothing: an allowed caller gets 400 or 404.
  'POST /providers/failover/trigger': () => ({ path: '/providers/failover/trigger', body: { nonsense: true }, status: 400 }),
  'PUT /providers/failover/strategy': () => ({ path: '/providers/failover/strategy', body: { nonsense: true }, status: 400 }),
  'GET /providers': () => ({ path: '/providers', status: 200 }),
  'POST /providers/register': () => ({ path: '/providers/register', body: { nonsense: true }, status: 400 }),
  'GET /providers/{name}': () => ({ path: '/providers/mem', status: 200 }),
  'PATCH /providers/{name}': () => ({ path: '/providers/absent', body: { priority: 5 }, status: 404 }),
  'DELETE /providers/{name}': () => ({ path: '/providers/absent', status: 404 }),
  'POST /providers/{name}/activate': () => ({ path: '/providers/absent/activate', status: 404 }),
  'POST /providers/{name}/deactivate': () => ({ path: '/providers/absent/deactivate', status: 404 }),
  'POST /providers/{name}/api-keys': () => ({ path: '/providers/absent/api-keys', body: { name: 'matrix' }, status: 404 }),
  'GET /providers/{name}/api-keys': () => ({ path: '/providers/mem/api-keys', status: 200 }),
  'DELETE /providers/{name}/api-keys/{key_id}': () => ({ path: '/providers/mem/api-keys/00000000-0000-4000-8000-000000000000', status: 404 }),
  'GET /providers/security/audit': () => ({ path: '/providers/security/audit?limit=5', status: 200 }),
  'POST /keys': () => ({ path: '/keys', body: { nonsense: true }, status: 400 }),
  'GET /keys': () => ({ path: '/keys', status: 200 }),
  'GET /keys/{key_id}': () => ({ path: '/keys/00000000-0000-4000-8000-000000000000', status: 404 }),
  'POST /keys/{key_id}/rotate': () => ({ path: '/keys/00000000-0000-4000-8000-000000000000/rotate', body: {}, status: 404 }),
  'DELETE /keys/{key_id}': () => ({ path: '/keys/00000000-0000-4000-8000-000000000000', status: 404 }),
  // The dashboard with a key in the header (no session): sign-in and sign-out redirect (fetch follows) to pages that answer 200.
  'POST /dashboard/session': () => ({ path: '/dashboard/session', status: 200 }),
  'POST /dashboard/logout': () => ({ path: '/dashboard/logout', status: 200 }),
  'GET /dashboard': () => ({ path: '/dashboard', status: 200 }),
  'GET /dashboard/events': () => ({ path: '/dashboard/events?max_seconds=0', status: 200 }),
  'GET /dashboard/trends': () => ({ path: '/dashboard/trends', status: 200 }),
  'POST /dashboard/actions/trigger': () => ({ path: '/dashboard/actions/trigger', body: { nonsense: true }, status: 400 }),
  'POST /dashboard/actions/strategy': () => ({ path: '/dashboard/actions/strategy', body: { nonsense: true }, status: 400 }),
};
for (const row of routePermissions) {
  if (row.method === '*' && !(`${row.method} ${row.path}` in builders)) {
    builders[`${row.method} ${row.path}`] = (scope, fixture, caller) => {
      const probe = unsupportedProbe(scope, fixture, caller) as Probe;
      return { ...probe, path: row.path.replace('/*', '/anything') };
    };
  }
}

const keyOf = (row: RoutePermission): string => `${row.method} ${row.path}`;
const requestMethod = (row: RoutePermission): string => (row.method === '*' ? 'GET' : row.method);

let secured: SecuredGateway;
let fixture: Fixture;
/** The callers: the bootstrap key (role admin) and one key per other built-in role, bound to alice. */
const callers: { role: string; key: string; permissions: readonly string[]; bound: boolean }[] = [];

beforeAll(async () => {
  // Hundreds of refused keys from one address: the failed-auth throttle (30 a minute by default, its own
  // test is in @memgate/security) would answer 429 and lock the admin's fixture calls out with them.
  secured = await startSecuredGateway({ edge: { authFailuresPerMinute: 100_000 } });
  const made = async (userId: string): Promise<string> => {
    const response = await secured.call(securedAdminKey, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: `matrix note of ${userId}` }], user_id: userId, infer: false });
    return response.body.results[0].id;
  };
  const adminEvent = (await secured.call(securedAdminKey, 'POST', '/v3/memories/add/', add('out'))).body.event_id as string;
  const events = new Map<string, string>();
  fixture = {
    alice: await made('alice'),
    bob: await made('bob'),
    fresh: made,
    adminEvent,
    async ownEvent(key, canWrite) {
      if (!canWrite) return adminEvent;
      if (!events.has(key)) events.set(key, (await secured.call(key, 'POST', '/v3/memories/add/', add('in'))).body.event_id);
      return events.get(key)!;
    },
  };
  callers.push({ role: 'admin', key: securedAdminKey, permissions: ['*'], bound: false });
  for (const role of builtInRoles.filter((candidate) => candidate.name !== 'admin')) {
    const { key } = await secured.mintKey({ name: `matrix-${role.name}`, roles: [role.name], scope: { user_id: 'alice' } });
    callers.push({ role: role.name, key, permissions: role.permissions, bound: true });
  }
}, 60_000);

afterAll(async () => secured?.close());

describe('the authorization matrix', () => {
  it('has a way to call every route of the table, and the table has a row for every route the app serves', async () => {
    expect(routePermissions.filter((row) => row.requirement !== 'public').map(keyOf).filter((key) => !(key in builders))).toEqual([]);
    const document = (await secured.call(undefined, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\/$/, '')}`));
    const listed = new Set(routePermissions.map(keyOf));
    expect(documented.filter((route) => !listed.has(route))).toEqual([]);
  });

  it('answers the public routes without a key', async () => {
    for (const row of routePermissions.filter((candidate) => candidate.requirement === 'public')) {
      expect((await secured.call(undefined, row.method, row.path)).status, row.path).toBe(200);
    }
  });

  it('answers every route × every built-in role × in and out of the key’s tenant as the table says', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const row of routePermissions.filter((candidate) => candidate.requirement !== 'public')) {
      for (const caller of callers) {
        const allowed = row.requirement === 'authenticated' || caller.permissions.some((granted) => permissionCovers(granted, row.requirement));
        for (const scope of ['in', 'out'] as const) {
          const probe = await builders[keyOf(row)]!(scope, fixture, { key: caller.key, bound: caller.bound, canWrite: caller.permissions.some((granted) => permissionCovers(granted, 'memory:write')) });
          const expected = allowed ? probe.status : 403;
          const response = await secured.call(caller.key, requestMethod(row), probe.path, probe.body);
          checked += 1;
          if (response.status !== expected) failures.push(`${requestMethod(row)} ${probe.path} as ${caller.role} (${scope} scope): expected ${expected}, got ${response.status} ${response.text.slice(0, 160)}`);
        }
      }
    }
    console.info(`authorization matrix: ${checked} requests checked`);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  }, 120_000);

  it('answers 401 on every non-public route without a key, with a malformed, an unknown, a revoked and an expired key', async () => {
    const revoked = await secured.mintKey({ name: 'matrix-revoked', roles: ['editor'] });
    expect((await secured.call(securedAdminKey, 'DELETE', `/keys/${revoked.id}`)).status).toBe(200);
    const expiring = await secured.mintKey({ name: 'matrix-expired', roles: ['editor'], expires_at: new Date(Date.now() + 1500).toISOString() });
    const valid = await secured.mintKey({ name: 'matrix-valid', roles: ['editor'] });
    // One character changed: the checksum no longer matches, so the key is refused before any lookup.
    const malformed = `${valid.key.slice(0, -1)}${valid.key.endsWith('A') ? 'B' : 'A'}`;
    // Well formed, checksum right, never stored.
    const unknown = generateApiKey('live').key;
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const failures: string[] = [];
    for (const row of routePermissions.filter((candidate) => candidate.requirement !== 'public')) {
      const probe = await builders[keyOf(row)]!('in', fixture, { key: securedAdminKey, bound: false, canWrite: false });
      for (const [label, key] of [['no key', undefined], ['malformed', malformed], ['unknown', unknown], ['revoked', revoked.key], ['expired', expiring.key]] as const) {
        const response = await secured.call(key, requestMethod(row), probe.path, probe.body);
        if (response.status !== 401) failures.push(`${requestMethod(row)} ${probe.path} with ${label}: ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
