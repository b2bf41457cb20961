import type { JsonValue, MemoryProviderV1 } from '@memgate/core';
import type { SecurityPrincipal } from '@memgate/security';
import type { RoutingDecision } from '@memgate/failover';
import type { Logger } from 'pino';
import type { MemoryEventStore } from '../events/memory-event-store.js';
import type { MatchedRoutePermission } from './match-route-permission.js';

/** What every handler can read from `c.var`. Set per app by `createApp`, never module-level. */
export interface AppVariables {
  /** The memory provider the data plane serves (one provider, or a failover pool). */
  memory: MemoryProviderV1;
  /** Where the events of writes are kept for `GET /v1/event/{id}/`. */
  events: MemoryEventStore;
  /** The app's logger. */
  logger: Logger;
  /** Who is calling; set by `authenticate`, absent on public routes. */
  principal?: SecurityPrincipal;
  /** The client's address (the TCP peer). */
  clientIp?: string;
  /** The route table's row for this request, set by `authorizeRoute`. */
  route?: MatchedRoutePermission;
  /** Set when a memory was answered 404 because it lies outside the key's tenant scope (an audited refusal). */
  outOfScope?: boolean;
  /** What a handler wants its audit entry to name (the key it created, say), beyond the route's own parameters. */
  auditTarget?: { readonly type?: string; readonly id?: string; readonly details?: Record<string, JsonValue> };
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
