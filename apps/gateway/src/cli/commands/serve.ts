import { ValidationError } from '@memgate/core';
import { formatConfigProblems, ProviderPluginSet } from '@memgate/registry';
import { pino } from 'pino';
import { composeGateway, type ComposedGateway } from '../../compose/compose-gateway.js';
import { resolveAdminKey } from '../../security/resolve-admin-key.js';
import { shutDownGracefully } from '../../server/shut-down-gracefully.js';
import { loadTlsServerOptions } from '../../server/load-tls-server-options.js';
import { startServer } from '../../server/start-server.js';
import { watchRevocationList } from '../../server/watch-revocation-list.js';
import { type CliCommand, CliFailure, CliUsageError } from '../cli-command.js';
import { builtInProviderPlugins } from './built-in-plugins.js';
import { readConfigFile } from './read-config-file.js';
import { resolveServeSettings } from '../serve-settings.js';

const usage = `Usage: memgate serve [options]

Starts the gateway. With nothing configured it serves on 127.0.0.1:8080 with an embedded
PGlite memory store under .memgate/ in the current directory. The data plane runs over a
failover pool of every active provider (config file, discovery, the registry API).

Options (each overrides its environment variable, which overrides the config file):
  --port <n>         TCP port (env MEMGATE_PORT; default 8080; 0 picks a free port)
  --host <addr>      interface to listen on (env MEMGATE_HOST; default 127.0.0.1)
  --data-dir <dir>   state directory (env MEMGATE_DATA_DIR; default ./.memgate)
  --tls-cert <file>  serve HTTPS with this PEM certificate (chain) (env MEMGATE_TLS_CERT, config tls.cert)
  --tls-key <file>   its PEM private key (env MEMGATE_TLS_KEY, config tls.key)
  --tls-client-ca <file>  ask clients for a certificate signed by this CA; verified ones map to the
                     principals of config tls.identities (env MEMGATE_TLS_CLIENT_CA, config tls.clientCa)
  --tls-crl <file>   the client CA's revocation list (env MEMGATE_TLS_CRL, config tls.crl); the file
                     is checked for changes every 5 s (config tls.crlCheckIntervalMs) and reloaded
                     without a restart
  --config <file>    JSON config file (env MEMGATE_CONFIG): port, host, dataDir, memoryUrl,
                     maxBodyBytes, requestTimeoutMs, shutdownTimeoutMs, shedEventLoopDelayMs,
                     alerts, tls, providers, routing
                     (see apps/gateway/README.md; check it with memgate config validate)

Environment:
  MEMGATE_ADMIN_KEY       the admin API key (32+ characters). Unset: a key is generated on
                          first start, printed once, and only its SHA-256 is kept in the data dir
  MEMGATE_STATE_URL       control-plane store: postgres://… shared by replicas (default pglite://<data-dir>/state)
  MEMGATE_MEMORY_URL      the default provider's store when no provider is configured or discovered:
                          postgres://…, pglite://memory or pglite://<dir> (default pglite://<data-dir>/memories)
  DATABASE_URL, POSTGRES_URL, PG*, MEM0_API_KEY, MEM0_OSS_URL, REDIS_URL: discovered providers
  MEMGATE_MAX_BODY_BYTES  largest request body (default 1048576); larger ones get 413
  MEMGATE_LOG_LEVEL       pino level (default info)
  MEMGATE_SHUTDOWN_TIMEOUT_MS       drain deadline on SIGTERM/SIGINT (default 10000)
  MEMGATE_SHED_EVENT_LOOP_DELAY_MS  data-plane requests get 503 "overloaded" while the event
                                    loop is further behind than this (default 1000; 0: never)
  MEMGATE_RATE_LIMIT_REDIS_URL      keep the shared rate-limit buckets in this Redis (redis:// or
                                    rediss://) instead of the state store (config edge.rateLimitRedisUrl)

SIGTERM or SIGINT: stop accepting connections, answer requests on open connections with 503
"draining" and Connection: close, let every accepted request complete, stop the replicator, close
the stores, exit 0. Requests still running at the deadline are cut and the exit code is 1.
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
    // Before anything starts: a bad certificate or key is the user's to fix (exit 2).
    const tls = settings.tls ? await loadTlsServerOptions(settings.tls) : undefined;
    const logger = pino({ level: settings.logLevel, base: { service: 'memgate' } });
    const adminKey = await resolveAdminKey(settings.dataDir, settings.adminKey);
    if (adminKey.generatedKey) {
      // Printed once on stderr (not into a captured stdout or the log): only its hash is kept.
      io.stderr(`\nmemgate generated an admin API key. It is shown only now; store it safely:\n\n  ${adminKey.generatedKey}\n\nSend it as "Authorization: Token <key>", "Bearer <key>" or "X-API-Key: <key>".\n\n`);
    }
    let gateway: ComposedGateway;
    try {
      gateway = await composeGateway({ settings, env: io.env, cwd: io.cwd, adminKeyHash: adminKey.hash, logger });
    } catch (error) {
      // A config problem found while composing (an unset `${ENV}` of a webhook, say) is the user's to fix: exit 2.
      if (ValidationError.isInstance(error) || /is invalid:/.test((error as Error).message)) throw new CliUsageError((error as Error).message);
      throw new CliFailure(`cannot start: ${(error as Error).message}`);
    }
    const server = await startServer(gateway.app, {
      host: settings.host,
      port: settings.port,
      shedEventLoopDelayMs: settings.shedEventLoopDelayMs,
      onShed: (reason) => gateway.metrics.recordShed(reason),
      ...(tls ? { tls } : {}),
    }).catch(async (error: NodeJS.ErrnoException) => {
      await gateway.close();
      if (error.code === 'EADDRINUSE') throw new CliFailure(`${settings.host}:${settings.port} is already in use; pick another --port`);
      if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') throw new CliFailure(`cannot listen on ${settings.host}:${settings.port} (${error.code})`);
      throw error;
    });
    // A republished revocation list is picked up without a restart (polled; see watchRevocationList).
    const crlWatch = tls && settings.tls?.crl ? watchRevocationList({ settings: { ...settings.tls, crl: settings.tls.crl }, server, logger }) : undefined;
    const memory = gateway.pool;
    const providers = (await gateway.registry.list()).map(({ name, state, source }) => ({ name, state, source }));
    logger.info({ url: server.url, dataDir: settings.dataDir, state: gateway.store.driver, providers, strategy: memory.strategyName, persistence: gateway.persistence, adminKey: adminKey.source }, 'memgate listening');
    // Providers connect lazily; warm the store now (PGlite needs seconds) so the first request does not pay for it.
    memory.probe({ deadline: Date.now() + 60_000 }).then(
      (probe) => logger.info({ latencyMs: probe.latencyMs }, 'memory store ready'),
      (error: unknown) => logger.warn({ err: error }, 'memory store not ready; /readyz answers 503 until it is'),
    );

    // The handlers stay installed: a second signal (npm and a terminal both forward Ctrl-C) must not
    // kill the drain; the shutdown deadline bounds it instead.
    let draining = false;
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const onSignal = (received: NodeJS.Signals): void => {
        if (draining) return logger.info({ signal: received }, 'already draining');
        draining = true;
        resolve(received);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    crlWatch?.dispose();
    logger.info({ signal, inFlight: server.inFlight(), timeoutMs: settings.shutdownTimeoutMs }, 'draining');
    return shutDownGracefully({ server, closeGateway: () => gateway.close(), timeoutMs: settings.shutdownTimeoutMs, logger });
  },
};
