import { ValidationError } from '@memgate/core';

/** Where the store lives, parsed from its URL. */
export type StateLocation = { driver: 'pglite'; dataDir: string | undefined } | { driver: 'pg'; connectionString: string };

/**
 * Parses a store URL: `pglite://memory` (in memory), `pglite://<dir>` (a data directory, relative
 * or absolute: `pglite://./data/state`, `pglite:///var/lib/memgate`), or `postgres://…` /
 * `postgresql://…` (a server).
 * @throws ValidationError (field `url`) for anything else
 */
export function parseStateUrl(url: string): StateLocation {
  if (url.startsWith('pglite://')) {
    const rest = url.slice('pglite://'.length);
    if (rest === '') throw new ValidationError({ field: 'url', message: 'url: pglite:// needs a directory or "memory"' });
    return { driver: 'pglite', dataDir: rest === 'memory' ? undefined : rest };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { driver: 'pg', connectionString: url };
  throw new ValidationError({ field: 'url', message: 'url: expected pglite://<dir>, pglite://memory or postgres://…' });
}

/**
 * The store URL for a gateway: `MEMGATE_STATE_URL` when set, else PGlite in `<dataDir>/state`.
 * @param dataDir the gateway's data directory; default `./.memgate`
 */
export function resolveStateUrl(env: Readonly<Record<string, string | undefined>>, dataDir = './.memgate'): string {
  return env.MEMGATE_STATE_URL || `pglite://${dataDir.replace(/\/$/, '')}/state`;
}
