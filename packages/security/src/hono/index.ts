import './context-variable-map.js';

export { audit, type AuditOptions } from './audit.js';
export { authenticate, type AuthenticateOptions, type KeyAuthenticator } from './authenticate.js';
export { ipAllowList, type IpAllowListOptions } from './ip-allow-list.js';
export { rateLimit, type RateLimitOptions } from './rate-limit.js';
export { readApiKey } from './read-api-key.js';
export { requirePermission } from './require-permission.js';
export { requireSecurityLevel, type RequireSecurityLevelOptions } from './require-security-level.js';
export { respondToSecurityError, securityErrorResponse } from './security-error-response.js';
export { verifyClientCertificate, type VerifyClientCertificateOptions } from './verify-client-certificate.js';
