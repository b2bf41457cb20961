import { ConflictError, NotFoundError, ValidationError, type MemoryProviderV1, type ProviderPlugin } from '@memgate/core';
import { managementConfigSchema, type ManagementConfig, type ManagementConfigInput } from '../config/management-config-schema.js';
import { parseProviderEntry } from '../config/parse-provider-entry.js';
import { providerConfigSchema, type ProviderConfig } from '../config/provider-config-schema.js';
import { ProviderPluginSet } from '../plugins/provider-plugin-set.js';
import type { HostLookup } from '../egress/egress-policy.js';
import type { ManagedWrite } from '../management/managed-write.js';
import type { ModuleImporter } from '../plugins/load-provider-plugin.js';
import { redactSecretsInText } from '../secrets/redact-secrets.js';
import type { Environment } from '../secrets/secret-references.js';
import { createProviderInstance, probeProviderInstance } from './create-provider-instance.js';
import type { Disposable } from './disposable.js';
import { InMemoryProviderRegistryStore } from './in-memory-provider-registry-store.js';
import type { ProviderChangeEvent, ProviderChangeType } from './provider-change-event.js';
import type { ProviderRecord, ProviderRecordInput, ProviderSource } from './provider-record.js';
import type { ProviderRegistryStore } from './provider-registry-store.js';

/** Options of a {@link ProviderRegistry}. */
export interface ProviderRegistryOptions {
  /** Built-in plugins; the registry never imports provider packages itself. */
  readonly plugins?: readonly ProviderPlugin[];
  /** Default: a new {@link InMemoryProviderRegistryStore}. */
  readonly store?: ProviderRegistryStore;
  /** Where `${ENV_VAR}` references are resolved. Default `process.env`. */
  readonly env?: Environment;
  /** Undelivered journal writes for a provider; a provider with any cannot be deleted. Default: none. */
  readonly pendingWrites?: (name: string) => number | Promise<number>;
  /** Imports third-party plugin modules; default dynamic `import()`. */
  readonly importModule?: ModuleImporter;
  /**
   * Disposes of an instance the registry replaced or removed (configure, deactivate, delete, remote
   * changes); not awaited, so it may wait for calls still running on the instance before closing it.
   * Default: `close()` at once. `close()` of the registry closes its instances itself.
   */
  readonly retireInstance?: (instance: MemoryProviderV1) => void | Promise<void>;
  /**
   * The operator's rules for entries written through the management API (source `api`): plugin
   * modules, `${ENV}` names, egress (the config file's `management` section). Default: the closed
   * defaults (no modules, no environment variables, public addresses only).
   */
  readonly management?: ManagementConfigInput;
  /** The gateway's data directory: API entries may put a `pglite://` directory only inside it. Default: none (only `pglite://memory`). */
  readonly dataDir?: string;
  /** Where relative `pglite://` paths resolve. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Resolves hostnames for the egress policy. Default `dns.promises.lookup(host, { all: true })`. */
  readonly lookup?: HostLookup;
  /** Hears what the registry refused or failed to do in the background (a remote change it would not open). Default `console.warn`. */
  readonly onError?: (error: Error) => void;
}

/** Options of a transition that probes. */
export interface ProbeOptions {
  /** Skip the probe (register or activate a provider that is down now). Default false. */
  readonly force?: boolean;
}

/** Options of {@link ProviderRegistry.configure}. */
export interface ConfigureOptions extends ProbeOptions {
  /** Who wrote the patch: `api` (the default) checks it against the management rules; `config` is the operator's file. */
  readonly source?: ProviderSource;
}

/** Options of {@link ProviderRegistry.register}. */
export interface RegisterOptions extends ProbeOptions {
  /** Default `api`: the entry must pass the management rules (see {@link ProviderRegistryOptions.management}). */
  readonly source?: ProviderSource;
  /** Why discovery found it. */
  readonly reason?: string;
}

const mutableFields = Object.keys(providerConfigSchema.shape).filter((key) => key !== 'name' && key !== 'enabled');

/**
 * The live population of providers: registers, configures, activates, deactivates and deletes them
 * as rule-checked transitions, persists them in a {@link ProviderRegistryStore}, and keeps one
 * `MemoryProviderV1` open per active provider, without a restart. Changes made by another process
 * sharing the store arrive through the store's change feed and are applied here too.
 */
export class ProviderRegistry {
  readonly plugins: ProviderPluginSet;
  readonly store: ProviderRegistryStore;
  private readonly env: Environment;
  private readonly management: ManagementConfig;
  private readonly instances = new Map<string, MemoryProviderV1>();
  private readonly applied = new Map<string, number>();
  private readonly listeners = new Set<(event: ProviderChangeEvent) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private subscription: Disposable | undefined;
  private closed = false;

  constructor(private readonly options: ProviderRegistryOptions = {}) {
    this.plugins = new ProviderPluginSet(options.plugins, options.importModule);
    this.store = options.store ?? new InMemoryProviderRegistryStore();
    this.env = options.env ?? process.env;
    this.management = managementConfigSchema.parse(options.management ?? {});
  }

