import pg from 'pg';

/**
 * True when a PostgreSQL server accepts a connection at `url` and answers `SELECT 1` within
 * `timeoutMs` (default 2,000). Never throws; the reason for a `false` is in `onError`.
 */
export async function postgresAnswers(url: string, timeoutMs = 2_000, onError?: (error: unknown) => void): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  // A refused or reset connection is reported here as well as by connect(); without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    onError?.(error);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs one statement on a short-lived connection. */
export async function runStatement(url: string, sql: string, timeoutMs = 10_000): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}
