import type { MemgateConfigInput } from '../config/memgate-config-schema.js';
import type { RoutingConfig } from '../config/routing-config-schema.js';
import type { ProviderRecord } from '../lifecycle/provider-record.js';
import { hasSecretReference } from '../secrets/secret-references.js';
import { redactSecrets } from '../secrets/redact-secrets.js';

/** Options of {@link exportConfig}. */
export interface ExportConfigOptions {
  /** The `routing` section to write beside the providers (the registry does not own it). */
  readonly routing?: RoutingConfig;
  /** Include providers found by discovery. Default false: a fresh start rediscovers them. */
  readonly includeDiscovered?: boolean;
}

/**
 * Writes the live registry as a config file that `memgate serve --config` reproduces exactly:
 * each provider's entry, with `enabled` matching its state. Secrets stay `${ENV_VAR}` references;
 * a secret stored as a literal is never written out: it becomes a reference to
 * `MEMGATE_<NAME>_<FIELD>` (listed in `requiredEnv`), so set that variable before importing.
 */
export async function exportConfig(registry: { list(): Promise<ProviderRecord[]> }, options: ExportConfigOptions = {}): Promise<{ config: MemgateConfigInput; requiredEnv: string[] }> {
  const requiredEnv: string[] = [];
  const providers = (await registry.list())
    .filter((record) => options.includeDiscovered || record.source !== 'discovered')
    .map((record) => {
      const entry = { ...record.config, enabled: record.state === 'active' };
      return replaceLiteralSecrets(entry, `MEMGATE_${record.name}`, requiredEnv) as typeof entry;
    });
  return { config: { providers, ...(options.routing ? { routing: options.routing } : {}) }, requiredEnv };
}

// Walks the entry beside its redacted copy: wherever redaction changed a value, that value was a secret.
function replaceLiteralSecrets(value: unknown, prefix: string, requiredEnv: string[], path: string[] = []): unknown {
  if (typeof value === 'string') {
    if (hasSecretReference(value) || redactSecrets({ [path.at(-1) ?? '']: value })[path.at(-1) ?? ''] === value) return value;
    const name = `${prefix}_${path.join('_')}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    requiredEnv.push(name);
    return `\${${name}}`;
  }
  if (Array.isArray(value)) return value.map((item, index) => replaceLiteralSecrets(item, prefix, requiredEnv, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceLiteralSecrets(item, prefix, requiredEnv, [...path, key])]));
  }
  return value;
}
