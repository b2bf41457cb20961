import type { ProviderPlugin } from '@memgate/core';
import { parsePluginSettings } from '../config/check-provider-entry.js';
import type { ConfigProblem } from '../config/config-problem.js';
import type { ProviderConfig } from '../config/provider-config-schema.js';
import { checkEgressHost, checkEgressUrl, type EgressCheckOptions } from '../egress/egress-policy.js';
import { resolveSecretReferencesDeep, type Environment } from '../secrets/secret-references.js';
import { writesField, type ManagedWrite } from './managed-write.js';

const urlLike = /^[a-z][a-z0-9+.-]*:\/\//i;
const hostKey = /^(host|hostname|hostaddr)$/i;

/**
 * Applies the egress policy to every outbound address the API wrote into an entry: the connection
 * string (when the plugin takes it), every URL-like string in `settings` (a mem0 `baseUrl`, an
 * embedder's `url`, …) and every `host`-named setting. Values are checked resolved (`${ENV}` first).
 * @returns a problem per refused address, at its field path (`connection_string`, `settings.embedder.url`)
 */
export async function checkManagedEgress(config: ProviderConfig, plugin: ProviderPlugin, env: Environment, write: ManagedWrite): Promise<ConfigProblem[]> {
  const egress = write.management.egress;
  const options: EgressCheckOptions = { policy: { allowPrivate: egress.allow_private, allowHosts: egress.allow_hosts }, lookup: write.lookup, dataDir: write.dataDir, cwd: write.cwd };
  const settings = resolveSecretReferencesDeep(config.settings ?? {}, env);
  const connection = resolveSecretReferencesDeep(config.connection_string, env);
  const targets: { path: string; check: () => Promise<string | undefined> }[] = [];
  if (writesField(write, 'connection_string') && parsePluginSettings(plugin, settings, config, connection).connectionKey !== undefined) {
    targets.push({ path: 'connection_string', check: () => checkEgressUrl(connection, options) });
  }
  if (writesField(write, 'settings')) {
    walkStrings(settings, 'settings', '', (path, key, value) => {
      if (urlLike.test(value)) targets.push({ path, check: () => checkEgressUrl(value, options) });
      else if (hostKey.test(key)) targets.push({ path, check: () => checkEgressHost(value, options) });
    });
  }
  const verdicts = await Promise.all(targets.map(async (target) => ({ path: target.path, message: await target.check() })));
  return verdicts.filter((verdict): verdict is ConfigProblem => verdict.message !== undefined);
}

function walkStrings(value: unknown, path: string, key: string, visit: (path: string, key: string, value: string) => void): void {
  if (typeof value === 'string') visit(path, key, value);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, `${path}[${index}]`, key, visit));
  else if (value !== null && typeof value === 'object') for (const [childKey, item] of Object.entries(value)) walkStrings(item, `${path}.${childKey}`, childKey, visit);
}