  /** Opens an instance for every active stored provider (without probing) and follows the store's change feed. Idempotent. */
  start(): Promise<void> {
    this.closed = false;
    this.subscription ??= this.store.onChange((change) => void this.serial(() => this.reconcile(change.name)).catch(() => undefined));
    return this.serial(async () => {
      for (const record of await this.store.list()) await this.reconcile(record.name, true);
    });
  }

  /** Every provider, by name. */
  list(): Promise<ProviderRecord[]> {
    return this.store.list();
  }

  /** @throws NotFoundError when there is no such provider */
  async get(name: string): Promise<ProviderRecord> {
    return (await this.store.get(name)) ?? notFound(name);
  }

  /** The open instance of an active provider, or `undefined`. */
  provider(name: string): MemoryProviderV1 | undefined {
    return this.instances.get(name);
  }

  /** The open instances of every active provider. */
  activeProviders(): MemoryProviderV1[] {
    return [...this.instances.values()];
  }

  /**
   * Registers a provider: validates the entry, probes it (unless `force`), stores it and, when
   * `enabled` (the default), opens it.
   * @throws ValidationError listing every problem; ConflictError when the name is taken; ProviderUnavailableError when the probe fails
   */
  register(input: unknown, options: RegisterOptions = {}): Promise<ProviderRecord> {
    return this.serial(async () => {
      const source = options.source ?? 'api';
      const { config, plugin } = await parseProviderEntry(input, this.plugins, this.env, source === 'api' ? this.managed('all') : undefined);
      if (await this.store.get(config.name)) throw new ConflictError({ message: `provider '${config.name}' already exists` });
      const instance = config.enabled ? await this.open(config, plugin, options.force) : undefined;
      const record = await this.store
        .insert({ config, state: config.enabled ? 'active' : 'inactive', source, reason: options.reason })
        .catch(async (error: unknown) => {
          await instance?.close();
          throw error;
        });
      return this.applyLocal('provider-registered', record, instance);
    });
  }

  /**
   * Changes a provider's settings (any field but `name` and `enabled`); an active provider is
   * re-opened and probed (unless `force`) before the old instance is closed. A patch from the API
   * (the default source) must pass the management rules in the fields it writes (all fields, for a
   * provider the API registered); a patch from the config file makes the provider `config`-sourced.
   * @throws ValidationError; NotFoundError; ProviderUnavailableError when the new settings fail the probe
   */
  configure(name: string, patch: unknown, options: ConfigureOptions = {}): Promise<ProviderRecord> {
    return this.serial(async () => {
      const current = await this.get(name);
      checkPatch(patch);
      const fromApi = (options.source ?? 'api') === 'api';
      const managed = fromApi ? this.managed(current.source === 'api' ? 'all' : new Set(Object.keys(patch as object))) : undefined;
      const { config, plugin } = await parseProviderEntry({ ...current.config, ...(patch as object) }, this.plugins, this.env, managed);
      const instance = current.state === 'active' ? await this.open(config, plugin, options.force) : undefined;
      const source = fromApi ? current.source : (options.source ?? current.source);
      const record = await this.store.update(name, current.version, { ...inputOf(current), config, source, reason: source === current.source ? current.reason : undefined }).catch(async (error: unknown) => {
        await instance?.close();
        throw error;
      });
      return this.applyLocal('provider-configured', record, instance);
    });
  }

  /**
   * Opens an inactive provider after a probe (unless `force`).
   * @throws ConflictError when it is already active; NotFoundError; ProviderUnavailableError
   */
  activate(name: string, options: ProbeOptions = {}): Promise<ProviderRecord> {
    return this.serial(async () => {
      const current = await this.get(name);
      if (current.state === 'active') throw new ConflictError({ message: `provider '${name}' is already active` });
      // A provider the API registered passes the management rules again (its names may resolve elsewhere now).
      const { config, plugin } = await parseProviderEntry({ ...current.config, enabled: true }, this.plugins, this.env, current.source === 'api' ? this.managed('all') : undefined);
      const instance = await this.open(config, plugin, options.force);
      const record = await this.store.update(name, current.version, { ...inputOf(current), config, state: 'active' }).catch(async (error: unknown) => {
        await instance.close();
        throw error;
      });
      return this.applyLocal('provider-activated', record, instance);
    });
  }

  /**
   * Closes an active provider; it stays registered. Its journal entries wait for it.
   * @throws ConflictError when it is already inactive; NotFoundError
   */
  deactivate(name: string): Promise<ProviderRecord> {
    return this.serial(async () => {
      const current = await this.get(name);
      if (current.state === 'inactive') throw new ConflictError({ message: `provider '${name}' is already inactive` });
      const record = await this.store.update(name, current.version, { ...inputOf(current), config: { ...current.config, enabled: false }, state: 'inactive' });
      return this.applyLocal('provider-deactivated', record, undefined);
    });
  }

