import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryError } from '@memgate/core';
import { createFailoverPool, resyncMember } from '@memgate/failover';
import { openProviderRegistry } from '../../providers-api/open-provider-registry.js';
import { CliFailure, CliUsageError, type CliCommand } from '../cli-command.js';

const usage = `Usage: memgate resync <provider> [--source NAME] [--pool NAME] [--config FILE] [--data-dir DIR] [--json]

Copies every memory from a caught-up provider of the pool to <provider> (the source's version wins,
memories the source lacks are deleted), then marks <provider>'s journal backlog delivered. Use it when
a provider fell past the backlog bound (writes got 503) or came back from a long outage.
  --source NAME    the provider to copy from (default: the first caught-up one)
  --pool NAME      the failover pool whose journal to clear (default memgate, the gateway's pool)
  --config FILE    JSON config file (env MEMGATE_CONFIG), as for memgate serve
  --data-dir DIR   state directory (env MEMGATE_DATA_DIR; default ./.memgate)
  --json           print the final report as JSON
The journal lives in the state store (MEMGATE_STATE_URL, else PGlite under the data directory). A
PGlite store can be opened by one process only: stop the gateway first, or share a PostgreSQL store.
`;

/** `memgate resync <provider>`: a full resync of one pool member, with a progress display. */
export const resyncCommand: CliCommand = {
  name: 'resync',
  summary: 'copy every memory to a provider that fell behind, and clear its journal backlog',
  usage,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], allowPositionals: true, options: { source: { type: 'string' }, pool: { type: 'string' }, config: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } } });
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const [member, ...extra] = positionals;
    if (member === undefined || extra.length > 0) throw new CliUsageError('expected one provider name: memgate resync <provider>');
    const configFile = values.config ?? io.env.MEMGATE_CONFIG;
    const opened = await openProviderRegistry({ env: io.env, cwd: io.cwd, dataDir: resolve(io.cwd, values['data-dir'] ?? io.env.MEMGATE_DATA_DIR ?? '.memgate'), ...(configFile ? { configFile } : {}) });
    try {
      const records = (await opened.registry.list()).filter((record) => record.state === 'active' && opened.registry.provider(record.name));
      if (!records.some((record) => record.name === member)) throw new CliUsageError(`no active provider named "${member}" (active: ${records.map((record) => record.name).join(', ') || 'none'})`);
      const pool = createFailoverPool({
        name: values.pool ?? 'memgate',
        providers: records.map((record) => ({ provider: opened.registry.provider(record.name)!, priority: record.config.priority })),
        journal: opened.store.journal,
        closeMembers: false,
        onError: () => {},
      });
      try {
        const started = performance.now();
        const report = await resyncMember(pool, member, {
          ...(values.source ? { source: values.source } : {}),
          onProgress: (progress) => {
            const seconds = (performance.now() - started) / 1000;
            const done = progress.copied + progress.updated + progress.unchanged;
            io.stderr(`resync ${progress.member} from ${progress.source}: ${done} memories (${progress.copied} copied, ${progress.updated} updated, ${progress.deleted} deleted), ${Math.round(done / Math.max(seconds, 0.001))}/s\n`);
          },
        });
        if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        else io.stdout(`resynced ${report.member} from ${report.source} in ${(report.durationMs / 1000).toFixed(1)} s: ${report.copied} copied, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted} deleted; ${report.clearedEntries} journal entries cleared\n`);
        return 0;
      } catch (error) {
        if (MemoryError.isInstance(error)) throw new CliFailure(`resync failed: ${error.message}`);
        throw error;
      } finally {
        await pool.close();
      }
    } finally {
      await opened.close();
    }
  },
};
