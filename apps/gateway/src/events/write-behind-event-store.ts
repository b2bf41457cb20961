import { ConflictError } from '@memgate/core';
import type { MemoryEvent, MemoryEventStore } from './memory-event-store.js';

/** A durable event store that can take a batch in one write (the state store's `DrizzleMemoryEventStore`). */
export interface BatchingMemoryEventStore extends MemoryEventStore {
  /** Keeps every event (one statement); resolves to the ids refused because another owner holds them. */
  saveMany(events: readonly MemoryEvent[]): Promise<string[]>;
}

/** Options of {@link createWriteBehindEventStore}. */
export interface WriteBehindEventStoreOptions {
  /** How soon after a save the buffer is written (ms). Default 10. */
  readonly flushDelayMs?: number;
  /** Events held unwritten at most; past this the oldest are dropped (and reported). Default 10,000. */
  readonly maxBuffered?: number;
  /** Told of failed writes and dropped events. Default `console.warn`. */
  readonly onError?: (error: unknown) => void;
}

/** A write-behind {@link MemoryEventStore}. */
export interface WriteBehindEventStore extends MemoryEventStore {
  /** Writes what is buffered now. */
  flush(): Promise<void>;
  /** Events saved and not yet written. */
  readonly pending: number;
}

const maxRetryDelayMs = 5_000;

/**
 * Takes the events of writes off the request path: `save` buffers the event and resolves at once; the
 * buffer goes to `store.saveMany` in one statement within `flushDelayMs`, one batch at a time. `get`
 * answers from the buffer first, so this replica finds an event the moment its write is answered; other
 * replicas find it once written (within `flushDelayMs`). A batch that fails is put back and retried with
 * backoff. What this trades: an event still buffered when the process dies is lost (its `event_id` then
 * answers 404), while the memory write itself was acknowledged durably by the pool; memgate answers
 * writes synchronously, so an event is a record of an answered write, not the write.
 * @throws ConflictError from `save` only when the id is buffered for another owner (else that is reported at the write)
 */
export function createWriteBehindEventStore(store: BatchingMemoryEventStore, options: WriteBehindEventStoreOptions = {}): WriteBehindEventStore {
  const { flushDelayMs = 10, maxBuffered = 10_000, onError = (error: unknown) => console.warn('[memgate] memory events:', error) } = options;
  let buffer = new Map<string, MemoryEvent>();
  // The batch being written: still answered by `get` until it is stored.
  let writing = new Map<string, MemoryEvent>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tail: Promise<void> = Promise.resolve();
  let failures = 0;

  const report = (error: unknown): void => {
    try {
      onError(error);
    } catch {
      // A throwing listener must not reach the request path.
    }
  };
  const schedule = (delayMs: number): void => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch(report);
    }, delayMs);
    // Buffered events alone do not keep a process alive.
    timer.unref?.();
  };
  const write = async (): Promise<void> => {
    if (buffer.size === 0) return;
    writing = buffer;
    buffer = new Map();
    try {
      const refused = await store.saveMany([...writing.values()]);
      for (const id of refused) report(new ConflictError({ message: `event ${id} belongs to another key; it was not kept` }));
      failures = 0;
    } catch (error) {
      // Put back before anything saved since, keeping the newest `maxBuffered`.
      const merged = new Map([...writing, ...buffer]);
      const excess = merged.size - maxBuffered;
      if (excess > 0) {
        for (const id of [...merged.keys()].slice(0, excess)) merged.delete(id);
        report(new Error(`${excess} memory events were dropped: the store could not be written`));
      }
      buffer = merged;
      failures += 1;
      schedule(Math.min(maxRetryDelayMs, flushDelayMs * 2 ** failures));
      throw error;
    } finally {
      writing = new Map();
    }
  };
  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const run = tail.then(write);
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    get pending() {
      return buffer.size + writing.size;
    },
    async save(event) {
      const held = buffer.get(event.id) ?? writing.get(event.id);
      if (held && held.owner !== event.owner) throw new ConflictError({ message: `event ${event.id} belongs to another key` });
      buffer.delete(event.id);
      buffer.set(event.id, event);
      if (buffer.size > maxBuffered) {
        buffer.delete(buffer.keys().next().value!);
        report(new Error('a memory event was dropped: more than maxBuffered are waiting to be written'));
      }
      schedule(flushDelayMs);
    },
    async get(id, owner) {
      const held = buffer.get(id) ?? writing.get(id);
      if (held) return owner === undefined || held.owner === owner ? held : null;
      return store.get(id, owner);
    },
    flush,
  };
}

/** Whether a store can take a batch in one write (then `createApp` writes its events behind). */
export function isBatchingMemoryEventStore(store: MemoryEventStore): store is BatchingMemoryEventStore {
  return typeof (store as Partial<BatchingMemoryEventStore>).saveMany === 'function';
}
