import { takeTokens, type RateLimitStore, type TokenBucketResult, type TokenBucketRule } from '@memgate/security';
import { sql } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';

/** Options of {@link DrizzleRateLimitStore}. */
export interface DrizzleRateLimitStoreOptions {
  /** Full buckets (rows whose `full_at` has passed) are deleted at most this often (ms). Default 60,000. */
  readonly pruneEveryMs?: number;
  /** Told of pruning errors. Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

const tenYearsMs = 10 * 365 * 86_400_000;

/**
 * Token buckets in the control-plane store (`memgate.rate_limit_buckets`), shared by every replica:
 * one statement per take, atomic under concurrency (the upsert locks the row, and the refill is
 * computed from the locked row). A refused take changes nothing. Only full buckets are ever deleted,
 * so a pruned bucket comes back exactly as it was: full.
 */
export class DrizzleRateLimitStore implements RateLimitStore {
  private lastPruneAt = 0;
  private readonly pruneEveryMs: number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly db: StateDrizzle,
    { pruneEveryMs = 60_000, onError = (error) => console.warn('rate-limit buckets', error) }: DrizzleRateLimitStoreOptions = {},
  ) {
    this.pruneEveryMs = pruneEveryMs;
    this.onError = onError;
  }

  async consume(key: string, rule: TokenBucketRule, now: number, cost: number): Promise<TokenBucketResult> {
    // Never allowed whatever the bucket holds; no need to ask the database.
    if (cost > rule.capacity) return takeTokens(rule, { tokens: rule.capacity, updatedAt: now }, now, cost);
    this.pruneNowAndThen(now);
    const refillPerMs = rule.refillPerSecond / 1000;
    const level = sql`least(${rule.capacity}::float8, b.tokens + greatest(0, ${now}::bigint - b.updated_at) * ${refillPerMs}::float8)`;
    const fullAt = (tokens: ReturnType<typeof sql>) =>
      refillPerMs > 0 ? sql`${now}::bigint + ceil((${rule.capacity}::float8 - (${tokens})) / ${refillPerMs}::float8)::bigint` : sql`${now + tenYearsMs}::bigint`;
    const taken = (await this.db.execute(sql`insert into memgate.rate_limit_buckets as b (key, tokens, updated_at, full_at)
      values (${key}, ${rule.capacity - cost}::float8, ${now}::bigint, ${fullAt(sql`${rule.capacity - cost}::float8`)})
      on conflict (key) do update set tokens = ${level} - ${cost}::float8, updated_at = greatest(b.updated_at, ${now}::bigint), full_at = ${fullAt(sql`${level} - ${cost}::float8`)}
      where ${level} >= ${cost}::float8
      returning tokens`)) as unknown as { rows: { tokens: number | string }[] };
    const row = taken.rows[0];
    if (row) {
      const tokens = Number(row.tokens);
      return { allowed: true, remaining: Math.floor(tokens), retryAfterMs: 0, state: { tokens, updatedAt: now } };
    }
    // Refused: read the bucket to say how long until it holds `cost` tokens.
    const current = (await this.db.execute(sql`select tokens, updated_at from memgate.rate_limit_buckets where key = ${key}`)) as unknown as { rows: { tokens: number | string; updated_at: number | string }[] };
    const state = current.rows[0];
    return takeTokens(rule, state ? { tokens: Number(state.tokens), updatedAt: Number(state.updated_at) } : undefined, now, cost);
  }

  private pruneNowAndThen(now: number): void {
    if (now - this.lastPruneAt < this.pruneEveryMs) return;
    this.lastPruneAt = now;
    this.db.execute(sql`delete from memgate.rate_limit_buckets where full_at < ${now}::bigint`).catch(this.onError);
  }
}
