import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ValidationError } from '@memgate/core';
import type { AuditCheckpoint } from './audit-checkpoint.js';
import { canonicalJson } from './canonical-json.js';

/** Signs checkpoints of the audit chain with one Ed25519 key. */
export interface AuditCheckpointSigner {
  /** The key's id, carried by every checkpoint it signs. */
  readonly keyId: string;
  /** The public key (SPKI PEM): what `verifyAuditChain` needs, and what to publish off the host. */
  readonly publicKeyPem: string;
  /** A signed checkpoint of the head `seq`/`hash` at `ts`. */
  sign(seq: number, hash: string, ts: string): AuditCheckpoint;
}

/**
 * A signer over an Ed25519 private key (PKCS#8 PEM).
 * @throws ValidationError (field `privateKeyPem`) when the PEM is not an Ed25519 private key
 */
export function createAuditCheckpointSigner({ privateKeyPem }: { privateKeyPem: string }): AuditCheckpointSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new ValidationError({ field: 'privateKeyPem', message: 'privateKeyPem: not a private key in PEM', cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ValidationError({ field: 'privateKeyPem', message: `privateKeyPem: expected an Ed25519 key, got ${privateKey.asymmetricKeyType}` });
  const publicKey = createPublicKey(privateKey);
  const keyId = auditKeyId(publicKey);
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(seq, hash, ts) {
      const signature = sign(null, Buffer.from(canonicalJson({ seq, hash, ts, keyId })), privateKey).toString('base64');
      return { seq, hash, ts, keyId, signature };
    },
  };
}

/** The id of a checkpoint key: the first 16 hex characters of the SHA-256 of its public key (SPKI DER). */
export function auditKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** True when the checkpoint's signature verifies with the public key (and names that key). */
export function verifyAuditCheckpoint(checkpoint: AuditCheckpoint, publicKeyPem: string): boolean {
  const publicKey = createPublicKey(publicKeyPem);
  if (checkpoint.keyId !== auditKeyId(publicKey)) return false;
  const { seq, hash, ts, keyId } = checkpoint;
  try {
    return verify(null, Buffer.from(canonicalJson({ seq, hash, ts, keyId })), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}
