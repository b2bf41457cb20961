import { ValidationError } from '@memgate/core';
import type { DecisionHistoryQuery, DecisionHistoryStore, RoutingDecision } from '@memgate/failover';
import { and, arrayContains, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';
import { failoverDecisions } from '../schema/failover-decisions.js';

/** Options of {@link DrizzleDecisionHistoryStore}. */
export interface DrizzleDecisionHistoryStoreOptions {
  /** Rows of decisions that started longer ago than this are deleted, at most once a minute by a flush that writes (ms). Default 7 days. */
  readonly retentionMs?: number;
  /** Decisions held in memory until written; past this the oldest are dropped and counted in `dropped`. Default 10 000. */
  readonly maxBuffered?: number;
  /** How soon after an append the buffer is written (ms). Default 200. */
  readonly flushDelayMs?: number;
  /** Told of what cannot be thrown at `append`'s caller: failed background writes and pruning, invalid decisions. Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
  /** The clock retention is measured with (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

const defaultRetentionMs = 7 * 24 * 3_600_000;
const pruneIntervalMs = 60_000;
// Rows per insert statement: 14 parameters each stays far below PostgreSQL's 65 535.
const batchSize = 500;
// A database that keeps failing is retried with doubling delays up to this.
const maxRetryDelayMs = 5_000;

/**
 * The failover decision history in the control-plane store (`memgate.failover_decisions`), shared by
 * every gateway replica. `append` is on the request path, so it only buffers: the buffer is written in
 * batches within `flushDelayMs`, by one writer at a time. A write that fails for want of the database
 * puts its batch back (the oldest are dropped past `maxBuffered`) and is retried with backoff; one the
 * database refuses as bad data is dropped. Either way the error goes to `onError`, never to `append`'s
 * caller. `list` writes the buffer first, so a replica lists its own decisions at once and every other
 * replica's once they are flushed.
 */
export class DrizzleDecisionHistoryStore implements DecisionHistoryStore {
  private readonly retentionMs: number;
  private readonly maxBuffered: number;
  private readonly flushDelayMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;
  private buffer: RoutingDecision[] = [];
  private droppedCount = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  // The tail of the writes: flushes run one after another.
  private writing: Promise<void> = Promise.resolve();
  private failedFlushes = 0;
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly db: StateDrizzle,
    options: DrizzleDecisionHistoryStoreOptions = {},
  ) {
    this.retentionMs = positive(options.retentionMs, defaultRetentionMs, 'retentionMs');
    this.maxBuffered = Math.floor(positive(options.maxBuffered, 10_000, 'maxBuffered'));
    this.flushDelayMs = positive(options.flushDelayMs, 200, 'flushDelayMs');
    this.onError = options.onError ?? ((error) => console.warn('[memgate/state] decision history:', error));
    this.now = options.now ?? Date.now;
  }

  /** Decisions dropped so far: past `maxBuffered`, refused by the database, invalid, or appended after `close`. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Decisions appended and not yet written. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Buffers the decision; never throws and never waits for the database. */
  append(decision: RoutingDecision): void {
    if (this.closed) {
      this.droppedCount += 1;
      return;
    }
    const problem = invalidField(decision);
    if (problem) {
      this.droppedCount += 1;
      this.report(new ValidationError({ message: `${problem} is not valid; the decision was not kept`, field: problem }));
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.shift();
      this.droppedCount += 1;
    }
    this.buffer.push(decision);
    this.schedule(this.flushDelayMs);
  }

  /**
   * Newest first (by start time). Writes the buffer first; a failed write is reported to `onError` and
   * the rows already stored are listed.
   * @throws ValidationError naming `limit` or `since` when out of range; the driver's error when the database cannot be read
   */
  async list({ limit = 100, provider, since, outcome }: DecisionHistoryQuery = {}): Promise<RoutingDecision[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new ValidationError({ message: 'limit must be a whole number of at least 1', field: 'limit' });
    if (since !== undefined && !validTime(since)) throw new ValidationError({ message: 'since must be epoch milliseconds', field: 'since' });
    await this.flush().catch((error: unknown) => this.report(error));
    const conditions: SQL[] = [];
    if (provider !== undefined) conditions.push(arrayContains(failoverDecisions.tried, [provider]));
    if (since !== undefined) conditions.push(gte(failoverDecisions.at, new Date(since)));
    if (outcome !== undefined) conditions.push(eq(failoverDecisions.outcome, outcome));
    const rows = await this.db
      .select({ decision: failoverDecisions.decision })
      .from(failoverDecisions)
      .where(and(...conditions))
      .orderBy(desc(failoverDecisions.at), desc(failoverDecisions.id))
      .limit(limit);
    return rows.map((row) => row.decision);
  }

  /**
   * Writes everything buffered now (after any write already running), then, when it wrote something
   * and a minute has passed since the last pruning, deletes the rows past retention.
   * @throws the driver's error when a batch could not be written (it stays buffered unless the database refused its data)
   */
  flush(): Promise<void> {
    this.cancelTimer();
    const run = this.writing.then(() => this.drain());
    this.writing = run.catch(() => undefined);
    return run.then(
      () => {
        this.failedFlushes = 0;
      },
      (error: unknown) => {
        this.failedFlushes += 1;
        if (this.buffer.length > 0) this.schedule(Math.min(maxRetryDelayMs, this.flushDelayMs * 2 ** this.failedFlushes));
        throw error;
      },
    );
  }

  /** Stops the timer and writes what is buffered. Decisions that cannot be written are dropped and reported; later appends are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.flush();
    } catch (error) {
      this.cancelTimer();
      this.droppedCount += this.buffer.length;
      this.buffer = [];
      this.report(error);
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.report(error));
    }, delayMs);
    // Buffered decisions alone do not keep a process alive: `close` writes them.
    this.timer.unref?.();
  }

  private cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async drain(): Promise<void> {
    // Only a flush that writes prunes: a list, or closing an idle store, stays a read.
    if (this.buffer.length === 0) return;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, batchSize);
      try {
        await this.db.insert(failoverDecisions).values(batch.map(toRow));
      } catch (error) {
        if (refusedAsData(error)) this.droppedCount += batch.length;
        else this.putBack(batch);
        throw error;
      }
    }
    const now = this.now();
    if (now - this.lastPruneAt >= pruneIntervalMs) {
      this.lastPruneAt = now;
      await this.db.delete(failoverDecisions).where(lt(failoverDecisions.at, new Date(now - this.retentionMs)));
    }
  }

  private putBack(batch: RoutingDecision[]): void {
    this.buffer = [...batch, ...this.buffer];
    const excess = this.buffer.length - this.maxBuffered;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  private report(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // A throwing listener must not reach the request path either.
    }
  }
}

function toRow(decision: RoutingDecision): typeof failoverDecisions.$inferInsert {
  const clean = storable(decision);
  return {
    at: new Date(clean.startedAt),
    requestId: clean.requestId ?? null,
    pool: clean.pool,
    operation: clean.operation,
    strategy: clean.strategy,
    candidateOrder: [...clean.order],
    attempts: clean.attempts.map((attempt) => ({ provider: attempt.provider, outcome: attempt.outcome, ...(attempt.error ? { errorClass: attempt.error.name } : {}), durationMs: attempt.durationMs })),
    provider: clean.chosen,
    fallbacks: clean.fallbacks,
    outcome: clean.outcome,
    durationMs: clean.durationMs,
    tried: [...new Set(clean.attempts.map((attempt) => attempt.provider))],
    decision: clean,
  };
}

// U+0000 and UTF-16 halves without their pair: PostgreSQL's text and jsonb refuse both (an error message may carry them).
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A copy whose strings PostgreSQL accepts: what it would refuse becomes U+FFFD. */
function storable(decision: RoutingDecision): RoutingDecision {
  return JSON.parse(JSON.stringify(decision, (_key, value: unknown) => (typeof value === 'string' ? value.replace(unstorable, '\uFFFD') : value))) as RoutingDecision;
}

/** The path of the first field of a decision the table cannot hold, or `undefined`. Cheap: it runs on the request path. */
function invalidField(decision: RoutingDecision): string | undefined {
  if (typeof decision !== 'object' || decision === null) return 'decision';
  for (const field of ['pool', 'operation', 'strategy', 'outcome'] as const) if (typeof decision[field] !== 'string') return `decision.${field}`;
  if (!validTime(decision.startedAt)) return 'decision.startedAt';
  if (!Number.isFinite(decision.durationMs)) return 'decision.durationMs';
  if (!Number.isSafeInteger(decision.fallbacks) || decision.fallbacks < 0 || decision.fallbacks > 2_147_483_647) return 'decision.fallbacks';
  if (!Array.isArray(decision.order)) return 'decision.order';
  if (!Array.isArray(decision.attempts)) return 'decision.attempts';
  const attempt = decision.attempts.findIndex((candidate) => typeof candidate?.provider !== 'string');
  if (attempt >= 0) return `decision.attempts[${attempt}].provider`;
  if (decision.chosen !== null && typeof decision.chosen !== 'string') return 'decision.chosen';
  return undefined;
}

function validTime(value: number): boolean {
  return Number.isFinite(value) && !Number.isNaN(new Date(value).getTime());
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): retrying the same rows cannot help. */
function refusedAsData(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new ValidationError({ message: `${field} must be a positive number`, field });
  return value;
}
