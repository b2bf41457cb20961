import type { JsonValue } from '@memgate/core';

/** One write event, in the shape mem0's `GET /v1/event/{id}/` returns (before snake_case). */
export interface MemoryEvent {
  /** Event id handed out as `event_id`. */
  readonly id: string;
  /** What kind of write it was. */
  readonly type: 'ADD' | 'DELETE' | 'UPDATE';
  /** memgate answers writes synchronously, so events are finished when they are recorded. */
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The request that caused it, as received. */
  readonly payload: JsonValue;
  /** What the write produced (the add results, the delete count). */
  readonly results: JsonValue[];
  /** When the write started (ISO 8601). */
  readonly startedAt: string;
  /** When it finished (ISO 8601). */
  readonly completedAt: string;
  /** Why it failed, for FAILED events. */
  readonly error?: string;
  /** The principal (key id) whose write it was: only that key may read the event. */
  readonly owner: string;
}

/**
 * Where the gateway keeps the events of writes so that every `event_id` it hands out can be
 * looked up. Small on purpose: `@memgate/state` implements it durably (`store.events`), so an event
 * answers on every replica and after a restart.
 */
export interface MemoryEventStore {
  /** Keeps an event. */
  save(event: MemoryEvent): Promise<void>;
  /** The event with this id, or `null` when unknown, expired, or (with `owner`) caused by another key. */
  get(id: string, owner?: string): Promise<MemoryEvent | null>;
}
