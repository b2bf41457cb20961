import { parseArgs } from 'node:util';
import { discoverProviders, ProviderPluginSet, redactSecrets, type ProviderConfig } from '@memgate/registry';
import { CliUsageError, type CliCommand } from '../cli-command.js';
import { builtInProviderPlugins } from './built-in-plugins.js';
import { readConfigFile } from './read-config-file.js';

const usage = `Usage: memgate providers discover [--config FILE] [--json]

Shows which providers the environment describes and why, without starting anything:
  DATABASE_URL, POSTGRES_URL or the PG* variables   a PostgreSQL provider
  MEM0_API_KEY (and MEM0_BASE_URL)                  a mem0 Platform provider
  MEM0_OSS_URL (and MEM0_OSS_API_KEY)               a self-hosted mem0 provider
With --config, providers the file declares win over discovery (same name or same connection),
and the overridden discoveries are listed as such. Secrets are never printed.
`;

/** `memgate providers discover`. */
export const providersCommand: CliCommand = {
  name: 'providers',
  summary: 'show the providers discovered from the environment, and why',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'discover') throw new CliUsageError(action === undefined ? 'expected "discover"' : `unknown action "${action}" (expected discover)`);
    let values;
    try {
      ({ values } = parseArgs({ args: [...rest], options: { config: { type: 'string' }, json: { type: 'boolean' } } }));
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
    let explicit: ProviderConfig[] = [];
    if (values.config) {
      const report = await readConfigFile(values.config, io.cwd, io.env, new ProviderPluginSet(builtInProviderPlugins));
      if (!report.registry.config) io.stderr(`${values.config} is invalid (run memgate config validate); showing discovery without it\n`);
      explicit = report.registry.config?.providers ?? [];
    }
    const report = discoverProviders(io.env, builtInProviderPlugins, explicit);
    if (values.json) {
      io.stdout(`${JSON.stringify(redactSecrets(report), null, 2)}\n`);
      return 0;
    }
    const lines: string[] = [];
    for (const found of report.providers) lines.push(`found     ${describe(found.config)}\n          because ${found.reason}`);
    for (const found of report.shadowed) lines.push(`overridden ${describe(found.config)}\n          by "${found.shadowedBy}" in the config (same ${found.sameAs})`);
    for (const failure of report.errors) lines.push(`error     ${failure.type}: ${failure.message}`);
    if (lines.length === 0) lines.push('nothing found: set DATABASE_URL, MEM0_API_KEY or MEM0_OSS_URL, or declare providers in a config file');
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};

function describe(config: ProviderConfig): string {
  return `${config.name} (${config.provider_type}) at ${redactSecrets({ connection_string: config.connection_string }).connection_string}`;
}
