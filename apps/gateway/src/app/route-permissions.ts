import type { Permission } from '@memgate/security';
import { dashboardAssetNames } from '../routes/dashboard/dashboard-assets.js';

/**
 * What a route needs: a permission, `authenticated` (any valid key), or `public` (no key at all).
 * There is no "anything goes" value: a route left out of {@link routePermissions} is refused.
 */
export type RouteRequirement = Permission | 'authenticated' | 'public';

/** One row of the route → permission table. */
export interface RoutePermission {
  /** HTTP method, upper case; `*` for every method (the 501 catch-alls). */
  readonly method: string;
  /** OpenAPI-style path without the trailing slash: `/v1/memories/{memory_id}`; a final `/*` matches any rest. */
  readonly path: string;
  readonly requirement: RouteRequirement;
  /** The audit action of the route, e.g. `provider.register`; routes that change nothing have none. */
  readonly action?: string;
  /** Management routes (not the data plane): their audit entry is durable before the answer goes out. */
  readonly management?: boolean;
  /** The path parameter naming the provider the route acts on: a key's `provider:*` grant for that provider alone applies. */
  readonly providerParam?: string;
  /** The path parameter naming the resource the route acts on, for the audit entry. */
  readonly resourceParam?: string;
  /** The audit entry's resource type. */
  readonly resourceType?: string;
}

const memory = (method: string, path: string, requirement: RouteRequirement, action?: string): RoutePermission => ({
  method,
  path,
  requirement,
  resourceType: 'memory',
  ...(action ? { action } : {}),
  ...(path.includes('{memory_id}') ? { resourceParam: 'memory_id' } : {}),
});

const management = (method: string, path: string, requirement: Permission, action?: string, extra: Partial<RoutePermission> = {}): RoutePermission => ({
  method,
  path,
  requirement,
  management: true,
  ...(action ? { action } : {}),
  ...(path.includes('{name}') ? { providerParam: 'name', resourceParam: 'name', resourceType: 'provider' } : {}),
  ...extra,
});

const failoverTrigger = management('POST', '/providers/failover/trigger', 'provider:activate', 'failover.trigger', { resourceType: 'pool' });
const failoverStrategy = management('PUT', '/providers/failover/strategy', 'provider:configure', 'failover.strategy', { resourceType: 'pool' });

/** A dashboard action: the REST admin route's row (permission, audit action, resource) at the dashboard's path. */
const dashboardAction = (path: string, rest: RoutePermission): RoutePermission => ({ ...rest, method: 'POST', path });

/**
 * The dashboard's routes. Its pages are read with `provider:view_metrics`, like the JSON they show
 * (`/providers/health`, `/providers/failover/history`), tenant-bound keys included: provider health
 * holds no tenant's data. Signing in is an authenticated request (the form's key is presented to
 * `authenticate`), so it needs that permission too; a refused sign-in is audited like any refusal.
 */
const dashboard: readonly RoutePermission[] = [
  { method: 'GET', path: '/dashboard/login', requirement: 'public' },
  ...dashboardAssetNames.map((name): RoutePermission => ({ method: 'GET', path: `/dashboard/assets/${name}`, requirement: 'public' })),
  management('POST', '/dashboard/session', 'provider:view_metrics', 'dashboard.sign_in', { resourceType: 'dashboard_session' }),
  { method: 'POST', path: '/dashboard/logout', requirement: 'authenticated', action: 'dashboard.sign_out', resourceType: 'dashboard_session' },
  management('GET', '/dashboard', 'provider:view_metrics'),
  management('GET', '/dashboard/events', 'provider:view_metrics'),
  management('GET', '/dashboard/trends', 'provider:view_metrics'),
  dashboardAction('/dashboard/actions/trigger', failoverTrigger),
  dashboardAction('/dashboard/actions/strategy', failoverStrategy),
];

/** mem0 Platform routes memgate answers with 501; they still need a key that may read memories. */
const unsupported = ['/v1/exports', '/v1/feedback', '/v1/summary', '/v1/events', '/v1/stats', '/v1/entities/filters', '/v1/users', '/v1/agents', '/v1/apps', '/v1/runs', '/v2/profiles', '/api/v1'];

/**
 * Every route of the gateway and what it needs. The authorization middleware reads only this table,
 * and a test walks the OpenAPI document and the app's routes to prove every one is here: a route
 * added without a row is refused (404 to a caller), never open.
 */
