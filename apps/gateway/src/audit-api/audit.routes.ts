import { createRoute, z } from '@hono/zod-openapi';
import { keyed } from '../mem0/mem0-schemas.js';
import { managementErrors } from '../providers-api/providers.schemas.js';

const instant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time' });

/** The filters of `GET /providers/security/audit`. */
export const auditQuerySchema = z.strictObject({
  actor: z.string().min(1).max(255).optional().openapi({ description: 'Principal id (a key id, `admin`, `anonymous`).' }),
  action: z.string().min(1).max(128).optional().openapi({ description: 'e.g. `provider.register`, `key.revoke`, `auth.failure`.' }),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  provider: z.string().min(1).max(63).optional().openapi({ description: 'Entries about this provider.' }),
  since: instant.optional().openapi({ description: 'Entries at or after this instant.' }),
  until: instant.optional().openapi({ description: 'Entries before this instant.' }),
  cursor: z.string().regex(/^\d{1,15}$/, 'expected the next_cursor of a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Entries per page, default 100.' }),
});

/** One audit entry as the API shows it. */
export const auditEntryViewSchema = z
  .object({
    seq: z.int(),
    ts: z.string(),
    action: z.string(),
    actor: z.string(),
    outcome: z.enum(['success', 'failure', 'denied']),
    status: z.int().nullable(),
    auth_method: z.string().nullable(),
    actor_ip: z.string().nullable(),
    resource_type: z.string().nullable(),
    resource_id: z.string().nullable(),
    tenant: z.string().nullable(),
    request_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    prev_hash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEntry');

/** `GET /providers/security/audit`. */
export const listAuditRoute = createRoute({
  method: 'get',
  path: '/providers/security/audit',
  tags: ['security'],
  summary: 'The hash-chained audit log, oldest first, filtered and paged by cursor',
  security: keyed,
  request: { query: auditQuerySchema },
  responses: {
    200: { description: 'A page of entries; `next_cursor` is null on the last page', content: { 'application/json': { schema: z.object({ entries: z.array(auditEntryViewSchema), next_cursor: z.string().nullable() }) } } },
    400: managementErrors[400],
    401: managementErrors[401],
    403: { description: 'The key lacks audit:read', content: { 'application/json': { schema: z.object({ detail: z.string() }) } } },
  },
});
