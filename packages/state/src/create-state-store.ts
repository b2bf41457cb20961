import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { IdempotencyStore, WriteJournal } from '@memgate/failover';
import type { HealthTrendStore } from '@memgate/health';
import type { ProviderRegistryStore } from '@memgate/registry';
import type { AuditStore, KeyStore, QuotaCounterStore, RateLimitStore } from '@memgate/security';
import { DrizzleAuditStore } from './audit/drizzle-audit-store.js';
import { ChangeFeed } from './changes/change-feed.js';
import { openPgStateDatabase } from './connection/open-pg-state-database.js';
import { openPgliteStateDatabase } from './connection/open-pglite-state-database.js';
import { parseStateUrl } from './connection/parse-state-url.js';
import type { StateDrizzle } from './connection/state-database.js';
import { DrizzleMemoryEventStore } from './events/drizzle-memory-event-store.js';
import { DrizzleHealthTrendStore } from './health/drizzle-health-trend-store.js';
import { DrizzleDecisionHistoryStore } from './history/drizzle-decision-history-store.js';
import { DrizzleIdempotencyStore } from './journal/drizzle-idempotency-store.js';
import { DrizzleWriteJournal } from './journal/drizzle-write-journal.js';
import { DrizzleKeyStore } from './keys/drizzle-key-store.js';
import { DrizzleProviderRegistryStore } from './providers/drizzle-provider-registry-store.js';
import { DrizzleQuotaCounterStore } from './quotas/drizzle-quota-counter-store.js';
import { DrizzleRateLimitStore } from './rate-limits/drizzle-rate-limit-store.js';

/** Options of {@link createStateStore}. */
export interface CreateStateStoreOptions {
  /** `pglite://<dir>`, `pglite://memory` or `postgres://…` (see `resolveStateUrl` for the gateway's default). */
  readonly url: string;
  /** An already-open PGlite to use instead of opening one (tests share one per file). Only with a `pglite://` URL. */
  readonly pglite?: PGlite;
  /** `pg` pool size on a server. Default 5. */
  readonly poolSize?: number;
  /** How long failover decisions are kept (ms); older rows are pruned at most once a minute. Default 7 days. */
  readonly decisionRetentionMs?: number;
  /** How long the gateway's write events are kept after they complete (ms); older rows are pruned at most once a minute. Default 7 days. */
  readonly eventRetentionMs?: number;
  /** Told of background errors (decision history writes and pruning, event pruning). Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

/** The control-plane store: the storage interfaces of the other packages over one database. */
export interface StateStore {
  readonly driver: 'pg' | 'pglite';
  /** The drizzle client, typed with every table (unstable escape hatch). */
  readonly db: StateDrizzle;
  /** The change feed (LISTEN/NOTIFY): every committed change, from every process sharing the store. */
  readonly changes: ChangeFeed;
  /** The registry's providers. */
  readonly providers: ProviderRegistryStore;
  /** The failover pools' write journal, shared by every replica (pass it as a pool's `journal`). */
  readonly journal: WriteJournal;
  /** Idempotency keys of writes, shared by every replica (pass it as a pool's `idempotency`). */
  readonly idempotency: IdempotencyStore;
  /** The failover decision history, buffered and written in batches, shared by every replica (pass it as a pool's `decisions`). */
  readonly decisions: DrizzleDecisionHistoryStore;
  /**
   * Hourly health trends, shared by every replica (pass it as a health monitor's `trendStore`). It writes as a
   * random writer id drawn per store, so each process's counts are kept apart and add up when queried.
   */
  readonly healthTrends: HealthTrendStore;
  /**
   * API keys, shared by every replica (pass it as the key manager's `store`). Revocations and changes of expiry,
   * roles or permissions reach every replica's `onRevocation` listeners on commit; `{ id: '*', hash: '*' }` after
   * the feed reconnected means "flush the whole key cache".
   */
  readonly keys: KeyStore;
  /** The audit chain and its signed checkpoints, append-only (also in the database), shared by every replica. */
  readonly audit: AuditStore;
  /** The gateway's write events, shared by every replica, kept for `eventRetentionMs`. */
  readonly events: DrizzleMemoryEventStore;
  /** Token buckets shared by every replica (pass it as a rate limiter's `store`, usually behind an in-process fast path). */
  readonly rateLimits: RateLimitStore;
  /** API keys' daily write counts, shared by every replica (pass it as `keyQuotaMiddleware`'s `counters`). */
  readonly quotaCounters: QuotaCounterStore;
  /** Writes the buffered decisions, stops the feed and closes the connections (an injected PGlite stays open). Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens the control-plane store and applies the committed migrations (under an advisory lock on a
 * server), then starts listening for changes.
 * @throws ValidationError for an unknown URL or a bad `decisionRetentionMs` or `eventRetentionMs`; the driver's error when the database cannot be reached
 */
export async function createStateStore(options: CreateStateStoreOptions): Promise<StateStore> {
  const location = parseStateUrl(options.url);
  const database =
    location.driver === 'pg'
      ? await openPgStateDatabase({ connectionString: location.connectionString, poolSize: options.poolSize })
      : await openPgliteStateDatabase({ dataDir: location.dataDir, pglite: options.pglite });
  let changes: ChangeFeed;
  let decisions: DrizzleDecisionHistoryStore;
  let events: DrizzleMemoryEventStore;
  try {
    events = new DrizzleMemoryEventStore(database.db, {
      ...(options.eventRetentionMs === undefined ? {} : { retentionMs: options.eventRetentionMs }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    decisions = new DrizzleDecisionHistoryStore(database.db, {
      ...(options.decisionRetentionMs === undefined ? {} : { retentionMs: options.decisionRetentionMs }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    changes = await ChangeFeed.open(database.notifications);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  const keys = new DrizzleKeyStore(database.db, changes);
  let closing: Promise<void> | undefined;
  return {
    driver: database.driver,
    db: database.db,
    changes,
    providers: new DrizzleProviderRegistryStore(database.db, changes),
    journal: new DrizzleWriteJournal(database.db),
    idempotency: new DrizzleIdempotencyStore(database.db),
    decisions,
    // A fresh writer per store (per process): a restarted process must not overwrite the rows of its previous life.
    healthTrends: new DrizzleHealthTrendStore(database.db, { writer: randomUUID() }),
    keys,
    audit: new DrizzleAuditStore(database.db),
    events,
    rateLimits: new DrizzleRateLimitStore(database.db, options.onError ? { onError: options.onError } : {}),
    quotaCounters: new DrizzleQuotaCounterStore(database.db, options.onError ? { onError: options.onError } : {}),
    close: () =>
      (closing ??= (async () => {
        // The buffered decisions go out while the connections are still open (failures are reported, not thrown).
        await decisions.close();
        keys.close();
        await changes.close();
        await database.close();
      })()),
  };
}
