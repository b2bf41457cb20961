import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@memgate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-entry.js';
import { computeAuditHash } from './compute-audit-hash.js';
import { createAuditCheckpointSigner } from './create-audit-checkpoint-signer.js';
import { createAuditLog } from './create-audit-log.js';
import { createInMemoryAuditStore } from './create-in-memory-audit-store.js';
import { loadAuditSigningKey } from './load-audit-signing-key.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const newSigner = () => createAuditCheckpointSigner({ privateKeyPem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });

/** A chain of `count` entries written through the log, with a checkpoint every `every` entries. */
async function writtenChain(count: number, every: number) {
  const store = createInMemoryAuditStore();
  const signer = newSigner();
  const log = createAuditLog({ store, batchSize: 5, checkpoint: { signer, everyEntries: every } });
  for (let index = 0; index < count; index += 1) await log.record({ action: 'memory.add', actor: `key-${index % 3}`, outcome: 'success', status: 200, resourceId: `m-${index}` });
  await log.flush();
  return { entries: [...(await store.list({ limit: 10_000 }))], checkpoints: [...(await store.listCheckpoints())], signer, store };
}

/** Recomputes every hash from `from` on, as a writer with database access but no signing key could. */
function rechain(entries: AuditEntry[], from: number): AuditEntry[] {
  const result = entries.map((entry) => ({ ...entry }));
  for (let index = from; index < result.length; index += 1) {
    const prevHash = index === 0 ? result[0]!.prevHash : result[index - 1]!.hash;
    const { hash: _old, ...rest } = { ...result[index]!, prevHash, seq: index + 1 };
    result[index] = { ...rest, hash: computeAuditHash(rest) };
  }
  return result;
}

describe('signed audit checkpoints', () => {
  it('are written every N entries and at flush, and verify with the public key', async () => {
    const { entries, checkpoints, signer } = await writtenChain(23, 10);
    expect(entries).toHaveLength(23);
    // One after each append that brings 10 or more new entries, and one at flush for the rest.
    const seqs = checkpoints.map((checkpoint) => checkpoint.seq);
    expect(seqs.at(-1)).toBe(23);
    seqs.forEach((seq, index) => expect(seq - (seqs[index - 1] ?? 0)).toBeGreaterThanOrEqual(index === seqs.length - 1 ? 1 : 10));
    expect(seqs.length).toBeGreaterThanOrEqual(3);
    expect(verifyAuditChain(entries, { checkpoints, publicKeyPem: signer.publicKeyPem })).toMatchObject({ ok: true, count: 23 });
    expect(verifyAuditChain(entries, { checkpoints, publicKeyPem: newSigner().publicKeyPem })).toMatchObject({ ok: false, reason: 'bad-checkpoint-signature' });
  });

  it('detect every single edit, deletion, reorder and insertion, naming the first bad entry', async () => {
    const { entries, checkpoints, signer } = await writtenChain(40, 10);
    const options = { checkpoints, publicKeyPem: signer.publicKeyPem };
    const last = entries.length - 1;
    await fc.assert(
      fc.property(fc.constantFrom('edit', 'delete', 'reorder', 'insert'), fc.integer({ min: 0, max: last }), (kind, position) => {
        const tampered = entries.map((entry) => ({ ...entry }));
        if (kind === 'edit') tampered[position] = { ...tampered[position]!, actor: 'mallory' };
        if (kind === 'delete') tampered.splice(position, 1);
        // The last entry has no successor: swap it with the one before it (the first bad index is then last - 1).
        const swapAt = Math.min(position, last - 1);
        if (kind === 'reorder') [tampered[swapAt], tampered[swapAt + 1]] = [tampered[swapAt + 1]!, tampered[swapAt]!];
        if (kind === 'insert') tampered.splice(position, 0, { ...tampered[position]!, action: 'key.create' });
        const result = verifyAuditChain(tampered, options);
        if (kind === 'delete' && position === last) {
          // What is left is a valid chain: only the checkpoint of the last seq shows the tail is gone.
          expect(result).toMatchObject({ ok: false, reason: 'truncated', seq: entries[last]!.seq });
          return;
        }
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.index).toBe(kind === 'reorder' ? swapAt : position);
      }),
      { numRuns: 400 },
    );
  });

  it('catch a rewrite that recomputes every hash after it, and a truncated tail', async () => {
    const { entries, checkpoints, signer } = await writtenChain(30, 10);
    const options = { checkpoints, publicKeyPem: signer.publicKeyPem };
    const edited = entries.map((entry, index) => (index === 14 ? { ...entry, actor: 'mallory' } : entry));
    const rewritten = rechain(edited, 14);
    // Without checkpoints the rewrite is a valid chain; the checkpoint at seq 20 catches it, and names where it can start.
    expect(verifyAuditChain(rewritten).ok).toBe(true);
    const lastIntact = Math.max(...checkpoints.map((checkpoint) => checkpoint.seq).filter((seq) => seq <= 14));
    expect(verifyAuditChain(rewritten, options)).toMatchObject({ ok: false, reason: 'checkpoint-mismatch', index: lastIntact });
    expect(verifyAuditChain(entries.slice(0, 25), options)).toMatchObject({ ok: false, reason: 'truncated', seq: 30 });
  });

  it('replace U+0000 in an event, which PostgreSQL could not store', async () => {
    const store = createInMemoryAuditStore();
    const log = createAuditLog({ store });
    await log.record({ action: 'memory.get', actor: 'k', outcome: 'denied', resourceId: 'a\u0000b', details: { path: '/x\u0000' } });
    await log.flush();
    const [entry] = await store.list();
    expect(entry).toMatchObject({ resourceId: 'a\uFFFDb', details: { path: '/x\uFFFD' } });
  });
});

describe('loadAuditSigningKey', () => {
  it('creates the key file once (mode 0600) and reads it back; takes an Ed25519 PEM from the environment and refuses anything else', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'memgate-audit-key-')), 'data');
    const first = await loadAuditSigningKey({ directory });
    expect(statSync(join(directory, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(await loadAuditSigningKey({ directory })).toBe(first);
    expect(readFileSync(join(directory, 'audit-signing-key.pem'), 'utf8')).toBe(first);
    const fromEnv = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await loadAuditSigningKey({ directory, envValue: fromEnv })).toBe(fromEnv);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = await loadAuditSigningKey({ directory, envValue: rsa }).catch((error: unknown) => error);
    expect(ValidationError.isInstance(refused) && refused.field).toBe('MEMGATE_AUDIT_SIGNING_KEY');
  });
});
