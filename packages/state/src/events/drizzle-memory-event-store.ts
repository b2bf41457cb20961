import { ConflictError, ValidationError, type JsonValue } from '@memgate/core';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';
import { memoryEvents, type MemoryEventRow } from '../schema/memory-events.js';

/**
 * One write event of the gateway with the key that caused it (the gateway's `MemoryEvent`, declared
 * here by shape: the state package does not import the app).
 */
export interface StoredMemoryEvent {
  readonly id: string;
  readonly type: 'ADD' | 'DELETE' | 'UPDATE';
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly payload: JsonValue;
  readonly results: JsonValue[];
  /** ISO 8601, stored and returned exactly as given. */
  readonly startedAt: string;
  /** ISO 8601, stored and returned exactly as given; retention is measured from it. */
  readonly completedAt: string;
  readonly error?: string;
  /** The principal (key id) whose write it was. */
  readonly owner: string;
}

/** Options of {@link DrizzleMemoryEventStore}. */
export interface DrizzleMemoryEventStoreOptions {
  /** Events completed longer ago than this are not returned, and are deleted by a save at most once a minute (ms). Default 7 days. */
  readonly retentionMs?: number;
  /** Told of failed pruning (the save itself succeeded). Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
  /** The clock retention is measured with (epoch ms). Default `Date.now`. */
  readonly now?: () => number;
}

const defaultRetentionMs = 7 * 24 * 3_600_000;
const pruneIntervalMs = 60_000;
// U+0000 and UTF-16 halves without their pair: PostgreSQL's text and jsonb refuse both.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The gateway's write events in the control-plane store (`memgate.memory_events`): an `event_id` answers
 * on every replica and after a restart, for its owner only, until the retention has passed.
 */
export class DrizzleMemoryEventStore {
  private readonly retentionMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;
  private lastPruneAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: StateDrizzle,
    options: DrizzleMemoryEventStoreOptions = {},
  ) {
    if (options.retentionMs !== undefined && !(Number.isFinite(options.retentionMs) && options.retentionMs > 0)) {
      throw new ValidationError({ message: 'retentionMs must be a positive number', field: 'retentionMs' });
    }
    this.retentionMs = options.retentionMs ?? defaultRetentionMs;
    this.onError = options.onError ?? ((error) => console.warn('[memgate/state] memory events:', error));
    this.now = options.now ?? Date.now;
  }

  /**
   * Keeps an event; saving the same id again by the same owner replaces it. Strings PostgreSQL cannot
   * hold (U+0000, unpaired surrogates) are kept as U+FFFD. Then, at most once a minute, deletes the
   * events past retention (a failure there goes to `onError`).
   * @throws ConflictError when the id belongs to an event of another owner; ValidationError when `completedAt` is not a date
   */
  async save(event: StoredMemoryEvent): Promise<void> {
    const completed = new Date(event.completedAt);
    if (Number.isNaN(completed.getTime())) throw new ValidationError({ message: 'completedAt must be an ISO 8601 time', field: 'completedAt' });
    const row = toRow(event);
    const [saved] = await this.db
      .insert(memoryEvents)
      .values(row)
      .onConflictDoUpdate({ target: memoryEvents.id, set: row, setWhere: eq(memoryEvents.owner, sql`excluded.owner`) })
      .returning({ id: memoryEvents.id });
    if (!saved) throw new ConflictError({ message: `event ${event.id} belongs to another key` });
    await this.pruneWhenDue();
  }

  /**
   * Keeps every event in one statement (what the gateway's write-behind buffer sends), with `save`'s
   * rules per event, then prunes when due. An id given twice keeps the last.
   * @returns the ids not kept because they belong to an event of another owner
   * @throws ValidationError when a `completedAt` is not a date (nothing is kept)
   */
  async saveMany(events: readonly StoredMemoryEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = new Map<string, ReturnType<typeof toRow>>();
    for (const event of events) rows.set(event.id, toRow(event));
    const saved = new Set<string>();
    const all = [...rows.values()];
    // 11 parameters a row: 2,000 rows stay far below PostgreSQL's 65,535.
    for (let start = 0; start < all.length; start += 2_000) {
      const chunk = all.slice(start, start + 2_000);
      const written = await this.db
        .insert(memoryEvents)
        .values(chunk)
        .onConflictDoUpdate({ target: memoryEvents.id, set: excludedColumns, setWhere: eq(memoryEvents.owner, sql`excluded.owner`) })
        .returning({ id: memoryEvents.id });
      for (const row of written) saved.add(row.id);
    }
    await this.pruneWhenDue();
    return [...rows.keys()].filter((id) => !saved.has(id));
  }

  /** The event, or `null` when unknown, past retention, or (with `owner`) caused by another key. */
  async get(id: string, owner?: string): Promise<StoredMemoryEvent | null> {
    const [row] = await this.db
      .select()
      .from(memoryEvents)
      .where(and(eq(memoryEvents.id, id), owner === undefined ? undefined : eq(memoryEvents.owner, owner), gte(memoryEvents.completedInstant, this.cutoff())));
    return row ? toEvent(row) : null;
  }

  /** Deletes the events past retention now; returns how many. */
  async prune(): Promise<number> {
    const deleted = await this.db.delete(memoryEvents).where(lt(memoryEvents.completedInstant, this.cutoff())).returning({ id: memoryEvents.id });
    return deleted.length;
  }

  private cutoff(): Date {
    return new Date(this.now() - this.retentionMs);
  }

  private async pruneWhenDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPruneAt < pruneIntervalMs) return;
    this.lastPruneAt = now;
    try {
      await this.prune();
    } catch (error) {
      try {
        this.onError(error);
      } catch {
        // A throwing listener must not fail a save that succeeded.
      }
    }
  }
}

/** The row of an event: strings PostgreSQL cannot hold replaced; `completedAt` checked. */
function toRow(event: StoredMemoryEvent) {
  const completed = new Date(event.completedAt);
  if (Number.isNaN(completed.getTime())) throw new ValidationError({ message: 'completedAt must be an ISO 8601 time', field: 'completedAt' });
  const clean = storable(event);
  return {
    id: clean.id,
    owner: clean.owner,
    type: clean.type,
    status: clean.status,
    // drizzle sends a JS null as SQL NULL; a JSON null payload is the jsonb value `null`.
    payload: clean.payload === null ? sql`'null'::jsonb` : clean.payload,
    results: clean.results,
    startedAt: clean.startedAt,
    completedAt: clean.completedAt,
    completedInstant: completed,
    error: clean.error ?? null,
  };
}

// A multi-row upsert sets each row from its own `excluded` values.
const excludedColumns = {
  owner: sql`excluded.owner`,
  type: sql`excluded.type`,
  status: sql`excluded.status`,
  payload: sql`excluded.payload`,
  results: sql`excluded.results`,
  startedAt: sql`excluded.started_at`,
  completedAt: sql`excluded.completed_at`,
  completedInstant: sql`excluded.completed_instant`,
  error: sql`excluded.error`,
};

function storable(event: StoredMemoryEvent): StoredMemoryEvent {
  return JSON.parse(JSON.stringify(event, (_key, value: unknown) => (typeof value === 'string' ? value.replace(unstorable, '\uFFFD') : value))) as StoredMemoryEvent;
}

function toEvent(row: MemoryEventRow): StoredMemoryEvent {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    payload: row.payload,
    results: row.results,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    ...(row.error !== null ? { error: row.error } : {}),
    owner: row.owner,
  };
}
