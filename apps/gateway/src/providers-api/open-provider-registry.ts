import type { MemoryProviderV1 } from '@memgate/core';
import { applyConfig, discoverProviders, formatConfigProblems, ProviderPluginSet, ProviderRegistry, type HostLookup, type MemgateConfig } from '@memgate/registry';
import { createStateStore, resolveStateUrl, type StateStore } from '@memgate/state';
import { builtInProviderPlugins } from '../cli/commands/built-in-plugins.js';
import { readConfigFile } from '../cli/commands/read-config-file.js';

/** Options of {@link openProviderRegistry}. */
export interface OpenProviderRegistryOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The gateway's data directory (absolute); the PGlite store goes in `<dataDir>/state`. */
  readonly dataDir: string;
  /** The `--config` file, whose `providers` and `routing` sections are applied. */
  readonly configFile?: string;
  /** Where relative paths are resolved. */
  readonly cwd: string;
  /** Undelivered journal writes of a provider (the failover journal); default none. */
  readonly pendingWrites?: (name: string) => number | Promise<number>;
  /** Disposes of replaced or removed provider instances (see `ProviderRegistryOptions.retireInstance`); default: close at once. */
  readonly retireInstance?: (instance: MemoryProviderV1) => void | Promise<void>;
  /** How long the state store keeps routing decisions (ms); default the store's (7 days). */
  readonly decisionRetentionMs?: number;
  /** Hears the state store's background errors (decision writes) and the registry's refusals to open a stored provider; default `console.warn`. */
  readonly onError?: (error: unknown) => void;
  /** Resolves hostnames for the management API's egress policy; default the system resolver. For tests. */
  readonly lookup?: HostLookup;
}

/** The registry of a running gateway and what it stands on. */
export interface OpenedProviderRegistry {
  readonly registry: ProviderRegistry;
  readonly store: StateStore;
  /** The validated config file, if one was given (its `routing` section is for the failover pool). */
  readonly config: MemgateConfig | undefined;
  /** Closes the registry's providers, then the store. */
  close(): Promise<void>;
}

/**
 * Wires the registry for `memgate serve`: opens the state store (`MEMGATE_STATE_URL`, else PGlite
 * under the data directory), validates the config file (every problem at once), starts the
 * registry on the store, then applies the file's providers and the environment's discoveries
 * (explicit config wins). Providers from the file and from discovery are registered without a
 * probe, so a backend that is down at start does not stop the gateway; the health monitor sees it.
 * The file's `management` section (plugin modules, `${ENV}` names, egress) and the data directory
 * (the only place API entries may keep a `pglite://` directory) bound what the management API may do.
 * @throws Error listing every problem of an invalid config file (`path: reason` per line)
 */
export async function openProviderRegistry(options: OpenProviderRegistryOptions): Promise<OpenedProviderRegistry> {
  const plugins = new ProviderPluginSet(builtInProviderPlugins);
  let config: MemgateConfig | undefined;
  if (options.configFile) {
    const report = await readConfigFile(options.configFile, options.cwd, options.env, plugins);
    if (report.problems.length > 0) throw new Error(`${options.configFile} is invalid:\n${formatConfigProblems(report.problems)}`);
    config = report.registry.config;
  }
  const store = await createStateStore({
    url: resolveStateUrl(options.env, options.dataDir),
    ...(options.decisionRetentionMs === undefined ? {} : { decisionRetentionMs: options.decisionRetentionMs }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const registry = new ProviderRegistry({
    plugins: builtInProviderPlugins,
    store: store.providers,
    env: options.env,
    pendingWrites: options.pendingWrites,
    retireInstance: options.retireInstance,
    // The management API's limits come from the operator's file; without one they stay closed.
    management: config?.management,
    dataDir: options.dataDir,
    cwd: options.cwd,
    lookup: options.lookup,
    onError: options.onError,
  });
  try {
    await registry.start();
    const discovered = discoverProviders(options.env, builtInProviderPlugins, config?.providers ?? []).providers;
    await applyConfig(registry, config ?? { providers: [] }, { discovered, force: true });
  } catch (error) {
    await registry.close();
    await store.close();
    throw error;
  }
  return {
    registry,
    store,
    config,
    close: async () => {
      await registry.close();
      await store.close();
    },
  };
}
