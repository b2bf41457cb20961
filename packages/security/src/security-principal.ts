import type { KeyQuota } from './quota/key-quota.js';
import type { KeyRateLimit } from './rate-limit/key-rate-limit.js';
import type { MemoryPrincipal } from '@memgate/core';
import type { TenantScope } from './scope/tenant-scope.js';

/** How a principal proved who it is. */
export type AuthMethod = 'api_key' | 'mtls';

/**
 * An authenticated caller as the security package sees it. It extends core's `MemoryPrincipal`
 * (so it travels in provider call options unchanged) with optional fields: a plain
 * `MemoryPrincipal` is a valid `SecurityPrincipal` with no roles, no scope and no proven method.
 */
export interface SecurityPrincipal extends MemoryPrincipal {
  /** Effective permissions after role expansion, e.g. `memory:read`; `*` means every permission. */
  readonly permissions?: readonly string[];
  /** Role names the permissions came from (informative, for audit). */
  readonly roles?: readonly string[];
  /** Tenant ids the principal is bound to; absent means not bound (sees every tenant). */
  readonly scope?: TenantScope;
  /** The factors this request proved; several with mTLS + key ("hybrid"). */
  readonly authMethods?: readonly AuthMethod[];
  /** The API key's id when a key was used (never the key itself). */
  readonly keyId?: string;
  /** The key's display prefix, e.g. `mg_live_4fQz`, for logs. */
  readonly keyPrefix?: string;
  /** The certificate identity's id when the request also presented a verified client certificate. */
  readonly certificateId?: string;
  /** For a client-certificate principal: the API key ids that belong to it too (see `CertificateIdentity.apiKeyIds`). */
  readonly apiKeyIds?: readonly string[];
  /** CIDRs this principal may call from (per-key allow-list); absent means no per-key limit. */
  readonly allowedIps?: readonly string[];
  /** The key's own rate limit; absent for the gateway's default. */
  readonly rateLimit?: KeyRateLimit;
  /** The key's quotas on what it writes (see `keyQuotaMiddleware`); absent for none. */
  readonly quota?: KeyQuota;
}
