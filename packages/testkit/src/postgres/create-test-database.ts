import { randomBytes } from 'node:crypto';
import { postgresAnswers, runStatement } from './postgres-answers.js';
import { containerRuntimeAnswers, startPostgresContainer } from './start-postgres-container.js';

/** Options of {@link createTestDatabase}. */
export interface CreateTestDatabaseOptions {
  /** Environment to read `MEMGATE_TEST_PG_URL` and `DATABASE_URL` from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The local server tried when no URL is in the environment. Default `postgres://postgres@127.0.0.1:5432/test`. */
  readonly localUrl?: string;
  /** Fall back to a testcontainers PostgreSQL when a Docker engine answers. Default true. */
  readonly container?: boolean;
  /** Image of that container. Default `postgres:15-alpine`. */
  readonly containerImage?: string;
  /** Prefix of the database's name; letters, digits and `_`. Default `memgate_test`. */
  readonly prefix?: string;
  /** How long to wait for a server to answer, in milliseconds. Default 2,000. */
  readonly connectTimeoutMs?: number;
}

/** A fresh, empty database made for one test file. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  readonly url: string;
  /** Its name, `<prefix>_<16 hex digits>`. */
  readonly name: string;
  /** Where the server came from: the environment, the local server, or a container. */
  readonly source: 'env' | 'local' | 'container';
  /** Drops the database, closing any connections still open on it. Idempotent. */
  drop(): Promise<void>;
}

const defaultLocalUrl = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Creates a uniquely named empty database for a test file and says how to drop it. The server is,
 * in order: `MEMGATE_TEST_PG_URL` or `DATABASE_URL` when set (and then only that one); else the
 * local server at `localUrl` if it answers; else a PostgreSQL container when a Docker engine answers.
 *
 * @example
 * ```ts
 * const database = await createTestDatabase();
 * afterAll(() => database.drop());
 * ```
 * @throws Error naming every server it tried and why each failed; or the server's error when it
 *   refuses `CREATE DATABASE` (the URL's user needs the CREATEDB privilege)
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const { url: serverUrl, source } = await findServer(options);
  const prefix = options.prefix ?? 'memgate_test';
  if (!/^[a-z_][a-z0-9_]*$/i.test(prefix)) throw new Error(`createTestDatabase: prefix ${JSON.stringify(prefix)} must be letters, digits and _`);
  const name = `${prefix}_${randomBytes(8).toString('hex')}`.toLowerCase();
  await runStatement(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    source,
    drop: () => (dropped ??= runStatement(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

async function findServer(options: CreateTestDatabaseOptions): Promise<{ url: string; source: TestDatabase['source'] }> {
  const env = options.env ?? process.env;
  const timeoutMs = options.connectTimeoutMs ?? 2_000;
  const variable = env.MEMGATE_TEST_PG_URL ? 'MEMGATE_TEST_PG_URL' : env.DATABASE_URL ? 'DATABASE_URL' : undefined;
  const reasons: string[] = [];
  const because = (label: string) => (error: unknown) => reasons.push(`${label}: ${error instanceof Error ? error.message || error.name : String(error)}`);
  if (variable) {
    // An explicit URL is a decision: fail loudly rather than quietly test against something else.
    const url = env[variable]!;
    if (await postgresAnswers(url, timeoutMs, because(`${variable} (${redact(url)})`))) return { url, source: 'env' };
    throw new Error(`createTestDatabase: the PostgreSQL server in ${variable} does not answer. ${reasons.join('; ')}`);
  }
  const localUrl = options.localUrl ?? defaultLocalUrl;
  if (await postgresAnswers(localUrl, timeoutMs, because(`local server ${redact(localUrl)}`))) return { url: localUrl, source: 'local' };
  if (options.container === false) reasons.push('testcontainers: switched off by the container option');
  else if (await containerRuntimeAnswers(because('testcontainers (no Docker engine)'))) return { url: (await startPostgresContainer(options.containerImage)).url, source: 'container' };
  throw new Error(
    `createTestDatabase: found no PostgreSQL. Tried MEMGATE_TEST_PG_URL and DATABASE_URL (both unset), then ${reasons.join('; then ')}. ` +
      'Set MEMGATE_TEST_PG_URL to a server whose user may CREATE DATABASE, or start one on 127.0.0.1:5432.',
  );
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}
