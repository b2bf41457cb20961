import type { ManagementConfig } from '../config/management-config-schema.js';
import type { HostLookup } from '../egress/egress-policy.js';

/**
 * An entry (or part of one) written through the management API, and the rules it must pass: the
 * operator's `management` section plus what the egress checks need. Fields not written through the
 * API (the rest of a config-file entry being configured) are trusted.
 */
export interface ManagedWrite {
  /** The top-level entry fields the API wrote (`'all'` for register, or for a record the API created). */
  readonly fields: ReadonlySet<string> | 'all';
  readonly management: ManagementConfig;
  readonly lookup?: HostLookup;
  /** The gateway's data directory, for `pglite://` paths. */
  readonly dataDir?: string;
  /** Where relative `pglite://` paths resolve. */
  readonly cwd?: string;
}

/** True when the API wrote the field a path starts in (`settings.apiKey` → `settings`). */
export function writesField(write: ManagedWrite, path: string): boolean {
  const field = /^[^.[]*/.exec(path)![0];
  return write.fields === 'all' || write.fields.has(field);
}

/** True when the API may name this plugin module: an exact package name on `management.plugin_modules`. */
export function isPluginModuleAllowed(moduleName: string, management: ManagementConfig): boolean {
  return management.plugin_modules.includes(moduleName);
}

/** The one message for every refused `${NAME}` from the API, set or not, so it reveals nothing about the environment. */
export function refusedReferenceMessage(name: string): string {
  return `environment variable ${name} is not available to the management API (it must be listed in management.env_allow_list and set)`;
}
