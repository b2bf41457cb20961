import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssuePath } from '@memgate/core';
import { alertsConfigSchema, type AlertsConfig } from '@memgate/registry';
import { z } from 'zod';
import { CliUsageError } from './cli-command.js';
import { tlsConfigSchema, type TlsSettings } from './tls-config-schema.js';
import { edgeConfigSchema, resolveEdgeSettings, type EdgeSettings } from './edge-config-schema.js';

const port = z.coerce.number().int().min(0).max(65535);
const host = z.string().min(1);
/** Milliseconds as a whole number from `minimum` up; env values are strings, so they are coerced. */
const milliseconds = (minimum: number) => z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(minimum, `must be at least ${minimum} (milliseconds)`);

/** The environment `memgate serve` reads, validated at startup. */
export const serveEnvSchema = z.object({
  MEMGATE_PORT: port.optional(),
  MEMGATE_HOST: host.optional(),
  MEMGATE_DATA_DIR: z.string().min(1).optional(),
  MEMGATE_CONFIG: z.string().min(1).optional(),
  MEMGATE_ADMIN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  MEMGATE_MEMORY_URL: z.string().regex(/^(postgres|postgresql|pglite):\/\//, 'must start with postgres://, postgresql:// or pglite://').optional(),
  MEMGATE_MAX_BODY_BYTES: z.coerce.number().int().min(1).optional(),
  MEMGATE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  MEMGATE_SHUTDOWN_TIMEOUT_MS: milliseconds(1).optional(),
  MEMGATE_SHED_EVENT_LOOP_DELAY_MS: milliseconds(0).optional(),
  MEMGATE_TLS_CERT: z.string().min(1).optional(),
  MEMGATE_TLS_KEY: z.string().min(1).optional(),
  MEMGATE_TLS_CLIENT_CA: z.string().min(1).optional(),
  MEMGATE_TLS_CRL: z.string().min(1).optional(),
  MEMGATE_RATE_LIMIT_REDIS_URL: z.string().regex(/^rediss?:\/\/[^/\s]/, 'expected redis://host:port or rediss://host:port').optional(),
});

/**
 * The serve settings of the `--config` JSON file. The same file holds the registry's `providers` and
 * `routing` sections; `memgate serve` validates the whole file (see `readConfigFile`), unknown keys
 * included. Flags and env win over it.
 */
export const serveConfigFileSchema = z.strictObject({
  port: port.optional(),
  host: host.optional(),
  dataDir: z.string().min(1).optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
  requestTimeoutMs: z.number().int().min(1).optional(),
  /** Deadline of the drain on SIGTERM/SIGINT, in milliseconds. Default 10,000. */
  shutdownTimeoutMs: z.int().min(1).optional(),
  /** Data-plane requests get 503 while the event loop is more than this many milliseconds behind; 0 never sheds. Default 1000: the embedded PGlite blocks the loop for hundreds of milliseconds on its own at start. */
  shedEventLoopDelayMs: z.int().min(0).optional(),
  /** Where memories live: `postgres://…`, `pglite://memory` or `pglite://<dir>`. Default `pglite://<dataDir>/memory`. */
  memoryUrl: z.string().regex(/^(postgres|postgresql|pglite):\/\//, 'must start with postgres://, postgresql:// or pglite://').optional(),
  /** Where the health monitor's alerts go (firing and resolved events, HMAC-signed), and the SLOs and threshold rules it evaluates (schema in @memgate/registry). */
  alerts: alertsConfigSchema.optional(),
  /** Days of hourly health trends kept in the state store. Default 7. */
  trendRetentionDays: z.int().positive().optional(),
  /** Days of routing decisions kept in the state store. Default 7. */
  decisionRetentionDays: z.int().positive().optional(),
  /** HTTPS and client certificates (see `tlsConfigSchema`). */
  tls: tlsConfigSchema.optional(),
  /** IP allow-list, trusted proxies and rate limits (see `edgeConfigSchema`). */
  edge: edgeConfigSchema.optional(),
});

/** Everything `memgate serve` needs, resolved from flags, env, config file and defaults (in that order). */
export interface ServeSettings {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the data dir (default `.memgate` in the cwd). */
  readonly dataDir: string;
  readonly adminKey: string | undefined;
  readonly memoryUrl: string;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  /** On SIGTERM/SIGINT, accepted requests get this long to complete (ms); connections still open then are destroyed and the exit code is 1. */
  readonly shutdownTimeoutMs: number;
  /** Data-plane requests get 503 `overloaded` while the event loop is more than this many ms behind; 0 never sheds. */
  readonly shedEventLoopDelayMs: number;
  readonly logLevel: string;
  /** Whether `memoryUrl` was given (env or config) rather than defaulted. */
  readonly memoryUrlGiven: boolean;
  /** The config file's `alerts` section (webhook secrets still as written). */
  readonly alerts: AlertsConfig | undefined;
  /** Absolute path of the `--config` file, when one was given. */
  readonly configFile: string | undefined;
  /** Hourly health trends older than this are pruned (ms). */
  readonly trendRetentionMs: number;
  /** Routing decisions older than this are pruned (ms). */
  readonly decisionRetentionMs: number;
  /** HTTPS (and mTLS with a client CA); `undefined` serves plain HTTP. */
  readonly tls: TlsSettings | undefined;
  /** The config file's `edge` section, with `MEMGATE_RATE_LIMIT_REDIS_URL` applied. */
  readonly edge: EdgeSettings | undefined;
}

function fail(source: string, error: z.ZodError): never {
  const issue = error.issues[0]!;
  // JSON paths as the config validation writes them: `alerts.slos[0].objective`.
  throw new CliUsageError(`invalid ${source}${issue.path.length ? ` ${formatIssuePath(issue.path)}` : ''}: ${issue.message}`);
}

/**
 * Resolves the settings of `memgate serve`.
 * @throws CliUsageError naming the flag, env var or config key at fault
 */
export async function resolveServeSettings(args: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<ServeSettings> {
  let flags;
  try {
    flags = parseArgs({
      args: [...args],
      options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' }, config: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-client-ca': { type: 'string' }, 'tls-crl': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const parsedEnv = serveEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith('MEMGATE_') && value !== '')));
  if (!parsedEnv.success) fail('environment variable', parsedEnv.error);
  const environment = parsedEnv.data;
  const flagPort = flags.port === undefined ? undefined : port.safeParse(flags.port);
  if (flagPort && !flagPort.success) fail('--port', flagPort.error);

  const configPath = flags.config ?? environment.MEMGATE_CONFIG;
  const config = configPath ? await readConfig(resolve(cwd, configPath)) : {};
  const dataDir = resolve(cwd, flags['data-dir'] ?? environment.MEMGATE_DATA_DIR ?? config.dataDir ?? '.memgate');
  return {
    port: flagPort?.data ?? environment.MEMGATE_PORT ?? config.port ?? 8080,
    host: flags.host ?? environment.MEMGATE_HOST ?? config.host ?? '127.0.0.1',
    dataDir,
    adminKey: environment.MEMGATE_ADMIN_KEY,
    memoryUrl: environment.MEMGATE_MEMORY_URL ?? config.memoryUrl ?? `pglite://${resolve(dataDir, 'memories')}`,
    memoryUrlGiven: (environment.MEMGATE_MEMORY_URL ?? config.memoryUrl) !== undefined,
    alerts: config.alerts,
    maxBodyBytes: environment.MEMGATE_MAX_BODY_BYTES ?? config.maxBodyBytes ?? 1024 * 1024,
    requestTimeoutMs: config.requestTimeoutMs ?? 30_000,
    shutdownTimeoutMs: environment.MEMGATE_SHUTDOWN_TIMEOUT_MS ?? config.shutdownTimeoutMs ?? 10_000,
    shedEventLoopDelayMs: environment.MEMGATE_SHED_EVENT_LOOP_DELAY_MS ?? config.shedEventLoopDelayMs ?? 1000,
    logLevel: environment.MEMGATE_LOG_LEVEL ?? 'info',
    configFile: configPath ? resolve(cwd, configPath) : undefined,
    trendRetentionMs: (config.trendRetentionDays ?? 7) * 86_400_000,
    decisionRetentionMs: (config.decisionRetentionDays ?? 7) * 86_400_000,
    tls: resolveTls(flags, environment, config.tls, cwd),
    edge: resolveEdgeSettings(config.edge, environment.MEMGATE_RATE_LIMIT_REDIS_URL),
  };
}

/** Flags over env over the config file; paths made absolute. Both or neither of cert and key. */
function resolveTls(flags: Record<string, string | boolean | undefined>, environment: z.infer<typeof serveEnvSchema>, section: z.infer<typeof tlsConfigSchema> = {}, cwd: string): TlsSettings | undefined {
  const pick = (flag: string, variable: keyof typeof environment, key: keyof typeof section): string | undefined => {
    const value = (flags[flag] as string | undefined) ?? (environment[variable] as string | undefined) ?? (section[key] as string | undefined);
    return value === undefined ? undefined : resolve(cwd, value);
  };
  const cert = pick('tls-cert', 'MEMGATE_TLS_CERT', 'cert');
  const key = pick('tls-key', 'MEMGATE_TLS_KEY', 'key');
  const clientCa = pick('tls-client-ca', 'MEMGATE_TLS_CLIENT_CA', 'clientCa');
  const crl = pick('tls-crl', 'MEMGATE_TLS_CRL', 'crl');
  if (cert === undefined && key === undefined) {
    if (clientCa !== undefined || crl !== undefined || section.identities !== undefined) throw new CliUsageError('invalid --tls-cert (MEMGATE_TLS_CERT, tls.cert): client certificates need HTTPS; give --tls-cert and --tls-key');
    return undefined;
  }
  if (cert === undefined) throw new CliUsageError('invalid --tls-cert (MEMGATE_TLS_CERT, tls.cert): required with --tls-key');
  if (key === undefined) throw new CliUsageError('invalid --tls-key (MEMGATE_TLS_KEY, tls.key): required with --tls-cert');
  if (clientCa === undefined && (section.identities !== undefined || section.clientCertificate !== undefined)) throw new CliUsageError('invalid --tls-client-ca (MEMGATE_TLS_CLIENT_CA, tls.clientCa): required by tls.identities and tls.clientCertificate');
  return { cert, key, clientCa, crl, clientCertificate: section.clientCertificate ?? 'optional', identities: section.identities ?? [], ...(section.crlCheckIntervalMs === undefined ? {} : { crlCheckIntervalMs: section.crlCheckIntervalMs }) };
}

async function readConfig(path: string): Promise<z.infer<typeof serveConfigFileSchema>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  // Only the serve keys are read here; the registry's sections are validated by readConfigFile.
  const serveKeys = new Set(Object.keys(serveConfigFileSchema.shape));
  const section = json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.fromEntries(Object.entries(json).filter(([key]) => serveKeys.has(key))) : json;
  const parsed = serveConfigFileSchema.safeParse(section);
  if (!parsed.success) fail(`config file ${path}:`, parsed.error);
  return parsed.data;
}
