/**
 * @module audit-trail
 * Records every management call (reads included), every request that changed something and every
 * refused one in the hash-chained audit log: who
 * (key id, or `anonymous`), from where, what (the route's action), the target, the outcome and the
 * status, with the request id. Refusals are 401, 403, 429 and a 404 the tenant scope caused. A
 * management call is answered only once its entry (and the key events it caused) is durable; a
 * data-plane entry is queued and written off the request path. Placed before `authenticate` and
 * `authorizeRoute`, so it sees their refusals.
 * @example app.use('*', auditTrail({ log }))
 */
import { parseApiKey, type AuditEvent, type AuditLog } from '@memgate/security';
import { readApiKey } from '@memgate/security/hono';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/** Options of {@link auditTrail}. */
export interface AuditTrailOptions {
  readonly log: AuditLog;
}

const refusals = new Set([401, 403, 429]);
const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Builds the audit middleware. */
export const auditTrail = ({ log }: AuditTrailOptions): MiddlewareHandler<AppEnv> =>
  async function auditTrail(c, next) {
    await next();
    const status = c.res.status;
    const matched = c.var.route;
    const row = matched?.row;
    const refused = refusals.has(status) || (status === 404 && c.var.outOfScope === true);
    const changing = !readOnly.has(c.req.method) && row?.action !== undefined;
    if (!refused && !changing && row?.management !== true) return;
    const principal = c.var.principal;
    const target = c.var.auditTarget;
    const resourceId = target?.id ?? (row?.resourceParam ? matched?.params[row.resourceParam] : undefined);
    const resourceType = target?.type ?? row?.resourceType;
    const presentedPrefix = principal ? undefined : presentedKeyPrefix(c.req.raw.headers);
    const rejection = c.var.clientCertificateRejection;
    const details = {
      ...(principal?.keyPrefix ? { keyPrefix: principal.keyPrefix } : {}),
      ...(presentedPrefix ? { presentedKeyPrefix: presentedPrefix } : {}),
      // Why a client certificate was refused (untrusted, expired, revoked, missing, ...) and OpenSSL's code.
      ...(rejection ? { certificateRejection: rejection.reason, ...(rejection.code ? { certificateError: rejection.code } : {}) } : {}),
      ...target?.details,
    };
    const event: AuditEvent = {
      action: status === 401 ? 'auth.failure' : (row?.action ?? `${c.req.method} ${row?.path ?? c.req.path}`),
      actor: principal?.id ?? 'anonymous',
      outcome: refused ? 'denied' : status < 400 ? 'success' : 'failure',
      status,
      ...(principal?.authMethods ? { authMethod: principal.authMethods.join('+') } : {}),
      ...(c.var.clientIp ? { actorIp: c.var.clientIp } : {}),
      ...(resourceType ? { resourceType } : {}),
      ...(resourceId ? { resourceId } : {}),
      ...(principal?.scope ? { tenant: Object.entries(principal.scope).map(([field, value]) => `${field}:${value}`).join(',') } : {}),
      ...(c.var.requestId ? { requestId: c.var.requestId } : {}),
      details: { ...details, route: `${c.req.method} ${row?.path ?? c.req.path}` },
    };
    // A management call is answered only once its entry (and every entry queued before it) is written.
    if (row?.management) await log.recordDurable(event);
    else await log.record(event);
  };

/** The display prefix of a presented key that failed, when it is a well-formed memgate key; never the key. */
function presentedKeyPrefix(headers: Headers): string | undefined {
  const presented = readApiKey(headers);
  return presented === undefined ? undefined : parseApiKey(presented)?.prefix;
}
