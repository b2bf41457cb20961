import { ProviderUnavailableError } from '@memgate/core';
import type { Disposable, HealthMonitor } from '@memgate/health';
import type { ProviderRecord, ProviderRegistry } from '@memgate/registry';

/** The health monitor's active probes over the registry's active providers. */
export interface ProviderProbeTargets {
  /** Probes exactly the active providers, each at its `health_check_interval` (seconds). */
  sync(records: readonly ProviderRecord[]): void;
  /** Stops every probe. */
  dispose(): void;
}

/**
 * Keeps one probe target per active provider on the monitor. A probe calls whatever instance the
 * registry holds at that moment, within the provider's `timeout`, so a reconfigured provider is probed
 * as it is now. A changed interval or timeout replaces the target.
 */
export function createProviderProbeTargets(health: HealthMonitor, registry: ProviderRegistry): ProviderProbeTargets {
  const targets = new Map<string, { key: string; target: Disposable }>();
  return {
    sync(records) {
      const active = records.filter((record) => record.state === 'active');
      for (const [name, { target }] of targets) {
        if (!active.some((record) => record.name === name)) {
          target.dispose();
          targets.delete(name);
        }
      }
      for (const record of active) {
        const key = `${record.config.health_check_interval}/${record.config.timeout}`;
        if (targets.get(record.name)?.key === key) continue;
        targets.get(record.name)?.target.dispose();
        const probe = async (signal: AbortSignal): Promise<unknown> => {
          const instance = registry.provider(record.name);
          if (!instance) throw new ProviderUnavailableError({ message: `provider '${record.name}' is not open`, providerId: record.name, isRetryable: false });
          return instance.probe({ signal, deadline: Date.now() + record.config.timeout });
        };
        const target = health.addProbeTarget(record.name, probe, record.config.health_check_interval * 1000, { timeoutMs: record.config.timeout });
        targets.set(record.name, { key, target });
      }
    },
    dispose() {
      for (const { target } of targets.values()) target.dispose();
      targets.clear();
    },
  };
}
