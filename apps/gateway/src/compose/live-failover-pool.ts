import { wrapMemoryProvider, type MemoryProviderV1 } from '@memgate/core';
import { createReconfigurableFailoverPool, type DecisionHistoryStore, type IdempotencyStore, type ReconfigurableFailoverPool, type ResyncReport, type SharedCeilingsOptions, type WriteJournal } from '@memgate/failover';
import type { HealthMonitor } from '@memgate/health';
import type { ProviderRegistry, RoutingConfig } from '@memgate/registry';
import { backlogAlerts } from './backlog-alerts.js';
import { callTimeoutMiddleware } from './call-timeout-middleware.js';
import type { InstanceUsage } from './instance-usage.js';
import { instanceUsageMiddleware } from './instance-usage-middleware.js';
import { providerMemberOptions, routingPoolOptions, toStrategyName } from './routing-pool-options.js';

export type { OperatorState } from '@memgate/failover';

/** Options of {@link createLiveFailoverPool}. */
export interface LiveFailoverPoolOptions {
  /** The pool's name (its provider name in `/readyz` and decisions). Default `memgate`. */
  readonly name?: string;
  /** Where the members come from: its active providers, with their `priority` and `timeout`. */
  readonly registry: ProviderRegistry;
  /** Shared by every generation of the pool, so health survives a rebuild. */
  readonly health: HealthMonitor;
  /** Shared by every generation of the pool. */
  readonly decisions: DecisionHistoryStore;
  /** The config's `routing` section. */
  readonly routing?: RoutingConfig;
  /**
   * The write journal (the state store's). With it and two or more active providers, every write is
   * journaled before it is acknowledged on `routing.write_quorum` members (capped at the member count),
   * reads avoid members that are behind, and each generation runs a replicator.
   */
  readonly journal?: WriteJournal;
  /** Where idempotency keys of writes are kept (the state store's). Default: the pool's own, in memory. */
  readonly idempotency?: IdempotencyStore;
  /** This process's lease owner id in the journal (stable across restarts, see `@memgate/failover`). Default: a random one per process. */
  readonly leaseOwner?: string;
  /** Counts calls per registry instance (pass the same one as the registry's `retireInstance`). */
  readonly usage?: InstanceUsage;
  /** Told when a provider that joined without the others' data has been resynced and is read from. */
  readonly onMemberResynced?: (report: ResyncReport) => void;
  /** Shares the providers' request ceilings (`rate_limit`) with the other replicas (see `createSharedCeilingStore`). Default: each process on its own. */
  readonly sharedCeilings?: SharedCeilingsOptions;
  /** Told of errors that cannot be thrown. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The gateway's memory: `@memgate/failover`'s reconfigurable pool over the registry's active providers.
 * {@link LiveFailoverPool.rebuild} reads the registry and reconfigures the pool with its active providers,
 * each held to its own `timeout` and counted per registry instance.
 */
export interface LiveFailoverPool extends Omit<ReconfigurableFailoverPool, 'setStrategy'> {
  /** @throws ValidationError (field `strategy`) for an unknown name; `round_robin` and `round-robin` are both accepted */
  setStrategy(strategy: string): void;
  /** Reconfigures the pool with the registry's active providers now (serialised). */
  rebuild(): Promise<void>;
}

/** Creates a {@link LiveFailoverPool}; call `rebuild()` once the registry has started. */
export function createLiveFailoverPool(options: LiveFailoverPoolOptions): LiveFailoverPool {
  const name = options.name ?? 'memgate';
  const backlog = options.routing?.backlog_limit;
  const pool = createReconfigurableFailoverPool({
    name,
    ...routingPoolOptions(options.routing),
    strategy: toStrategyName(options.routing?.strategy ?? 'priority'),
    health: options.health,
    decisions: options.decisions,
    ...(options.journal
      ? {
          journal: options.journal,
          writeQuorum: options.routing?.write_quorum ?? 1,
          backlogLimit: { entries: backlog?.entries ?? 100_000, ...(backlog?.bytes === undefined ? {} : { bytes: backlog.bytes }), ...(backlog?.retry_after_ms === undefined ? {} : { retryAfterMs: backlog.retry_after_ms }) },
          ...backlogAlerts(options.health, backlog?.entries ?? 100_000),
        }
      : {}),
    ...(options.leaseOwner ? { leaseOwner: options.leaseOwner } : {}),
    ...(options.idempotency ? { idempotency: options.idempotency } : {}),
    ...(options.onMemberResynced ? { onMemberResynced: options.onMemberResynced } : {}),
    ...(options.sharedCeilings ? { sharedCeilings: options.sharedCeilings } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const setStrategy = pool.setStrategy;
  return Object.assign(pool, {
    setStrategy: (strategy: string) => setStrategy(toStrategyName(strategy)),
    async rebuild() {
      const records = (await options.registry.list()).filter((record) => record.state === 'active' && options.registry.provider(record.name));
      const retry = routingPoolOptions(options.routing, records.length > 0 ? Math.max(...records.map((record) => record.config.timeout)) : undefined).retry;
      await pool.reconfigure(
        records.map((record) => ({ provider: asPoolMember(options.registry.provider(record.name)!, record.config.timeout, options.usage), ...providerMemberOptions(record.config) })),
        retry,
      );
    },
  });
}

/** A registry instance as a pool member: its own call timeout, and (with `usage`) its calls counted so a retired instance closes only when idle. */
function asPoolMember(instance: MemoryProviderV1, timeoutMs: number, usage: InstanceUsage | undefined): MemoryProviderV1 {
  return wrapMemoryProvider(instance, [callTimeoutMiddleware(timeoutMs), ...(usage ? [instanceUsageMiddleware(usage, instance)] : [{ name: 'registry-owned', close: async () => undefined }])]);
}
