import type { JsonValue } from '@memgate/core';
import type { IdempotencyRecord, IdempotencyStore } from '@memgate/failover';
import { sql } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';

/**
 * Idempotency keys in the control-plane store (`memgate.idempotency_keys`), shared by every gateway
 * replica: the first record for a (principal, key) wins until it expires.
 */
export class DrizzleIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: StateDrizzle) {}

  async get(principal: string, key: string): Promise<IdempotencyRecord | null> {
    const result = (await this.db.execute(sql`select request_hash, response from memgate.idempotency_keys where principal = ${principal} and key = ${key} and expires_at > now()`)) as unknown as { rows: { request_hash: string; response: JsonValue }[] };
    const row = result.rows[0];
    return row ? { requestHash: row.request_hash, result: row.response } : null;
  }

  async put(principal: string, key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord> {
    // An expired key is taken over; a live one is kept, and returned.
    await this.db.execute(sql`insert into memgate.idempotency_keys (key, principal, request_hash, response, expires_at)
      values (${key}, ${principal}, ${record.requestHash}, ${JSON.stringify(record.result)}::jsonb, now() + ${ttlMs} * interval '1 millisecond')
      on conflict (principal, key) do update set request_hash = excluded.request_hash, response = excluded.response, created_at = now(), expires_at = excluded.expires_at
      where memgate.idempotency_keys.expires_at <= now()`);
    return (await this.get(principal, key)) ?? record;
  }
}
