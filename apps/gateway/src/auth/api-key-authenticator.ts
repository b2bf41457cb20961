import type { MemoryPrincipal } from '@memgate/core';

/**
 * Decides who a presented API key belongs to. The gateway's key check depends only on this,
 * so `@memgate/security` can replace the admin-key implementation with real keys and roles.
 */
export interface ApiKeyAuthenticator {
  /** The principal the key belongs to, or `null` when the key is not valid. Never throws for a bad key. */
  authenticate(key: string): Promise<MemoryPrincipal | null>;
}
