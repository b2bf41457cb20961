/**
 * @module key-quotas
 * Enforces the caller's key quotas (`memories_per_day`, `stored_memories`) on every add the request
 * makes, whatever the route: the request's memory provider is wrapped in `keyQuotaMiddleware` when
 * the principal has a quota (keys without one cost nothing). A refused add is answered 429 with
 * `Retry-After` and `{"error", "detail", "quota", "limit", "used", "requested"}`, writes nothing, and
 * its audit entry (a refusal) names the quota.
 * @example app.use('*', keyQuotas({ counters: store.quotaCounters }))
 */
import { wrapMemoryProvider } from '@memgate/core';
import { keyQuotaApiNames, keyQuotaMiddleware, QuotaExceededError, type QuotaCounterStore } from '@memgate/security';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app/app-env.js';

/** Options of {@link keyQuotas}. */
export interface KeyQuotasOptions {
  /** The daily counts; the state store's `quotaCounters` shares them between replicas. */
  readonly counters: QuotaCounterStore;
  /** Told when giving back a failed add's reservation fails. */
  readonly onError?: (error: unknown) => void;
}

/** Builds the key quota middleware; place it after `authenticate`. */
export const keyQuotas = ({ counters, onError }: KeyQuotasOptions): MiddlewareHandler<AppEnv> => {
  const quotaMiddleware = keyQuotaMiddleware({ counters, ...(onError ? { onError } : {}) });
  return async function keyQuotas(c, next) {
    if (!c.var.principal?.quota) return next();
    // Outside the tenant scope layer the app put on `memory`, so the stored count is the key's scope's.
    c.set('memory', wrapMemoryProvider(c.var.memory, quotaMiddleware));
    await next();
    const error = c.error;
    if (!QuotaExceededError.isInstance(error)) return;
    const quota = keyQuotaApiNames[error.quota];
    c.set('auditTarget', { ...c.var.auditTarget, details: { ...c.var.auditTarget?.details, quota, limit: error.limit, used: error.used, requested: error.requested } });
    // The app's error handler already answered 429 with Retry-After; this names the quota for machines too.
    const retryAfter = String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)));
    c.res = c.json({ error: error.message, detail: error.message, quota, limit: error.limit, used: error.used, requested: error.requested }, 429, { 'Retry-After': retryAfter });
  };
};
