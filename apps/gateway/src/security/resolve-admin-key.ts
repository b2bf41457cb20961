import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashApiKey } from '@memgate/security';

/** The file under the data dir that holds the admin key's SHA-256 digest. */
export const adminKeyHashFile = 'admin-key.sha256';

/** What {@link resolveAdminKey} found or made. */
export interface ResolvedAdminKey {
  /** Hex SHA-256 of the admin key. */
  readonly hash: string;
  /** The key in clear, only when it was generated just now (to be printed once). */
  readonly generatedKey?: string;
  /** Where the admin key came from. */
  readonly source: 'env' | 'stored' | 'generated';
}

/**
 * The admin key's digest: from `MEMGATE_ADMIN_KEY` when given (32+ characters, checked by the caller's
 * env schema), else from `<dataDir>/admin-key.sha256`, else a new random key whose digest is stored
 * there (mode 0600) and whose clear text is returned once for printing. The clear key is never written.
 * @throws Error when the data dir cannot be created or written
 */
export async function resolveAdminKey(dataDir: string, envKey: string | undefined): Promise<ResolvedAdminKey> {
  if (envKey !== undefined) return { hash: hashApiKey(envKey), source: 'env' };
  const file = join(dataDir, adminKeyHashFile);
  const stored = await readFile(file, 'utf8').then((text) => text.trim(), () => undefined);
  if (stored && /^[0-9a-f]{64}$/.test(stored)) return { hash: stored, source: 'stored' };
  const key = `mg_admin_${randomBytes(24).toString('base64url')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${hashApiKey(key)}\n`, { mode: 0o600 });
  return { hash: hashApiKey(key), generatedKey: key, source: 'generated' };
}
