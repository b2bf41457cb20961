import { ConflictError } from '@memgate/core';
import { verifyAuditChain, type AuditEntry } from '@memgate/security';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './create-state-store.js';
import type { KeyChange } from './keys/drizzle-key-store.js';
import { apiKeyRecord, chainAfter, memoryEvent } from './test-support/identity-store-tests.js';
import { waitFor } from './test-support/provider-store-tests.js';

// Two stores on one database: two gateway replicas.
let database: TestDatabase;
let first: StateStore;
let second: StateStore;
beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_identity' });
  [first, second] = await Promise.all([createStateStore({ url: database.url }), createStateStore({ url: database.url })]);
}, 30_000);
afterAll(async () => {
  await Promise.allSettled([first?.close(), second?.close()]);
  await database?.drop();
});

describe('identity stores shared by two replicas on a PostgreSQL server', () => {
  it('a revocation written through one store reaches the other store\'s onRevocation listener within a second', async () => {
    const record = apiKeyRecord({}, { minimal: true });
    await first.keys.insert(record);
    await expect(second.keys.findByHash(record.hash)).resolves.toStrictEqual({ ...record });
    const heard: (KeyChange & { at: number })[] = [];
    const unsubscribe = second.keys.onRevocation((event) => heard.push({ ...event, at: Date.now() }));
    try {
      const started = Date.now();
      await first.keys.update(record.id, { revokedAt: Date.now() });
      await waitFor(() => heard.some((event) => event.id === record.id), 1_000);
      expect(heard.find((event) => event.id === record.id)).toMatchObject({ id: record.id, hash: record.hash });
      expect(heard.find((event) => event.id === record.id)!.at - started).toBeLessThan(1_000);
      await expect(second.keys.findById(record.id)).resolves.toMatchObject({ revokedAt: expect.any(Number) });
    } finally {
      unsubscribe();
    }
  });

  it('after its listening connection is cut, a store tells its listeners to flush every key ({ id: "*", hash: "*" }) and hears later revocations', async () => {
    const heard: KeyChange[] = [];
    const unsubscribe = second.keys.onRevocation((event) => heard.push(event));
    try {
      await first.db.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()");
      await waitFor(() => heard.some((event) => event.id === '*'), 5_000);
      expect(heard.find((event) => event.id === '*')).toEqual({ id: '*', hash: '*' });
      const record = apiKeyRecord({}, { minimal: true });
      await first.keys.insert(record);
      await first.keys.update(record.id, { expiresAt: Date.now() });
      await waitFor(() => heard.some((event) => event.id === record.id), 2_000);
    } finally {
      unsubscribe();
    }
  });

  it('replicas appending to the audit chain at once end with one gapless chain: each append lands whole or gets ConflictError and re-chains', async () => {
    const stores = [first, second, first, second];
    const perWriter = 15;
    let conflicts = 0;
    const before = (await first.audit.head())?.seq ?? 0;
    await Promise.all(
      stores.map(async (store, writer) => {
        for (let batch = 0; batch < perWriter; ) {
          const entries = chainAfter(await store.audit.head(), [
            { action: 'race', actor: `writer-${writer}`, outcome: 'success', details: { batch } },
            { action: 'race', actor: `writer-${writer}`, outcome: 'success', details: { batch, second: true } },
          ]);
          try {
            await store.audit.append(entries);
            batch += 1;
          } catch (error) {
            if (!ConflictError.isInstance(error)) throw error;
            conflicts += 1;
          }
        }
      }),
    );
    const chain: AuditEntry[] = [];
    for (let page = await second.audit.list(); page.length > 0; page = await second.audit.list({ afterSeq: page.at(-1)!.seq })) chain.push(...page);
    expect(chain.map((entry) => entry.seq)).toEqual(Array.from({ length: chain.length }, (_, index) => index + 1));
    expect(chain.length - before).toBe(stores.length * perWriter * 2);
    expect(verifyAuditChain(chain)).toMatchObject({ ok: true, count: chain.length });
    // Each batch landed whole: its two entries are neighbours.
    for (const entry of chain.filter((candidate) => candidate.action === 'race' && candidate.details?.second === undefined)) {
      expect(chain[entry.seq]).toMatchObject({ actor: entry.actor, details: { batch: entry.details!.batch, second: true } });
    }
    // Four writers on two replicas collide: the lock serialised them rather than letting one win silently.
    expect(conflicts).toBeGreaterThan(0);
  }, 30_000);

  it('an event written by one replica answers on the other, to its owner only', async () => {
    const event = memoryEvent('key-a');
    await first.events.save(event);
    await expect(second.events.get(event.id, 'key-a')).resolves.toStrictEqual(event);
    await expect(second.events.get(event.id, 'key-b')).resolves.toBeNull();
  });
});
