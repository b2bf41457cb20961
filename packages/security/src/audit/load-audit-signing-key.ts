import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '@memgate/core';

/** The file, under a directory, that holds the checkpoint signing key. */
export const auditSigningKeyFile = 'audit-signing-key.pem';

/**
 * The Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints: `envValue` when given (e.g.
 * `MEMGATE_AUDIT_SIGNING_KEY`, from a secret manager), else `<directory>/audit-signing-key.pem`,
 * created (mode 0600) on first use.
 * @throws ValidationError (field `MEMGATE_AUDIT_SIGNING_KEY`) when `envValue` is not an Ed25519 private key
 */
export async function loadAuditSigningKey({ directory, envValue }: { directory: string; envValue?: string | undefined }): Promise<string> {
  if (envValue !== undefined) {
    let type: string | undefined;
    try {
      type = createPrivateKey(envValue).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'ed25519') throw new ValidationError({ field: 'MEMGATE_AUDIT_SIGNING_KEY', message: 'MEMGATE_AUDIT_SIGNING_KEY: expected an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)' });
    return envValue;
  }
  const file = join(directory, auditSigningKeyFile);
  const stored = await readFile(file, 'utf8').catch(() => undefined);
  if (stored) return stored;
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await mkdir(directory, { recursive: true });
  // `wx`: two processes starting at once must not overwrite each other's key.
  await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return readFile(file, 'utf8');
}
