import { z } from '@hono/zod-openapi';
import { redactSecrets, securityLevels, type ProviderRecord } from '@memgate/registry';

/** A provider as the management API shows it; secrets are references or masked, never in full. */
export const providerViewSchema = z
  .object({
    name: z.string(),
    provider_type: z.string(),
    state: z.enum(['active', 'inactive']),
    /** What the provider demands of a caller (public, api_key, rbac, mtls, hybrid); management calls on it and data-plane calls it may serve must satisfy it. */
    security_level: z.enum(securityLevels),
    source: z.enum(['config', 'api', 'discovered']),
    reason: z.string().nullable(),
    version: z.int(),
    created_at: z.string(),
    updated_at: z.string(),
    /** Whether this gateway process holds an open instance. */
    connected: z.boolean(),
    /** The config entry with `${ENV_VAR}` references kept and literal secrets masked. */
    config: z.record(z.string(), z.unknown()),
  })
  .openapi('Provider');

/** One problem of an invalid entry. */
export const configProblemSchema = z.object({ path: z.string(), message: z.string() }).openapi('ConfigProblem');

/** A refused management call: the reason, the first field at fault, and every problem when the body was invalid. */
export const managementErrorSchema = z
  .object({ error: z.string(), field: z.string().nullable().optional(), problems: z.array(configProblemSchema).optional() })
  .openapi('ManagementError');

/** `?force=true` skips the probe. */
export const forceQuerySchema = z.object({
  force: z.enum(['true', 'false']).optional().openapi({ description: 'Skip the probe (register or activate a provider that is down now).' }),
});

/** `{name}` in the path. */
export const nameParamsSchema = z.object({ name: z.string().min(1).openapi({ param: { name: 'name', in: 'path' } }) });

/** The view of a record, as {@link providerViewSchema}. */
export function toProviderView(record: ProviderRecord, connected: boolean): z.infer<typeof providerViewSchema> {
  return {
    name: record.name,
    provider_type: record.config.provider_type,
    state: record.state,
    security_level: record.config.security_level,
    source: record.source,
    reason: record.reason ?? null,
    version: record.version,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    connected,
    config: redactSecrets(record.config) as Record<string, unknown>,
  };
}

const error = (description: string) => ({ description, content: { 'application/json': { schema: managementErrorSchema } } });

/** The refusals every management route may answer with. */
export const managementErrors = {
  400: error('Invalid request; `problems` lists every invalid field by path'),
  401: error('Missing or invalid API key'),
  404: error('No such provider'),
  409: error('The transition is not allowed now (already active, still active, undelivered writes, name taken); `error` says why'),
  422: error('The provider failed its probe; retry with `?force=true` to skip it'),
} as const;
