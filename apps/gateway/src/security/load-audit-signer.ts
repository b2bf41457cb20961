import { createAuditCheckpointSigner, loadAuditSigningKey } from '@memgate/security';

/**
 * The signer of the audit chain's checkpoints: the Ed25519 key in `MEMGATE_AUDIT_SIGNING_KEY` (PEM),
 * else `<dataDir>/audit-signing-key.pem`, made on first start (mode 0600). A writer with access to
 * the database alone cannot sign, so it cannot rewrite the chain unnoticed.
 * @throws ValidationError (field `MEMGATE_AUDIT_SIGNING_KEY`) when the variable is not an Ed25519 private key
 */
export async function loadAuditSigner(dataDir: string, env: Readonly<Record<string, string | undefined>>): Promise<ReturnType<typeof createAuditCheckpointSigner>> {
  const privateKeyPem = await loadAuditSigningKey({ directory: dataDir, envValue: env.MEMGATE_AUDIT_SIGNING_KEY || undefined });
  return createAuditCheckpointSigner({ privateKeyPem });
}
