import type { MemoryPrincipal, MemoryProviderV1 } from '@memgate/core';
import type { RoutingDecision } from '@memgate/failover';
import type { Logger } from 'pino';
import type { MemoryEventStore } from '../events/memory-event-store.js';

/** What every handler can read from `c.var`. Set per app by `createApp`, never module-level. */
export interface AppVariables {
  /** The memory provider the data plane serves (one provider, or a failover pool). */
  memory: MemoryProviderV1;
  /** Where the events of writes are kept for `GET /v1/event/{id}/`. */
  events: MemoryEventStore;
  /** The app's logger. */
  logger: Logger;
  /** Who is calling; set by the key check, absent on public routes. */
  principal?: MemoryPrincipal;
  /** Set by hono's request-id middleware. */
  requestId: string;
  /** Milliseconds each provider call may take, from the start of the request. */
  requestTimeoutMs: number;
  /** The failover pool's decisions for this request's memory calls (for the `x-memgate-*` headers). */
  decisions: RoutingDecision[];
}

/** The Hono environment of the gateway app. */
export interface AppEnv {
  Variables: AppVariables;
}
