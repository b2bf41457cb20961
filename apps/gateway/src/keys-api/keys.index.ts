import { OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '@memgate/core';
import { assertCanGrant, type ApiKeyRecord } from '@memgate/security';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env.js';
import { managementHook } from '../providers-api/management-hook.js';
import { inApiFieldNames } from './api-field-names.js';
import type { GatewaySecurity } from '../security/gateway-security.js';
import { canManageKey } from './key-visibility.js';
import { createKeyRoute, getKeyRoute, listKeysRoute, revokeKeyRoute, rotateKeyRoute } from './keys.routes.js';
import { toKeyQuota, toKeyView, toTenantScope } from './keys.schemas.js';

/**
 * The key lifecycle API: `POST /keys` (the key is in the answer once), `GET /keys`, `GET /keys/{id}`,
 * `POST /keys/{id}/rotate`, `DELETE /keys/{id}`. Nobody grants what they do not hold: a new key's
 * permissions and scope must fit inside the caller's, and a key wider than the caller's reach is
 * answered 404 as if it did not exist. The audit entry names the key's id and display prefix.
 */
export function createKeysRouter(security: GatewaySecurity): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: managementHook });
  const { keys, roles } = security;
  const context = (c: Context<AppEnv>) => ({ actor: c.var.principal?.id ?? 'anonymous', requestId: c.var.requestId });
  const reachable = async (c: Context<AppEnv>, id: string): Promise<ApiKeyRecord> => {
    const record = await keys.get(id);
    if (!record || !canManageKey(c.var.principal, record, roles)) throw new NotFoundError({ message: `API key ${id} not found` });
    return record;
  };
  const audited = (c: Context<AppEnv>, record: ApiKeyRecord) => c.set('auditTarget', { type: 'api_key', id: record.id, details: { prefix: record.prefix, name: record.name, roles: [...record.roles], permissions: [...record.permissions] } });

  router.openapi(createKeyRoute, async (c) => {
    const input = c.req.valid('json');
    const scope = toTenantScope(input.scope);
    const roleNames = input.roles ?? ['reader'];
    assertCanGrant(c.var.principal!, { roles: roleNames, permissions: input.permissions ?? [], ...(scope ? { scope } : {}) }, roles);
    const { key, record } = await keys.create(
      {
        name: input.name,
        roles: roleNames,
        permissions: input.permissions ?? [],
        ...(scope ? { scope } : {}),
        ...(input.allowed_ips ? { allowedIps: input.allowed_ips } : {}),
        ...(input.rate_limit ? { rateLimit: { rpm: input.rate_limit.rpm, burst: input.rate_limit.burst ?? Math.max(1, Math.floor(input.rate_limit.rpm / 10)) } } : {}),
        ...(input.quota ? { quota: toKeyQuota(input.quota) } : {}),
        ...(input.expires_at ? { expiresAt: Date.parse(input.expires_at) } : {}),
      },
      context(c),
    ).catch(inApiFieldNames);
    audited(c, record);
    return c.json({ key, ...toKeyView(record) }, 201);
  });
  router.openapi(listKeysRoute, async (c) => {
    const records = (await keys.list()).filter((record) => canManageKey(c.var.principal, record, roles));
    return c.json({ keys: records.map(toKeyView) }, 200);
  });
  router.openapi(getKeyRoute, async (c) => c.json(toKeyView(await reachable(c, c.req.valid('param').key_id)), 200));
  router.openapi(rotateKeyRoute, async (c) => {
    const { key_id: id } = c.req.valid('param');
    await reachable(c, id);
    // The body is optional: without one, the default grace period applies.
    const graceSeconds = (c.req.valid('json') as { grace_period_seconds?: number } | undefined)?.grace_period_seconds;
    const rotated = await keys.rotate(id, graceSeconds === undefined ? {} : { graceMs: graceSeconds * 1000 }, context(c));
    audited(c, rotated.previous);
    return c.json({ key: rotated.key, ...toKeyView(rotated.record), previous: toKeyView(rotated.previous) }, 201);
  });
  router.openapi(revokeKeyRoute, async (c) => {
    const { key_id: id } = c.req.valid('param');
    await reachable(c, id);
    const revoked = await keys.revoke(id, context(c));
    audited(c, revoked);
    return c.json(toKeyView(revoked), 200);
  });
  return router;
}
