import type { MemoryEvent, MemoryEventStore } from './memory-event-store.js';

/** Options of {@link createInMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /** How many events to keep; the oldest are dropped first. Default 10,000. */
  maxEvents?: number;
}

/** A {@link MemoryEventStore} in process memory, bounded to the newest `maxEvents` events. */
export function createInMemoryEventStore({ maxEvents = 10_000 }: InMemoryEventStoreOptions = {}): MemoryEventStore {
  // A Map iterates in insertion order, so its first key is always the oldest event.
  const events = new Map<string, MemoryEvent>();
  return {
    async save(event) {
      events.set(event.id, event);
      while (events.size > maxEvents) events.delete(events.keys().next().value!);
    },
    async get(id, owner) {
      const event = events.get(id);
      return event && (owner === undefined || event.owner === owner) ? event : null;
    },
  };
}
