import type { MemoryProviderV1CallOptions } from '@memgate/core';
import type { RoutingDecision } from './routing-decision.js';

/**
 * Call options of a failover pool: the provider options plus a per-call `onDecision` callback, through
 * which a caller (the gateway) learns which member served the call, how many fallbacks it took and the
 * router's overhead (for `x-memgate-provider`, `x-memgate-fallbacks`, `x-memgate-overhead-ms`) without
 * any ambient context. Called once per call, success or failure, before the call settles.
 */
export interface FailoverCallOptions extends MemoryProviderV1CallOptions {
  readonly onDecision?: (decision: RoutingDecision) => void;
  /**
   * Makes a write idempotent: a repeated call with the same key (per principal) returns the first call's
   * result and writes nothing twice. Kept for the pool's `idempotencyTtlMs` (default 24 h). Ignored by reads.
   */
  readonly idempotencyKey?: string;
}
