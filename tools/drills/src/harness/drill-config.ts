/** A strategy name as the config file spells it. */
export type DrillStrategy = 'priority' | 'health' | 'round_robin' | 'performance' | 'hybrid';

/** Options of {@link buildDrillConfig}. */
export interface DrillConfigOptions {
  /** Members in order of priority (the first is the primary). */
  readonly providers: readonly { readonly name: string; readonly url: string }[];
  /** Default `priority`. */
  readonly strategy?: DrillStrategy;
  /** Per-attempt timeout of each provider, in milliseconds (the provider's `timeout`). Default 300. */
  readonly attemptTimeoutMs?: number;
  /** Consecutive failures that open a breaker. Default 3. */
  readonly failureThreshold?: number;
  /** Open → half-open after this many milliseconds. Default 3000, so tests stay short. */
  readonly cooldownMs?: number;
  /** Active probe period in seconds. Default 1. */
  readonly healthCheckIntervalS?: number;
  /**
   * The shipped defaults: no `timeout` or `health_check_interval`, and no `routing` section except the
   * `strategy` when one is given (a scenario such as the slow member needs its strategy); the timing
   * options above are ignored. Default false.
   */
  readonly defaults?: boolean;
}

/**
 * The gateway's `--config` JSON for a drill: the registry's `providers` (postgres, priorities 0, 1, …)
 * and a `routing` section. Pure: writes nothing.
 */
export function buildDrillConfig(options: DrillConfigOptions): Record<string, unknown> {
  const { attemptTimeoutMs = 300, failureThreshold = 3, cooldownMs = 3000, healthCheckIntervalS = 1 } = options;
  if (options.defaults) {
    const providers = options.providers.map((provider, index) => ({ name: provider.name, provider_type: 'postgres', connection_string: provider.url, priority: index }));
    return options.strategy ? { providers, routing: { strategy: options.strategy } } : { providers };
  }
  return {
    providers: options.providers.map((provider, index) => ({
      name: provider.name,
      provider_type: 'postgres',
      connection_string: provider.url,
      priority: index,
      timeout: attemptTimeoutMs,
      health_check_interval: healthCheckIntervalS,
    })),
    routing: {
      strategy: options.strategy ?? 'priority',
      breaker: { failure_threshold: failureThreshold, cooldown_ms: cooldownMs, half_open_max_calls: 1 },
      write_quorum: 1,
      panic: false,
    },
  };
}
