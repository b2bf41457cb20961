import { timingSafeEqual } from 'node:crypto';
import type { MemoryPrincipal } from '@memgate/core';
import type { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { hashApiKey } from './hash-api-key.js';

/** The principal of the admin key: every permission. */
export const adminPrincipal: MemoryPrincipal = { id: 'admin', permissions: ['*'] };

/**
 * An {@link ApiKeyAuthenticator} that accepts exactly one key, the admin key, known only by its
 * SHA-256 digest. Comparison is constant-time on the digests.
 * @param adminKeyHash hex SHA-256 of the admin key (see `hashApiKey`)
 */
export function createAdminKeyAuthenticator(adminKeyHash: string): ApiKeyAuthenticator {
  const expected = Buffer.from(adminKeyHash, 'hex');
  return {
    async authenticate(key) {
      const actual = Buffer.from(hashApiKey(key), 'hex');
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? adminPrincipal : null;
    },
  };
}
