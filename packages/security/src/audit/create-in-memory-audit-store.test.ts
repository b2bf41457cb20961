import { describe, expect, it } from 'vitest';
import { createAuditLog } from './create-audit-log.js';
import { createInMemoryAuditStore } from './create-in-memory-audit-store.js';

/** A store holding `count` entries, one a second from 2026-01-01T00:00:00Z, alternating actors and outcomes. */
async function filledStore(count: number) {
  const store = createInMemoryAuditStore();
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const log = createAuditLog({ store, batchSize: 500, now: () => (clock += 1000) - 1000 });
  for (let index = 0; index < count; index += 1) {
    await log.record({ action: index % 3 === 0 ? 'key.create' : 'memory.add', actor: `key-${index % 2}`, outcome: index % 5 === 0 ? 'denied' : 'success', resourceType: 'memory', resourceId: `m-${index % 4}` });
  }
  await log.flush();
  return store;
}

describe('createInMemoryAuditStore query', () => {
  it('applies every filter together, oldest first by seq', async () => {
    const store = await filledStore(30);
    const found = await store.query({ actor: 'key-0', action: 'key.create', outcome: 'success', resourceType: 'memory', resourceId: 'm-2' });
    // index even, divisible by 3, not by 5, index % 4 === 2: 6, 18
    expect(found.map((entry) => entry.seq)).toEqual([7, 19]);
  });

  it('since is inclusive and until exclusive; afterSeq pages on', async () => {
    const store = await filledStore(10);
    const window = await store.query({ since: '2026-01-01T00:00:02.000Z', until: '2026-01-01T00:00:05Z' });
    expect(window.map((entry) => entry.seq)).toEqual([3, 4, 5]);
    expect((await store.query({ afterSeq: 8 })).map((entry) => entry.seq)).toEqual([9, 10]);
  });

  it('returns 100 entries by default and at most 1000', async () => {
    const store = await filledStore(1100);
    expect(await store.query({})).toHaveLength(100);
    expect(await store.query({ limit: 5000 })).toHaveLength(1000);
    expect((await store.query({ limit: 3, afterSeq: 1000 })).map((entry) => entry.seq)).toEqual([1001, 1002, 1003]);
  });
});

describe('createInMemoryAuditStore checkpoints', () => {
  it('lists by seq then key id, and refuses a second checkpoint of a seq by the same key', async () => {
    const store = createInMemoryAuditStore();
    const checkpoint = (seq: number, keyId: string) => ({ seq, hash: 'a'.repeat(64), ts: '2026-01-01T00:00:00.000Z', keyId, signature: 'c2ln' });
    await store.appendCheckpoint(checkpoint(20, 'b'));
    await store.appendCheckpoint(checkpoint(10, 'b'));
    await store.appendCheckpoint(checkpoint(20, 'a'));
    await expect(store.appendCheckpoint(checkpoint(20, 'a'))).rejects.toMatchObject({ name: 'Memory_ConflictError' });
    expect((await store.listCheckpoints()).map(({ seq, keyId }) => `${seq}:${keyId}`)).toEqual(['10:b', '20:a', '20:b']);
  });
});
