import { createPostgresMemoryProvider } from '@memgate/postgres';
import { formatConfigProblems, ProviderPluginSet } from '@memgate/registry';
import { pino } from 'pino';
import { createApp } from '../../app/create-app.js';
import { createAdminKeyAuthenticator } from '../../auth/create-admin-key-authenticator.js';
import { resolveAdminKey } from '../../auth/resolve-admin-key.js';
import { startServer } from '../../server/start-server.js';
import { type CliCommand, CliFailure, CliUsageError } from '../cli-command.js';
import { builtInProviderPlugins } from './built-in-plugins.js';
import { readConfigFile } from './read-config-file.js';
import { resolveServeSettings } from '../serve-settings.js';

const usage = `Usage: memgate serve [options]

Starts the gateway. With nothing configured it serves on 127.0.0.1:8080 with an embedded
PGlite memory store under .memgate/ in the current directory.

Options (each overrides its environment variable, which overrides the config file):
  --port <n>         TCP port (env MEMGATE_PORT; default 8080; 0 picks a free port)
  --host <addr>      interface to listen on (env MEMGATE_HOST; default 127.0.0.1)
  --data-dir <dir>   state directory (env MEMGATE_DATA_DIR; default ./.memgate)
  --config <file>    JSON config file (env MEMGATE_CONFIG): port, host, dataDir, memoryUrl,
                     maxBodyBytes, requestTimeoutMs

Environment:
  MEMGATE_ADMIN_KEY       the admin API key (32+ characters). Unset: a key is generated on
                          first start, printed once, and only its SHA-256 is kept in the data dir
  MEMGATE_MEMORY_URL      postgres://…, pglite://memory or pglite://<dir> (default pglite://<data-dir>/memory)
  MEMGATE_MAX_BODY_BYTES  largest request body (default 1048576); larger ones get 413
  MEMGATE_LOG_LEVEL       pino level (default info)

SIGTERM or SIGINT: stop accepting connections, finish in-flight requests, close the store, exit 0.
`;

/** `memgate serve`: runs the gateway until SIGTERM/SIGINT. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'start the gateway (default 127.0.0.1:8080, PGlite store under .memgate/)',
  usage,
  async run(args, io) {
    const settings = await resolveServeSettings(args, io.env, io.cwd);
    if (settings.configFile) {
      // The whole file at once: serve settings and the registry's sections, every problem listed.
      const report = await readConfigFile(settings.configFile, io.cwd, io.env, new ProviderPluginSet(builtInProviderPlugins)).catch((error: Error) => {
        throw new CliUsageError(error.message);
      });
      if (report.problems.length > 0) throw new CliUsageError(`${settings.configFile} is invalid:\n${formatConfigProblems(report.problems)}`);
    }
    const logger = pino({ level: settings.logLevel, base: { service: 'memgate' } });
    const adminKey = await resolveAdminKey(settings.dataDir, settings.adminKey);
    if (adminKey.generatedKey) {
      // Printed once on stdout, never logged: only its hash is kept.
      io.stdout(`\nmemgate generated an admin API key. It is shown only now; store it safely:\n\n  ${adminKey.generatedKey}\n\nSend it as "Authorization: Token <key>", "Bearer <key>" or "X-API-Key: <key>".\n\n`);
    }
    const memory = createPostgresMemoryProvider({ name: 'default', connectionString: settings.memoryUrl });
    const app = createApp({ memory, authenticator: createAdminKeyAuthenticator(adminKey.hash), maxBodyBytes: settings.maxBodyBytes, requestTimeoutMs: settings.requestTimeoutMs, logger });
    const server = await startServer(app, { host: settings.host, port: settings.port }).catch(async (error: NodeJS.ErrnoException) => {
      await memory.close();
      if (error.code === 'EADDRINUSE') throw new CliFailure(`${settings.host}:${settings.port} is already in use; pick another --port`);
      if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') throw new CliFailure(`cannot listen on ${settings.host}:${settings.port} (${error.code})`);
      throw error;
    });
    logger.info({ url: server.url, dataDir: settings.dataDir, memory: redactUrl(settings.memoryUrl), adminKey: adminKey.source }, 'memgate listening');
    // Providers connect lazily; warm the store now (PGlite needs seconds) so the first request does not pay for it.
    memory.probe({ deadline: Date.now() + 60_000 }).then(
      (probe) => logger.info({ latencyMs: probe.latencyMs }, 'memory store ready'),
      (error: unknown) => logger.warn({ err: error }, 'memory store not ready; /readyz answers 503 until it is'),
    );

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal, inFlight: server.inFlight() }, 'draining');
    // In-flight requests get as long as their own deadline to finish.
    await server.close(settings.requestTimeoutMs + 1_000);
    await memory.close();
    logger.info('memgate stopped');
    return 0;
  },
};

/** Hides a password in a connection URL before it is logged. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
