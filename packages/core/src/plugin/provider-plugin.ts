import type { z } from 'zod';
import type { MemoryProviderV1 } from '../v1/memory-provider-v1.js';

/** A provider found in the environment by a plugin's `discover`. */
export interface DiscoveredProvider<Settings = unknown> {
  /** Suggested instance name, e.g. `postgres`. */
  readonly name: string;
  /** Settings to pass to `create`; secrets may be `${ENV_VAR}` references. */
  readonly settings: Settings;
  /** Which variables led to it, for `memgate providers discover` (never their secret values). */
  readonly reason: string;
}

/** What a plugin's `create` is told about the instance it makes. */
export interface ProviderPluginContext {
  /** The instance's unique name. */
  readonly name: string;
}

/**
 * How memgate learns a provider type. Each provider package exports one; the registry loads
 * third-party ones by package name (`"module": "@acme/memgate-redis"`).
 */
export interface ProviderPlugin<Settings = any> {
  /** Marks the object as a plugin, so a loader can tell one from any other export. */
  readonly kind: 'memgate-provider-plugin';
  /** The provider type as written in config (`provider_type`), e.g. `postgres`. */
  readonly type: string;
  /** Validates the provider's own settings from config. Unknown fields are errors. */
  readonly settingsSchema: z.ZodType<Settings>;
  /** Creates a provider. Must open no connection and read no secret until first use. */
  create(settings: Settings, context: ProviderPluginContext): MemoryProviderV1;
  /** Finds providers of this type from environment variables. Reads only `env`. */
  discover?(env: Readonly<Record<string, string | undefined>>): DiscoveredProvider<Settings>[];
}

/** Identity helper that types a plugin definition. */
export function defineProviderPlugin<Settings>(plugin: Omit<ProviderPlugin<Settings>, 'kind'>): ProviderPlugin<Settings> {
  return { kind: 'memgate-provider-plugin', ...plugin };
}

/** True when a value (e.g. a module's export) is a {@link ProviderPlugin}. */
export function isProviderPlugin(value: unknown): value is ProviderPlugin {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as ProviderPlugin).kind === 'memgate-provider-plugin' &&
    typeof (value as ProviderPlugin).type === 'string' &&
    typeof (value as ProviderPlugin).create === 'function'
  );
}
