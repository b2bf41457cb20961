import { OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '@memgate/core';
import type { ProviderRegistry } from '@memgate/registry';
import { ForbiddenError, hasPermissionFor, providerGrant, providerGrantSeparator, type ApiKeyRecord } from '@memgate/security';
import type { AppEnv } from '../app/app-env.js';
import { managementHook } from '../providers-api/management-hook.js';
import { inApiFieldNames } from './api-field-names.js';
import type { GatewaySecurity } from '../security/gateway-security.js';
import { createProviderKeyRoute, listProviderKeysRoute, revokeProviderKeyRoute } from './keys.routes.js';
import { toKeyView } from './keys.schemas.js';

/** True when every grant of the key is limited to this provider. */
const isKeyOf = (record: ApiKeyRecord, provider: string): boolean =>
  record.roles.length === 0 && record.permissions.length > 0 && record.permissions.every((permission) => permission.endsWith(`${providerGrantSeparator}${provider}`));

/**
 * SPEC-020's per-provider keys: `POST /providers/{name}/api-keys` makes a key whose `provider:*`
 * permissions hold for that provider alone (grants `provider:configure@<name>`), `GET` lists them,
 * `DELETE …/api-keys/{key_id}` revokes one. The caller must hold each permission it grants, for
 * that provider at least.
 */
export function createProviderKeysRouter({ keys }: GatewaySecurity, registry: ProviderRegistry): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: managementHook });
  router.openapi(createProviderKeyRoute, async (c) => {
    const { name } = c.req.valid('param');
    await registry.get(name); // 404 for an unknown provider
    const input = c.req.valid('json');
    for (const permission of input.permissions) {
      if (!hasPermissionFor(c.var.principal, permission, name)) throw new ForbiddenError({ message: `You cannot grant ${permission}: your key does not hold it for provider '${name}'.` });
    }
    const { key, record } = await keys.create(
      {
        name: input.name,
        roles: [],
        permissions: input.permissions.map((permission) => providerGrant(permission, name)),
        ...(input.allowed_ips ? { allowedIps: input.allowed_ips } : {}),
        ...(input.expires_at ? { expiresAt: Date.parse(input.expires_at) } : {}),
      },
      { actor: c.var.principal?.id ?? 'anonymous', requestId: c.var.requestId },
    ).catch(inApiFieldNames);
    c.set('auditTarget', { type: 'api_key', id: record.id, details: { prefix: record.prefix, name: record.name, provider: name, permissions: [...record.permissions] } });
    return c.json({ key, ...toKeyView(record) }, 201);
  });
  router.openapi(listProviderKeysRoute, async (c) => {
    const { name } = c.req.valid('param');
    await registry.get(name);
    return c.json({ keys: (await keys.list()).filter((record) => isKeyOf(record, name)).map(toKeyView) }, 200);
  });
  router.openapi(revokeProviderKeyRoute, async (c) => {
    const { name, key_id: id } = c.req.valid('param');
    const record = await keys.get(id);
    if (!record || !isKeyOf(record, name)) throw new NotFoundError({ message: `API key ${id} not found for provider '${name}'` });
    const revoked = await keys.revoke(id, { actor: c.var.principal?.id ?? 'anonymous', requestId: c.var.requestId });
    c.set('auditTarget', { type: 'api_key', id, details: { prefix: record.prefix, provider: name } });
    return c.json(toKeyView(revoked), 200);
  });
  return router;
}
