import { readFileSync } from 'node:fs';

/** The uid/gid to run PostgreSQL binaries as: `postgres` when we are root (initdb refuses root), else nothing. */
export interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Returns the ids of the OS user `name` (default `postgres`) when this process runs as root, and
 * `undefined` otherwise (then the binaries run as the current user).
 * @throws Error when running as root and the user does not exist
 */
export function postgresOsUser(name = 'postgres'): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`startPostgresCluster: running as root, and initdb refuses root, but there is no OS user "${name}" to run it as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
