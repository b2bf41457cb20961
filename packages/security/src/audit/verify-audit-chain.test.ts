import { describe, expect, it } from 'vitest';
import { genesisHash, type AuditEntry } from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';
import { computeAuditHash } from './compute-audit-hash.js';
import { createAuditLog } from './create-audit-log.js';
import { createInMemoryAuditStore } from './create-in-memory-audit-store.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const writeChain = async (count: number): Promise<AuditEntry[]> => {
  const store = createInMemoryAuditStore();
  const log = createAuditLog({ store, now: () => Date.UTC(2026, 0, 1) });
  for (let index = 0; index < count; index += 1) await log.record({ action: 'memory.delete', actor: `key-${index}`, outcome: 'success', resourceId: `m${index}` });
  await log.flush();
  return structuredClone([...(await store.list())]);
};

describe('verifyAuditChain', () => {
  it('accepts an intact chain whose first link is the genesis hash', async () => {
    const entries = await writeChain(5);
    expect(entries[0]!.prevHash).toBe(genesisHash);
    expect(verifyAuditChain(entries)).toEqual({ ok: true, count: 5, headHash: entries[4]!.hash });
  });

  it('follows hash_n = SHA-256(hash_{n-1} || canonical_json(entry_n))', async () => {
    const [first] = await writeChain(1);
    const { hash, ...rest } = first!;
    const { createHash } = await import('node:crypto');
    expect(hash).toBe(createHash('sha256').update(genesisHash + canonicalJson(rest)).digest('hex'));
  });

  it('pinpoints an edited entry', async () => {
    const entries = await writeChain(6);
    entries[3]!.actor = 'someone-else';
    expect(verifyAuditChain(entries)).toEqual({ ok: false, index: 3, seq: 4, reason: 'hash-mismatch' });
  });

  it('pinpoints an edited entry whose hash was recomputed: the next link breaks', async () => {
    const entries = await writeChain(6);
    entries[2]!.outcome = 'failure';
    entries[2]!.hash = computeAuditHash(entries[2]!);
    expect(verifyAuditChain(entries)).toEqual({ ok: false, index: 3, seq: 4, reason: 'broken-link' });
  });

  it('pinpoints a removed entry and a reordering', async () => {
    const entries = await writeChain(5);
    expect(verifyAuditChain([...entries.slice(0, 2), ...entries.slice(3)])).toMatchObject({ ok: false, index: 2, seq: 4 });
    expect(verifyAuditChain([entries[0]!, entries[2]!, entries[1]!, entries[3]!])).toMatchObject({ ok: false, index: 1 });
  });

  it('pinpoints a removed tail only against a known head (a chain alone cannot know its end)', async () => {
    const entries = await writeChain(4);
    const result = verifyAuditChain(entries.slice(0, 3));
    expect(result.ok && result.headHash).not.toBe(entries[3]!.hash);
  });

  it('verifies a slice when given the hash before it', async () => {
    const entries = await writeChain(5);
    expect(verifyAuditChain(entries.slice(2), { previousHash: entries[1]!.hash })).toMatchObject({ ok: true, count: 3 });
    expect(verifyAuditChain(entries.slice(2))).toMatchObject({ ok: false, index: 0, reason: 'broken-link' });
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and refuses non-JSON values', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1, y: 2 } })).toBe('{"a":[true,null,"x"],"b":1,"d":{"y":2,"z":1}}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});
