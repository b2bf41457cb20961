import { randomUUID } from 'node:crypto';
import type { Mem0WireFaults } from './mem0-wire-faults.js';

/** An asynchronous job as `GET /v1/event/{id}/` reports it. */
export interface WireEvent {
  id: string;
  event_type: 'ADD' | 'DELETE';
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  payload: unknown;
  metadata: Record<string, unknown>;
  results: unknown[];
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  latency: number | null;
  graph_status: null;
  error: string | null;
}

/** The wire server's asynchronous events; each runs its work when it resolves. */
export interface Mem0WireEvents {
  readonly events: Map<string, WireEvent>;
  /**
   * Queues work: after `faults.eventDelayMs` it runs (unless the outcome is FAILED or EMPTY) and the
   * event becomes SUCCEEDED with its results. With no delay it resolves before this returns.
   */
  start(type: WireEvent['event_type'], payload: unknown, work: () => unknown[]): WireEvent;
  /** Cancels pending timers (the server is closing). */
  close(): void;
}

/** Creates the event registry; reads the fault switches when each event starts. */
export function createMem0WireEvents(faults: Mem0WireFaults): Mem0WireEvents {
  const events = new Map<string, WireEvent>();
  const timers = new Set<NodeJS.Timeout>();
  const resolve = (event: WireEvent, outcome: Mem0WireFaults['eventOutcome'], work: () => unknown[]): void => {
    const now = new Date();
    event.started_at = event.created_at;
    if (outcome === 'FAILED') {
      event.status = 'FAILED';
      event.error = 'Processing failed';
    } else {
      event.results = outcome === 'EMPTY' ? [] : work();
      event.status = 'SUCCEEDED';
    }
    event.updated_at = event.completed_at = now.toISOString();
    event.latency = now.getTime() - Date.parse(event.created_at);
  };
  return {
    events,
    start(type, payload, work) {
      const now = new Date().toISOString();
      const event: WireEvent = {
        id: randomUUID(), event_type: type, status: 'PENDING', payload, metadata: {}, results: [], created_at: now, updated_at: now,
        started_at: null, completed_at: null, latency: null, graph_status: null, error: null,
      };
      events.set(event.id, event);
      const { eventDelayMs: delay, eventOutcome: outcome } = faults;
      if (delay <= 0) resolve(event, outcome, work);
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve(event, outcome, work);
        }, delay);
        timers.add(timer);
      }
      return event;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
