import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportConfig, formatConfigProblems, ProviderPluginSet } from '@memgate/registry';
import { createStateStore, resolveStateUrl } from '@memgate/state';
import { CliUsageError, type CliCommand, type CliIo } from '../cli-command.js';
import { builtInProviderPlugins } from './built-in-plugins.js';
import { readConfigFile } from './read-config-file.js';

const usage = `Usage: memgate config <validate FILE | export> [options]

  validate FILE   check a config file without starting: every problem is printed as
                  "path: reason" (e.g. providers[1].timeout: expected a positive integer);
                  exit 0 when valid, 1 when not
  export          print the live provider registry as a config file that
                  "memgate serve --config" reproduces; secrets stay \${ENV_VAR} references

Options of export:
  --out <file>        write to a file instead of stdout
  --data-dir <dir>    state directory (env MEMGATE_DATA_DIR; default ./.memgate)
  --state-url <url>   the state store (env MEMGATE_STATE_URL; default pglite://<data-dir>/state).
                      A PGlite store serves one process: stop the gateway first, or use PostgreSQL

Environment: \${ENV_VAR} references in the file are checked against this process's environment.
`;

/** `memgate config validate FILE` and `memgate config export`. */
export const configCommand: CliCommand = {
  name: 'config',
  summary: 'validate a config file, or export the live registry as one',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action === 'validate') return validate(rest, io);
    if (action === 'export') return exportLive(rest, io);
    throw new CliUsageError(action === undefined ? 'expected "validate FILE" or "export"' : `unknown action "${action}" (expected validate or export)`);
  },
};

async function validate(args: readonly string[], io: CliIo): Promise<number> {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0) throw new CliUsageError('config validate takes exactly one FILE');
  let report;
  try {
    report = await readConfigFile(file, io.cwd, io.env, new ProviderPluginSet(builtInProviderPlugins));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 1;
  }
  if (report.problems.length > 0) {
    io.stderr(`${file}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}\n${formatConfigProblems(report.problems)}\n`);
    return 1;
  }
  const names = report.registry.config!.providers.map((entry) => entry.name);
  io.stdout(`${file}: valid (${names.length} provider${names.length === 1 ? '' : 's'}${names.length ? `: ${names.join(', ')}` : ''})\n`);
  return 0;
}

async function exportLive(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { out: { type: 'string' }, 'data-dir': { type: 'string' }, 'state-url': { type: 'string' } } }));
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const dataDir = resolve(io.cwd, values['data-dir'] ?? io.env.MEMGATE_DATA_DIR ?? '.memgate');
  const url = values['state-url'] ?? resolveStateUrl(io.env, dataDir);
  const store = await createStateStore({ url });
  try {
    const { config, requiredEnv } = await exportConfig(store.providers);
    const text = `${JSON.stringify(config, null, 2)}\n`;
    if (values.out) await writeFile(resolve(io.cwd, values.out), text, { mode: 0o600 });
    else io.stdout(text);
    if (requiredEnv.length > 0) {
      io.stderr(`Some secrets were stored as literals; the export refers to them instead. Set before importing:\n${requiredEnv.map((name) => `  ${name}`).join('\n')}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
