import { z } from '@hono/zod-openapi';
import { isPermission, type ApiKeyRecord, type KeyQuota, type TenantScope } from '@memgate/security';

const tenantId = z.string().min(1).max(255).openapi({ description: 'Exact id, or a prefix ending in `*` (`acme-*`).' });

/** The tenant scope of a key in the API's spelling: `{"app_id": "acme"}`, `{"user_id": "acme-*"}`. */
export const keyScopeSchema = z
  .strictObject({ user_id: tenantId.optional(), agent_id: tenantId.optional(), app_id: tenantId.optional() })
  .openapi('KeyScope');

const permission = z.string().refine(isPermission, { message: 'unknown permission' });
/** A key's own rate limit in the API's spelling; `burst` defaults to a tenth of `rpm` (at least 1). */
export const keyRateLimitSchema = z
  .strictObject({
    rpm: z.int('rpm must be a whole number of requests per minute').min(1, 'rpm must be at least 1').max(6_000_000),
    burst: z.int('burst must be a whole number of requests').min(1, 'burst must be at least 1').max(1_000_000).optional(),
  })
  .openapi('KeyRateLimit');

const quotaCount = (name: string) => z.int(`${name} must be a whole number of memories`).min(1, `${name} must be at least 1`).max(1_000_000_000);
/** A key's quotas in the API's spelling; at least one is set. */
export const keyQuotaSchema = z
  .strictObject({
    memories_per_day: quotaCount('memories_per_day').optional().openapi({ description: 'Memories the key may write per UTC day, counted across replicas.' }),
    stored_memories: quotaCount('stored_memories').optional().openapi({ description: "Memories the key's tenant scope may hold before its adds are refused." }),
  })
  .refine((quota) => quota.memories_per_day !== undefined || quota.stored_memories !== undefined, { message: 'set memories_per_day or stored_memories' })
  .openapi('KeyQuota');

const futureInstant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time' });

/** The body of `POST /keys`. */
export const createKeyBodySchema = z
  .strictObject({
    name: z.string().min(1).max(128),
    roles: z.array(z.string()).max(32).optional(),
    permissions: z.array(permission).max(32).optional(),
    scope: keyScopeSchema.optional(),
    allowed_ips: z.array(z.string()).max(256).optional(),
    rate_limit: keyRateLimitSchema.optional(),
    quota: keyQuotaSchema.optional(),
    expires_at: futureInstant.optional(),
  })
  .openapi('CreateKey');

/** The body of `POST /providers/{name}/api-keys`: `provider:*` permissions, limited to that provider. */
export const createProviderKeyBodySchema = z
  .strictObject({
    name: z.string().min(1).max(128),
    permissions: z
      .array(z.enum(['provider:configure', 'provider:activate', 'provider:delete', 'provider:view_metrics', 'provider:manage_keys', 'provider:admin']))
      .min(1)
      .max(8)
      .default(['provider:view_metrics']),
    allowed_ips: z.array(z.string()).max(256).optional(),
    expires_at: futureInstant.optional(),
  })
  .openapi('CreateProviderKey');

/** The body of `POST /keys/{key_id}/rotate`. */
export const rotateKeyBodySchema = z
  .strictObject({ grace_period_seconds: z.int().min(0).max(30 * 86_400).optional() })
  .openapi('RotateKey');

/** A key's record as the API shows it: never the key itself, never its hash. */
export const keyViewSchema = z
  .object({
    id: z.string(),
    prefix: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
    scope: keyScopeSchema.nullable(),
    allowed_ips: z.array(z.string()).nullable(),
    rate_limit: z.object({ rpm: z.int(), burst: z.int() }).nullable(),
    quota: z.object({ memories_per_day: z.int().nullable(), stored_memories: z.int().nullable() }).nullable(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    replaced_by: z.string().nullable(),
  })
  .openapi('ApiKey');

/** A new key: the secret (shown once) and its record. */
export const createdKeySchema = keyViewSchema.extend({ key: z.string().openapi({ description: 'The key itself. Shown only in this answer.' }) }).openapi('CreatedApiKey');

/** `{key_id}` in the path. */
export const keyIdParamsSchema = z.object({ key_id: z.string().min(1).max(64).openapi({ param: { name: 'key_id', in: 'path' } }) });

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** The API's spelling of a tenant scope as the security package's. */
export function toTenantScope(scope: z.infer<typeof keyScopeSchema> | undefined): TenantScope | undefined {
  if (!scope) return undefined;
  return {
    ...(scope.user_id === undefined ? {} : { userId: scope.user_id }),
    ...(scope.agent_id === undefined ? {} : { agentId: scope.agent_id }),
    ...(scope.app_id === undefined ? {} : { appId: scope.app_id }),
  };
}

/** The API's spelling of a key's quotas as the security package's. */
export function toKeyQuota(quota: z.infer<typeof keyQuotaSchema>): KeyQuota {
  return {
    ...(quota.memories_per_day === undefined ? {} : { memoriesPerDay: quota.memories_per_day }),
    ...(quota.stored_memories === undefined ? {} : { storedMemories: quota.stored_memories }),
  };
}

/** A record as {@link keyViewSchema}. */
export function toKeyView(record: ApiKeyRecord): z.infer<typeof keyViewSchema> {
  const scope = record.scope;
  return {
    id: record.id,
    prefix: record.prefix,
    name: record.name,
    roles: [...record.roles],
    permissions: [...record.permissions],
    scope: scope ? { ...(scope.userId ? { user_id: scope.userId } : {}), ...(scope.agentId ? { agent_id: scope.agentId } : {}), ...(scope.appId ? { app_id: scope.appId } : {}) } : null,
    allowed_ips: record.allowedIps ? [...record.allowedIps] : null,
    rate_limit: record.rateLimit ? { rpm: record.rateLimit.rpm, burst: record.rateLimit.burst } : null,
    quota: record.quota ? { memories_per_day: record.quota.memoriesPerDay ?? null, stored_memories: record.quota.storedMemories ?? null } : null,
    created_at: new Date(record.createdAt).toISOString(),
    expires_at: iso(record.expiresAt),
    revoked_at: iso(record.revokedAt),
    replaced_by: record.replacedBy ?? null,
  };
}
