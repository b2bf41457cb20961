import type { Disposable } from '@memgate/registry';
import { sql } from 'drizzle-orm';
import { changeChannel, type NotificationChannel, type StateDrizzle } from '../connection/state-database.js';

/** One committed change: `topic` is the table's domain (`providers`), `key` the row (`alpha`). */
export interface StateChange {
  readonly topic: string;
  /** The changed row's key, or `*` after a reconnect, when changes may have been missed. */
  readonly key: string;
  /** The row's version after the change; `null` when removed or unknown. */
  readonly version: number | null;
}

/**
 * Sends a change on the feed from inside the writing transaction: PostgreSQL delivers it on
 * commit, and not at all on rollback, so a listener never hears of a change that did not happen.
 */
export async function notifyChange(tx: Pick<StateDrizzle, 'execute'>, change: StateChange): Promise<void> {
  await tx.execute(sql`select pg_notify(${changeChannel}, ${JSON.stringify(change)})`);
}

/**
 * The store's change feed: PostgreSQL LISTEN/NOTIFY on a server (every process sharing the
 * database hears every change), PGlite's in-process notifications otherwise.
 */
export class ChangeFeed {
  private readonly listeners = new Map<string, Set<(change: StateChange) => void>>();
  private stop: (() => Promise<void>) | undefined;

  private constructor() {}

  /** Starts listening; resolves once the LISTEN is in place. */
  static async open(channel: NotificationChannel): Promise<ChangeFeed> {
    const feed = new ChangeFeed();
    feed.stop = await channel.listen((payload) => feed.dispatch(payload));
    return feed;
  }

  /** Calls `listener` for every change of `topic`, from any process. */
  subscribe(topic: string, listener: (change: StateChange) => void): Disposable {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return { dispose: () => set.delete(listener) };
  }

  /** Stops listening. Idempotent. */
  async close(): Promise<void> {
    const stop = this.stop;
    this.stop = undefined;
    this.listeners.clear();
    await stop?.();
  }

  private dispatch(payload: string): void {
    if (payload === '') {
      // The connection was re-established: tell every topic to re-read everything.
      for (const [topic, set] of this.listeners) for (const listener of set) listener({ topic, key: '*', version: null });
      return;
    }
    let change: StateChange;
    try {
      change = JSON.parse(payload) as StateChange;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(change.topic) ?? []) {
      try {
        listener(change);
      } catch {
        // One faulty subscriber must not starve the others.
      }
    }
  }
}
