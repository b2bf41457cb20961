import type { KeyQuota } from '../quota/key-quota.js';
import type { KeyRateLimit } from '../rate-limit/key-rate-limit.js';
import type { TenantScope } from '../scope/tenant-scope.js';

/**
 * A stored API key. It never holds the key itself: only its SHA-256 `hash` and a display `prefix`.
 * Times are epoch milliseconds.
 */
export interface ApiKeyRecord {
  /** Stable id (not secret); the principal id of requests made with the key. */
  readonly id: string;
  /** Hex SHA-256 of the key; unique; the lookup index. */
  readonly hash: string;
  /** Non-secret display prefix, e.g. `mg_live_4fQzA1`. */
  readonly prefix: string;
  /** The environment label inside the key (`live`, `test`...). */
  readonly environment: string;
  /** Human label, e.g. `billing-agent`. */
  readonly name: string;
  /** Role names; permissions are resolved from them at verification time. */
  readonly roles: readonly string[];
  /** Extra permissions granted directly, beside the roles'. */
  readonly permissions: readonly string[];
  /** Tenant binding; absent for an unbound key. */
  readonly scope?: TenantScope;
  /** Per-key IP allow-list (CIDRs); absent for no per-key limit. */
  readonly allowedIps?: readonly string[];
  /** The key's own rate limit; absent for the gateway's default. */
  readonly rateLimit?: KeyRateLimit;
  /** The key's quotas on what it writes; absent for none. */
  readonly quota?: KeyQuota;
  readonly createdAt: number;
  /** After this instant the key is refused; absent for no expiry. Rotation sets it to the end of the grace period. */
  readonly expiresAt?: number;
  /** When the key was revoked; a revoked key is refused at once. */
  readonly revokedAt?: number;
  /** The id of the key that replaced this one by rotation. */
  readonly replacedBy?: string;
}
