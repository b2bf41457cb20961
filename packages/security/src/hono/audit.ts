/**
 * @module audit
 * Records each request to the hash-chained audit log after it is answered: who (principal or
 * `anonymous`), from where, what (`METHOD /path` unless `action` says otherwise), and the outcome
 * (`success` < 400, `denied` for 401/403/429, `failure` otherwise). The log writes off the request
 * path; a full queue makes the request wait (backpressure) rather than lose the entry. Put it first
 * so that it also sees requests refused by later security middleware.
 * @example app.use('*', audit({ log, action: (c) => (c.req.method === 'GET' ? undefined : `${c.req.method} ${c.req.routePath}`) }))
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AuditLog } from '../audit/create-audit-log.js';
import './context-variable-map.js';

/** Options of {@link audit}. */
export interface AuditOptions {
  log: AuditLog;
  /**
   * The action name of a request, or `undefined` to not record it. Default: every request that
   * changes something (not GET/HEAD/OPTIONS) and every refused one (401, 403, 429), as `METHOD path`.
   */
  action?: (c: Context) => string | undefined;
  /** The resource a request touches, e.g. `{ type: 'provider', id: c.req.param('name') }`. */
  resource?: (c: Context) => { type: string; id?: string } | undefined;
}

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);
const defaultAction = (c: Context): string | undefined =>
  !readOnly.has(c.req.method) || [401, 403, 429].includes(c.res.status) ? `${c.req.method} ${c.req.path}` : undefined;

/** Builds the audit middleware. */
export const audit = ({ log, action = defaultAction, resource }: AuditOptions): MiddlewareHandler =>
  async function audit(c, next) {
    await next();
    const name = action(c);
    if (name === undefined) return;
    const principal = c.get('principal');
    const status = c.res.status;
    const target = resource?.(c);
    const clientIp = c.get('clientIp');
    const requestId = c.res.headers.get('x-request-id') ?? c.req.header('x-request-id');
    const authMethod = principal?.authMethods?.join('+');
    await log.record({
      action: name,
      actor: principal?.id ?? 'anonymous',
      outcome: status < 400 ? 'success' : [401, 403, 429].includes(status) ? 'denied' : 'failure',
      status,
      ...(authMethod ? { authMethod } : {}),
      ...(clientIp ? { actorIp: clientIp } : {}),
      ...(target ? { resourceType: target.type, ...(target.id ? { resourceId: target.id } : {}) } : {}),
      ...(requestId ? { requestId } : {}),
      ...(principal?.keyPrefix ? { details: { keyPrefix: principal.keyPrefix } } : {}),
    });
  };
