export type { AuthMethod, SecurityPrincipal } from './security-principal.js';
export { ForbiddenError } from './errors/forbidden-error.js';
export { AuditBacklogFullError } from './errors/audit-backlog-full-error.js';

export { apiKeyEnvironmentPattern, digestsEqual, generateApiKey, hashApiKey, parseApiKey, type GeneratedApiKey, type ParsedApiKey } from './keys/api-key-format.js';
export type { ApiKeyRecord } from './keys/api-key-record.js';
export type { ApiKeyRecordPatch, KeyRevocationListener, KeyStore } from './keys/key-store.js';
export { createInMemoryKeyStore } from './keys/create-in-memory-key-store.js';
export { createKeyManager, type CreateApiKeyInput, type KeyActionContext, type KeyManager, type KeyManagerOptions, type KeyRejection, type KeyVerification, type UpdateApiKeyInput } from './keys/create-key-manager.js';

export { allPermissions, isPermission, permissionCovers, permissions, type Permission } from './rbac/permissions.js';
export { builtInRoles, type Role } from './rbac/built-in-roles.js';
export { createRoleRegistry, type RoleRegistry } from './rbac/create-role-registry.js';
export { checkPermission, hasPermission } from './rbac/check-permission.js';
export { hasPermissionFor, providerGrant, providerGrantSeparator } from './rbac/has-permission-for.js';
export { assertCanGrant, type Grant } from './rbac/assert-can-grant.js';

export { isBoundScope, isPrefixBinding, scopeValueMatches, tenantPrefixMark, tenantScopeFields, tenantScopeSchema, type TenantScope } from './scope/tenant-scope.js';
export { enforceScope, isInScope } from './scope/enforce-scope.js';
export { tenantScopeMiddleware, type OutOfScopeEvent, type TenantScopeMiddlewareOptions } from './scope/tenant-scope-middleware.js';

export { parseIpAddress, type IpAddress } from './ip/parse-ip-address.js';
export { createIpAllowList, type IpAllowList } from './ip/create-ip-allow-list.js';
export { resolveClientIp, type ResolveClientIpInput } from './ip/resolve-client-ip.js';
export { checkIpAccess } from './ip/check-ip-access.js';
export { rateLimitAddress } from './ip/rate-limit-address.js';

export { createMtlsServerOptions, type MtlsServerOptions } from './mtls/create-mtls-server-options.js';
export { principalFromCertificate, type CertificateIdentity, type CertificatePrincipalOptions } from './mtls/principal-from-certificate.js';
export { clientCertificateRejection, type ClientCertificateRejection, type ClientCertificateRejectionReason } from './mtls/client-certificate-rejection.js';

export { evaluateSecurityLevel, securityLevels, type SecurityLevel, type SecurityPolicy } from './levels/security-level.js';

export { takeTokens, type TokenBucketResult, type TokenBucketRule, type TokenBucketState } from './rate-limit/token-bucket.js';
export { createInMemoryRateLimitStore, type RateLimitStore } from './rate-limit/rate-limit-store.js';
export { createRateLimiter, type RateLimiter, type RateLimiterOptions } from './rate-limit/create-rate-limiter.js';
export { validateKeyRateLimit, type KeyRateLimit } from './rate-limit/key-rate-limit.js';
export { createLayeredRateLimitStore, type LayeredRateLimitStoreOptions } from './rate-limit/create-layered-rate-limit-store.js';
export { createRedisRateLimitStore, type RedisCommandClient, type RedisRateLimitStoreOptions } from './rate-limit/redis-rate-limit-store.js';
export { redisEvictionPolicyProblem } from './rate-limit/redis-eviction-policy-problem.js';

export { validateKeyQuota, keyQuotaApiNames, type KeyQuota } from './quota/key-quota.js';
export { createInMemoryQuotaCounterStore, msUntilNextUtcDay, utcDay, type QuotaCounterStore, type QuotaReservation } from './quota/quota-counter-store.js';
export { QuotaExceededError, type QuotaExceededErrorOptions } from './quota/quota-exceeded-error.js';
export { keyQuotaMiddleware, type KeyQuotaMiddlewareOptions } from './quota/key-quota-middleware.js';

export { genesisHash, type AuditEntry, type AuditEvent } from './audit/audit-entry.js';
export { canonicalJson } from './audit/canonical-json.js';
export { computeAuditHash } from './audit/compute-audit-hash.js';
export { verifyAuditChain, type AuditChainVerification, type VerifyAuditChainOptions } from './audit/verify-audit-chain.js';
export { redactSecrets } from './audit/redact-secrets.js';
export type { AuditChainHead, AuditStore } from './audit/audit-store.js';
export type { AuditCheckpoint, AuditQuery } from './audit/audit-checkpoint.js';
export { auditKeyId, createAuditCheckpointSigner, verifyAuditCheckpoint, type AuditCheckpointSigner } from './audit/create-audit-checkpoint-signer.js';
export { auditSigningKeyFile, loadAuditSigningKey } from './audit/load-audit-signing-key.js';
export { createInMemoryAuditStore } from './audit/create-in-memory-audit-store.js';
export { createAuditLog, type AuditLog, type AuditLogOptions, type AuditLogStats } from './audit/create-audit-log.js';