  /**
   * Removes an inactive provider that has no undelivered writes.
   * @throws ConflictError when it is active or has undelivered writes (the message says which); NotFoundError
   */
  delete(name: string): Promise<void> {
    return this.serial(async () => {
      const current = await this.get(name);
      if (current.state === 'active') throw new ConflictError({ message: `provider '${name}' is active; deactivate it before deleting it` });
      const pending = (await this.options.pendingWrites?.(name)) ?? 0;
      if (pending > 0) {
        throw new ConflictError({ message: `provider '${name}' has ${pending} undelivered write(s) in the journal; activate it until it catches up, or wait for replication, before deleting it` });
      }
      await this.store.remove(name, current.version);
      await this.applyLocal('provider-deleted', null, undefined, name);
    });
  }

  /** Calls `listener` after every change applied here, local or remote. */
  onChange(listener: (event: ProviderChangeEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Stops following the store and closes every open instance. The store is not closed. */
  close(): Promise<void> {
    this.closed = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    return this.serial(async () => {
      const instances = [...this.instances.values()];
      this.instances.clear();
      await Promise.allSettled(instances.map((instance) => instance.close()));
    });
  }

  private async open(config: ProviderConfig, plugin: ProviderPlugin, force = false): Promise<MemoryProviderV1> {
    const instance = createProviderInstance(config, plugin, this.env);
    if (!force) await probeProviderInstance(instance, config);
    return instance;
  }

  /**
   * Opens a stored record without a probe. A record the API wrote passes this process's management
   * rules first (the writer may have been another process, with wider rules or older code), so a
   * module only an API caller named is never imported here; a refused one stays closed and is reported.
   */
  private async openStored(record: ProviderRecord): Promise<MemoryProviderV1 | undefined> {
    try {
      const { plugin } = await parseProviderEntry(record.config, this.plugins, this.env, record.source === 'api' ? this.managed('all') : undefined);
      return createProviderInstance(record.config, plugin, this.env);
    } catch (error) {
      const reason = redactSecretsInText((error as Error).message);
      (this.options.onError ?? ((refusal: Error) => console.warn(refusal.message)))(new Error(`provider '${record.name}' was not opened: ${reason}`, { cause: error }));
      return undefined;
    }
  }

  private managed(fields: ManagedWrite['fields']): ManagedWrite {
    return { fields, management: this.management, lookup: this.options.lookup, dataDir: this.options.dataDir, cwd: this.options.cwd };
  }

  private async applyLocal(type: ProviderChangeType, record: ProviderRecord | null, instance: MemoryProviderV1 | undefined, name = record!.name): Promise<ProviderRecord> {
    await this.swap(name, instance);
    if (record) this.applied.set(name, record.version);
    else this.applied.delete(name);
    this.emit({ type, name, record, origin: 'local' });
    return record!;
  }

  /** Brings this process in line with the stored record (after a remote change, or at start). */
  private async reconcile(name: string, starting = false): Promise<void> {
    // A change queued before close must not reopen what close just closed.
    if (this.closed) return;
    const record = await this.store.get(name);
    const known = this.applied.get(name);
    if (!record) {
      if (known === undefined && !this.instances.has(name)) return;
      await this.swap(name, undefined);
      this.applied.delete(name);
      this.emit({ type: 'provider-deleted', name, record: null, origin: 'remote' });
      return;
    }
    if (known !== undefined && known >= record.version) return;
    const wasActive = this.instances.has(name);
    let instance: MemoryProviderV1 | undefined;
    if (record.state === 'active') {
      // The writer already probed it; a provider that fails here is left to the health monitor.
      instance = await this.openStored(record);
    }
    await this.swap(name, instance);
    this.applied.set(name, record.version);
    if (starting) return;
    const type: ProviderChangeType =
      known === undefined ? 'provider-registered' : wasActive !== (record.state === 'active') ? (wasActive ? 'provider-deactivated' : 'provider-activated') : 'provider-configured';
    this.emit({ type, name, record, origin: 'remote' });
  }

  private async swap(name: string, instance: MemoryProviderV1 | undefined): Promise<void> {
    const previous = this.instances.get(name);
    if (instance) this.instances.set(name, instance);
    else this.instances.delete(name);
    if (!previous || previous === instance) return;
    const retire = this.options.retireInstance;
    if (retire) void Promise.resolve().then(() => retire(previous)).catch(() => undefined);
    else await previous.close().catch(() => undefined);
  }

  private emit(event: ProviderChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not undo a stored change.
      }
    }
  }

  // Transitions and remote changes run one at a time, so an instance is never opened twice.
  private serial<Result>(operation: () => Promise<Result>): Promise<Result> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function notFound(name: string): never {
  throw new NotFoundError({ message: `provider '${name}' does not exist` });
}

function inputOf(record: ProviderRecord): ProviderRecordInput {
  return { config: record.config, state: record.state, source: record.source, reason: record.reason };
}

function checkPatch(patch: unknown): void {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new ValidationError({ field: 'body', message: 'body: expected an object' });
  for (const key of Object.keys(patch)) {
    if (key === 'name') throw new ValidationError({ field: 'name', message: 'name: cannot be changed (register a new provider instead)' });
    if (key === 'enabled') throw new ValidationError({ field: 'enabled', message: 'enabled: use activate or deactivate to change it' });
    if (!mutableFields.includes(key)) throw new ValidationError({ field: key, message: `${key}: unknown field` });
  }
}
