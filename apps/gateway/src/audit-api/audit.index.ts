import { OpenAPIHono } from '@hono/zod-openapi';
import type { AuditEntry, AuditStore } from '@memgate/security';
import type { AppEnv } from '../app/app-env.js';
import { managementHook } from '../providers-api/management-hook.js';
import { listAuditRoute } from './audit.routes.js';

const defaultLimit = 100;

/** `GET /providers/security/audit`: filters (actor, action, outcome, provider, since, until) and cursor pagination over the audit store. */
export function createAuditRouter(store: AuditStore): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: managementHook });
  router.openapi(listAuditRoute, async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit ?? defaultLimit;
    // One more than the page: whether another page follows, without a count.
    const entries = await store.query({
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
      ...(query.provider ? { resourceType: 'provider', resourceId: query.provider } : {}),
      ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
      ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
      ...(query.cursor ? { afterSeq: Number(query.cursor) } : {}),
      limit: limit + 1,
    });
    const page = entries.slice(0, limit);
    const next = entries.length > limit ? String(page.at(-1)!.seq) : null;
    return c.json({ entries: page.map(toAuditEntryView), next_cursor: next }, 200);
  });
  return router;
}

function toAuditEntryView(entry: AuditEntry) {
  return {
    seq: entry.seq,
    ts: entry.ts,
    action: entry.action,
    actor: entry.actor,
    outcome: entry.outcome,
    status: entry.status ?? null,
    auth_method: entry.authMethod ?? null,
    actor_ip: entry.actorIp ?? null,
    resource_type: entry.resourceType ?? null,
    resource_id: entry.resourceId ?? null,
    tenant: entry.tenant ?? null,
    request_id: entry.requestId ?? null,
    details: entry.details ?? null,
    prev_hash: entry.prevHash,
    hash: entry.hash,
  };
}
