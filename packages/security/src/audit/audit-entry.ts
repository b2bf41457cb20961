import type { JsonValue } from '@memgate/core';

/** What a caller records: who did what to which resource, and how it ended. */
export interface AuditEvent {
  /** Dotted verb, e.g. `key.create`, `auth.failure`, `memory.delete`, `provider.activate`. */
  action: string;
  /** Principal id (key id, certificate identity), or `anonymous` / `system`. */
  actor: string;
  /** How the actor authenticated, when it did. */
  authMethod?: string;
  /** Client address. */
  actorIp?: string;
  /** e.g. `provider`, `api_key`, `memory`. */
  resourceType?: string;
  resourceId?: string;
  /** Tenant ids the action touched, e.g. `user:alice`. */
  tenant?: string;
  outcome: 'success' | 'failure' | 'denied';
  /** HTTP status, when there is one. */
  status?: number;
  requestId?: string;
  /** Anything else; secret-looking members are redacted before hashing (see `redactSecrets`). */
  details?: Record<string, JsonValue>;
}

/** A stored entry: the event plus its place in the chain. */
export interface AuditEntry extends AuditEvent {
  /** 1-based position in the chain, gapless. */
  seq: number;
  /** When it was appended, ISO 8601 UTC (ASVS 16.2.2). */
  ts: string;
  /** The previous entry's hash; 64 zeros for the first. */
  prevHash: string;
  /** `SHA-256(prevHash || canonicalJson(entry without hash))`, hex. */
  hash: string;
}

/** The `prevHash` of the first entry. */
export const genesisHash = '0'.repeat(64);