export const routePermissions: readonly RoutePermission[] = [
  { method: 'GET', path: '/healthz', requirement: 'public' },
  { method: 'GET', path: '/readyz', requirement: 'public' },
  { method: 'GET', path: '/openapi.json', requirement: 'public' },
  { method: 'GET', path: '/docs', requirement: 'public' },
  { method: 'GET', path: '/docs/assets/standalone.js', requirement: 'public' },
  { method: 'GET', path: '/v1/ping', requirement: 'authenticated' },

  memory('POST', '/v3/memories/add', 'memory:write', 'memory.add'),
  memory('POST', '/v1/memories', 'memory:write', 'memory.add'),
  memory('POST', '/v3/memories/search', 'memory:read'),
  memory('POST', '/v2/memories/search', 'memory:read'),
  memory('POST', '/v1/memories/search', 'memory:read'),
  memory('POST', '/v3/memories', 'memory:read'),
  memory('POST', '/v2/memories', 'memory:read'),
  memory('GET', '/v1/memories', 'memory:read'),
  memory('DELETE', '/v1/memories', 'memory:delete', 'memory.delete_all'),
  memory('GET', '/v1/memories/{memory_id}', 'memory:read'),
  memory('PUT', '/v1/memories/{memory_id}', 'memory:write', 'memory.update'),
  memory('DELETE', '/v1/memories/{memory_id}', 'memory:delete', 'memory.delete'),
  memory('GET', '/v1/memories/{memory_id}/history', 'memory:read'),
  memory('PUT', '/v1/batch', 'memory:write', 'memory.batch_update'),
  memory('DELETE', '/v1/batch', 'memory:delete', 'memory.batch_delete'),
  memory('GET', '/v1/entities', 'memory:read'),
  memory('DELETE', '/v1/entities/{entity_type}/{entity_id}', 'memory:delete', 'memory.delete_entity'),
  memory('DELETE', '/v2/entities/{entity_type}/{entity_id}', 'memory:delete', 'memory.delete_entity'),
  memory('GET', '/v1/event/{event_id}', 'memory:read'),
  ...unsupported.flatMap((path) => [memory('*', path, 'memory:read'), memory('*', `${path}/*`, 'memory:read')]),
  memory('*', '/v2/entities/{entity_type}/{entity_id}/*', 'memory:read'),
  memory('GET', '/v2/entities/{entity_type}/{entity_id}', 'memory:read'),
  memory('POST', '/v2/entities/{entity_type}/{entity_id}', 'memory:read'),
  memory('PUT', '/v2/entities/{entity_type}/{entity_id}', 'memory:read'),
  memory('PATCH', '/v2/entities/{entity_type}/{entity_id}', 'memory:read'),

  { method: 'GET', path: '/metrics', requirement: 'provider:view_metrics' },
  management('GET', '/providers/health', 'provider:view_metrics'),
  management('GET', '/providers/{name}/health', 'provider:view_metrics'),
  management('GET', '/providers/{name}/metrics', 'provider:view_metrics'),
  management('GET', '/providers/{name}/trends', 'provider:view_metrics'),
  management('GET', '/providers/failover/history', 'provider:view_metrics'),
  management('GET', '/providers/failover/statistics', 'provider:view_metrics'),
  failoverTrigger,
  failoverStrategy,
  management('GET', '/providers', 'provider:view_metrics'),
  management('POST', '/providers/register', 'provider:register', 'provider.register', { resourceType: 'provider' }),
  management('GET', '/providers/{name}', 'provider:view_metrics'),
  management('PATCH', '/providers/{name}', 'provider:configure', 'provider.configure'),
  management('DELETE', '/providers/{name}', 'provider:delete', 'provider.delete'),
  management('POST', '/providers/{name}/activate', 'provider:activate', 'provider.activate'),
  management('POST', '/providers/{name}/deactivate', 'provider:activate', 'provider.deactivate'),
  management('POST', '/providers/{name}/api-keys', 'provider:manage_keys', 'key.create'),
  management('GET', '/providers/{name}/api-keys', 'provider:manage_keys'),
  management('DELETE', '/providers/{name}/api-keys/{key_id}', 'provider:manage_keys', 'key.revoke'),
  management('GET', '/providers/security/audit', 'audit:read'),

  management('POST', '/keys', 'provider:manage_keys', 'key.create', { resourceType: 'api_key' }),
  management('GET', '/keys', 'provider:manage_keys'),
  management('GET', '/keys/{key_id}', 'provider:manage_keys'),
  management('POST', '/keys/{key_id}/rotate', 'provider:manage_keys', 'key.rotate', { resourceType: 'api_key', resourceParam: 'key_id' }),
  management('DELETE', '/keys/{key_id}', 'provider:manage_keys', 'key.revoke', { resourceType: 'api_key', resourceParam: 'key_id' }),

  ...dashboard,
];
