import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '@memgate/core';
import { computeAuditHash, generateApiKey, genesisHash, verifyAuditChain, type ApiKeyRecord, type AuditChainHead, type AuditEntry, type AuditEvent } from '@memgate/security';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { StateStore } from '../create-state-store.js';
import { DrizzleMemoryEventStore, type StoredMemoryEvent } from '../events/drizzle-memory-event-store.js';
import type { KeyChange } from '../keys/drizzle-key-store.js';
import { waitFor } from './provider-store-tests.js';

const unique = (): string => Math.random().toString(36).slice(2, 10);

/** A key record for a freshly generated key, every optional field set unless `minimal`. */
export function apiKeyRecord(overrides: Partial<ApiKeyRecord> = {}, { minimal = false } = {}): ApiKeyRecord & { readonly key: string } {
  const generated = generateApiKey('live');
  // Odd milliseconds: the store must give them back exactly.
  const createdAt = 1_790_000_000_123 + Math.floor(Math.random() * 1_000_000);
  const required = { id: randomUUID(), hash: generated.hash, prefix: generated.prefix, environment: 'live', name: `agent-${unique()}`, roles: ['writer'], permissions: ['memories:read'], createdAt };
  const optional = minimal ? {} : { scope: { userId: 'alice', appId: 'app' }, allowedIps: ['10.0.0.0/8', '::1/128'], rateLimit: { rpm: 600, burst: 60 }, quota: { memoriesPerDay: 1000, storedMemories: 50_000 }, expiresAt: createdAt + 86_400_001, revokedAt: createdAt + 7, replacedBy: randomUUID() };
  // `key` is a non-enumerable passenger: the record itself never carries the plaintext.
  return Object.defineProperty({ ...required, ...optional, ...overrides }, 'key', { value: generated.key, enumerable: false }) as ApiKeyRecord & { readonly key: string };
}

/** Chains `events` after `head` (the store's current head by default), hashing each entry as the security package does. */
export function chainAfter(head: AuditChainHead | null, events: readonly AuditEvent[], ts: (index: number) => string = () => new Date().toISOString()): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? genesisHash;
  return events.map((event, index) => {
    const body = { ...event, seq: (seq += 1), ts: ts(index), prevHash };
    const entry = { ...body, hash: computeAuditHash(body) };
    prevHash = entry.hash;
    return entry;
  });
}

/** An audit event with every optional field, details holding awkward JSON. */
export function fullAuditEvent(actor: string): AuditEvent {
  return {
    action: 'key.create',
    actor,
    authMethod: 'api-key',
    actorIp: '2001:db8::1',
    resourceType: 'api_key',
    resourceId: randomUUID(),
    tenant: 'user:alice',
    outcome: 'success',
    status: 201,
    requestId: `r-${unique()}`,
    details: { nested: { list: [1, 2.5, -3e-7, null, true, 'é😀"\\'], empty: {} }, big: 12345678901234, zero: 0, text: 'line\nbreak\ttab' },
  };
}

/** The KeyStore of a state store: the same checks on every driver. */
export function keyStoreTests(store: () => StateStore): void {
  it('keys: a record comes back deep-equal by hash and by id, optional fields absent when unset, times to the millisecond', async () => {
    const keys = store().keys;
    const full = apiKeyRecord();
    const minimal = apiKeyRecord({}, { minimal: true });
    await keys.insert(full);
    await keys.insert(minimal);
    expect(await keys.findByHash(full.hash)).toStrictEqual({ ...full });
    expect(await keys.findById(full.id)).toStrictEqual({ ...full });
    expect(await keys.findById(minimal.id)).toStrictEqual({ ...minimal });
    expect(Object.keys((await keys.findByHash(minimal.hash))!).sort()).toEqual(['createdAt', 'environment', 'hash', 'id', 'name', 'permissions', 'prefix', 'roles']);
    expect(await keys.findById(`ghost-${unique()}`)).toBeNull();
  });

  it('keys: findByHash matches the full digest only', async () => {
    const keys = store().keys;
    const record = apiKeyRecord();
    await keys.insert(record);
    expect(await keys.findByHash(record.hash.slice(0, 63))).toBeNull();
    expect(await keys.findByHash(`${record.hash.slice(0, 63)}%`)).toBeNull();
    expect(await keys.findByHash(record.hash.toUpperCase())).toBeNull();
    expect(await keys.findByHash(record.key)).toBeNull();
  });

  it('keys: refuses a duplicate id or hash with ConflictError, an unknown id with NotFoundError, a plaintext as hash with ValidationError', async () => {
    const keys = store().keys;
    const record = apiKeyRecord();
    await keys.insert(record);
    const sameId = apiKeyRecord({ id: record.id });
    const sameHash = apiKeyRecord({ hash: record.hash });
    expect(ConflictError.isInstance(await keys.insert(sameId).catch((error: unknown) => error))).toBe(true);
    expect(ConflictError.isInstance(await keys.insert(sameHash).catch((error: unknown) => error))).toBe(true);
    expect(await keys.findById(sameHash.id)).toBeNull();
    expect(NotFoundError.isInstance(await keys.update(`ghost-${unique()}`, { name: 'x' }).catch((error: unknown) => error))).toBe(true);
    const plaintext = apiKeyRecord();
    expect(ValidationError.isInstance(await keys.insert({ ...plaintext, hash: plaintext.key }).catch((error: unknown) => error))).toBe(true);
  });

  it('keys: list is newest first', async () => {
    const keys = store().keys;
    const older = apiKeyRecord({ createdAt: 4_000_000_000_001 });
    const newer = apiKeyRecord({ createdAt: 4_000_000_000_002 });
    await keys.insert(older);
    await keys.insert(newer);
    const listed = await keys.list();
    const ours = listed.filter((record) => record.id === older.id || record.id === newer.id);
    expect(ours).toStrictEqual([{ ...newer }, { ...older }]);
    const times = listed.map((record) => record.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keys: update returns the new record, clears a field set to undefined, and announces { id, hash } only for revokedAt, expiresAt, roles or permissions', async () => {
    const keys = store().keys;
    const record = apiKeyRecord({}, { minimal: true });
    await keys.insert(record);
    const heard: KeyChange[] = [];
    const unsubscribe = keys.onRevocation((event) => event.id === record.id && heard.push(event));
    try {
      const renamed = await keys.update(record.id, { name: 'renamed', replacedBy: 'next' });
      expect(renamed).toStrictEqual({ ...record, name: 'renamed', replacedBy: 'next' });
      await keys.update(record.id, { roles: ['writer'] }); // the same roles: no change, no announcement
      await keys.update(record.id, { roles: ['admin'] });
      await keys.update(record.id, { permissions: ['memories:write'] });
      await keys.update(record.id, { expiresAt: record.createdAt + 5 });
      const revoked = await keys.update(record.id, { revokedAt: record.createdAt + 9, replacedBy: undefined });
      expect(revoked).toStrictEqual({ ...record, name: 'renamed', roles: ['admin'], permissions: ['memories:write'], expiresAt: record.createdAt + 5, revokedAt: record.createdAt + 9 });
      await expect(keys.findById(record.id)).resolves.toStrictEqual(revoked);
      await waitFor(() => heard.length >= 4);
      // Notifications arrive in commit order: none was sent for the rename or the unchanged roles.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual(Array.from({ length: 4 }, () => ({ id: record.id, hash: record.hash })));
    } finally {
      unsubscribe();
    }
  });

  it('keys: no listener hears a refused update, and an unsubscribed listener hears nothing', async () => {
    const keys = store().keys;
    const record = apiKeyRecord({}, { minimal: true });
    await keys.insert(record);
    const heard: KeyChange[] = [];
    const gone: KeyChange[] = [];
    const unsubscribe = keys.onRevocation((event) => event.id === record.id && heard.push(event));
    keys.onRevocation((event) => event.id === record.id && gone.push(event))();
    await expect(keys.update(record.id, { revokedAt: Number.NaN })).rejects.toMatchObject({ field: 'revokedAt' });
    await keys.update(record.id, { revokedAt: record.createdAt + 1 });
    await waitFor(() => heard.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([{ id: record.id, hash: record.hash }]);
    expect(gone).toEqual([]);
    unsubscribe();
  });

  it('keys: a plaintext key never reaches the api_keys table, only its hash and prefix', async () => {
    const keys = store().keys;
    const record = apiKeyRecord();
    await keys.insert(record);
    await keys.update(record.id, { revokedAt: record.createdAt + 1 });
    const dump = (await store().db.execute(sql`select row_to_json(k)::text as row from memgate.api_keys k`)) as unknown as { rows: { row: string }[] };
    const text = dump.rows.map((row) => row.row).join('\n');
    expect(text).toContain(record.hash);
    expect(text).toContain(record.prefix);
    // Neither the key nor its secret part (what follows the display prefix) is anywhere in the table.
    expect(text).not.toContain(record.key);
    expect(text).not.toContain(record.key.slice(record.prefix.length, record.prefix.length + 16));
    // And the column refuses one written beside the store.
    await expect(store().db.execute(sql`update memgate.api_keys set hash = ${record.key} where id = ${record.id}`)).rejects.toThrow();
  });
}

/** The AuditStore of a state store: the same checks on every driver (the chain is shared, so each test chains after the current head). */
export function auditStoreTests(store: () => StateStore): void {
  it('audit: appended entries come back deep-equal, verify as a chain, and move the head', async () => {
    const audit = store().audit;
    const head = await audit.head();
    const actor = `actor-${unique()}`;
    const entries = chainAfter(head, [fullAuditEvent(actor), { action: 'auth.failure', actor, outcome: 'failure' }, { action: 'memory.delete', actor, outcome: 'denied', details: {} }]);
    await audit.append(entries);
    expect(await audit.head()).toEqual({ seq: entries[2]!.seq, hash: entries[2]!.hash });
    const read = await audit.list({ afterSeq: head?.seq ?? 0 });
    expect(read).toStrictEqual(entries);
    expect(verifyAuditChain(read, head ? { previousHash: head.hash, firstSeq: head.seq + 1 } : {})).toEqual({ ok: true, count: 3, headHash: entries[2]!.hash });
    // The whole stored chain verifies from genesis.
    const whole: AuditEntry[] = [];
    for (let page = await audit.list({ limit: 1000 }); page.length > 0; page = await audit.list({ afterSeq: page.at(-1)!.seq, limit: 1000 })) whole.push(...page);
    expect(verifyAuditChain(whole).ok).toBe(true);
    expect(await audit.list({ afterSeq: head?.seq ?? 0, limit: 2 })).toStrictEqual(entries.slice(0, 2));
  });

  it('audit: refuses a batch that does not follow the head with ConflictError, and writes none of a refused batch', async () => {
    const audit = store().audit;
    const head = await audit.head();
    const actor = `actor-${unique()}`;
    const [first] = chainAfter(head, [{ action: 'a', actor, outcome: 'success' }]);
    await audit.append([first!]);
    const now = { seq: first!.seq, hash: first!.hash };
    // A replay of the same seq, a gap, and the right seq on the wrong prevHash.
    for (const batch of [chainAfter(head, [{ action: 'b', actor, outcome: 'success' }]), chainAfter({ seq: now.seq + 1, hash: now.hash }, [{ action: 'c', actor, outcome: 'success' }]), chainAfter({ seq: now.seq, hash: genesisHash.replace(/0$/, '1') }, [{ action: 'd', actor, outcome: 'success' }])]) {
      expect(ConflictError.isInstance(await audit.append(batch).catch((error: unknown) => error))).toBe(true);
    }
    // All or none: the second entry is one PostgreSQL refuses (U+0000 in text).
    const halfBad = chainAfter(now, [{ action: 'e', actor, outcome: 'success' }, { action: 'f\u0000', actor, outcome: 'success' }]);
    await expect(audit.append(halfBad)).rejects.toThrow();
    // A batch that is not a chain in itself.
    const [x, y] = chainAfter(now, [{ action: 'g', actor, outcome: 'success' }, { action: 'h', actor, outcome: 'success' }]);
    expect(ValidationError.isInstance(await audit.append([x!, { ...y!, seq: y!.seq + 1 }]).catch((error: unknown) => error))).toBe(true);
    expect(await audit.head()).toEqual(now);
    expect(await audit.query({ actor })).toStrictEqual([first]);
    await audit.append([]);
    expect(await audit.head()).toEqual(now);
  });

  it('audit: two appends racing from the same head: one lands, the other gets ConflictError', async () => {
    const audit = store().audit;
    const head = await audit.head();
    const actor = `actor-${unique()}`;
    const one = chainAfter(head, [{ action: 'one', actor, outcome: 'success' }, { action: 'one', actor, outcome: 'success' }]);
    const two = chainAfter(head, [{ action: 'two', actor, outcome: 'success' }]);
    const results = await Promise.allSettled([audit.append(one), audit.append(two)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(ConflictError.isInstance(rejected?.reason)).toBe(true);
    const stored = await audit.list({ afterSeq: head?.seq ?? 0 });
    expect([one, two]).toContainEqual(stored);
  });

  it('audit: query filters by actor, action, outcome, resource, time (since inclusive, until exclusive) and afterSeq, oldest first, limit 100 by default and 1000 at most', async () => {
    const audit = store().audit;
    const actor = `actor-${unique()}`;
    const other = `other-${unique()}`;
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const events: AuditEvent[] = [
      { action: 'key.create', actor, outcome: 'success', resourceType: 'api_key', resourceId: 'k1' },
      { action: 'key.revoke', actor, outcome: 'success', resourceType: 'api_key', resourceId: 'k1' },
      { action: 'key.create', actor: other, outcome: 'denied', resourceType: 'api_key', resourceId: 'k2' },
      { action: 'memory.delete', actor, outcome: 'failure', resourceType: 'memory', resourceId: 'm1' },
    ];
    const entries = chainAfter(await audit.head(), events, (index) => new Date(base + index * 1000).toISOString());
    await audit.append(entries);
    const [e0, e1, e2, e3] = entries;
    const ours = (found: readonly AuditEntry[]) => found.filter((entry) => entries.some((candidate) => candidate.seq === entry.seq));
    expect(await audit.query({ actor })).toStrictEqual([e0, e1, e3]);
    expect(ours(await audit.query({ action: 'key.create' }))).toStrictEqual([e0, e2]);
    expect(await audit.query({ actor, outcome: 'failure' })).toStrictEqual([e3]);
    expect(ours(await audit.query({ resourceType: 'api_key', resourceId: 'k1' }))).toStrictEqual([e0, e1]);
    expect(await audit.query({ actor: other, resourceType: 'api_key' })).toStrictEqual([e2]);
    expect(ours(await audit.query({ since: entries[1]!.ts, until: entries[3]!.ts }))).toStrictEqual([e1, e2]);
    // The same instants written another way select the same entries.
    expect(ours(await audit.query({ since: '2030-01-01T01:00:01+01:00', until: '2030-01-01T00:00:03Z' }))).toStrictEqual([e1, e2]);
    expect(await audit.query({ actor, afterSeq: e0!.seq })).toStrictEqual([e1, e3]);
    expect(await audit.query({ actor, limit: 2 })).toStrictEqual([e0, e1]);
    expect(await audit.query({ actor: `nobody-${unique()}` })).toEqual([]);
    await expect(audit.query({ since: 'yesterday' })).rejects.toMatchObject({ field: 'since' });
    await expect(audit.query({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    // Defaults and bounds.
    const many = chainAfter(await audit.head(), Array.from({ length: 1005 }, () => ({ action: 'bulk', actor: `bulk-${actor}`, outcome: 'success' as const })));
    await audit.append(many);
    expect(await audit.query({ actor: `bulk-${actor}` })).toHaveLength(100);
    const capped = await audit.query({ actor: `bulk-${actor}`, limit: 5000 });
    expect(capped).toHaveLength(1000);
    expect(capped).toStrictEqual(many.slice(0, 1000));
  });

  it('audit: checkpoints are stored as given, listed by seq, and never twice for one seq and key', async () => {
    const audit = store().audit;
    const seq = 1_000_000 + Math.floor(Math.random() * 1_000_000);
    const later = { seq: seq + 1, hash: 'b'.repeat(64), ts: '2030-01-01T00:00:00.123Z', keyId: 'k1', signature: 'sig-2' };
    const earlier = { seq, hash: 'a'.repeat(64), ts: '2030-01-01T00:00:00.000+00:00', keyId: 'k1', signature: 'sig-1' };
    const otherKey = { ...earlier, keyId: 'k2', signature: 'sig-1b' };
    await audit.appendCheckpoint(later);
    await audit.appendCheckpoint(earlier);
    await audit.appendCheckpoint(otherKey);
    expect((await audit.listCheckpoints()).filter((checkpoint) => checkpoint.seq === seq || checkpoint.seq === seq + 1)).toStrictEqual([earlier, otherKey, later]);
    expect(ConflictError.isInstance(await audit.appendCheckpoint({ ...earlier, signature: 'forged' }).catch((error: unknown) => error))).toBe(true);
  });

  it('audit: the database itself refuses UPDATE, DELETE and TRUNCATE of entries and checkpoints', async () => {
    const audit = store().audit;
    const [entry] = chainAfter(await audit.head(), [{ action: 'kept', actor: `actor-${unique()}`, outcome: 'success' }]);
    await audit.append([entry!]);
    const db = store().db;
    await expect(db.execute(sql`update memgate.audit_entries set actor = 'mallory' where seq = ${entry!.seq}`)).rejects.toThrow();
    await expect(db.execute(sql`delete from memgate.audit_entries where seq = ${entry!.seq}`)).rejects.toThrow();
    await expect(db.execute(sql`truncate memgate.audit_entries`)).rejects.toThrow();
    const refused = await db.execute(sql`delete from memgate.audit_entries`).catch((error: unknown) => error);
    expect(String((refused as { cause?: { message?: string } }).cause?.message ?? refused)).toContain('append-only');
    expect(await audit.query({ actor: entry!.actor })).toStrictEqual([entry]);
    await audit.appendCheckpoint({ seq: entry!.seq, hash: entry!.hash, ts: entry!.ts, keyId: `key-${unique()}`, signature: 's' });
    await expect(db.execute(sql`update memgate.audit_checkpoints set signature = 'forged'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from memgate.audit_checkpoints`)).rejects.toThrow();
    await expect(db.execute(sql`truncate memgate.audit_checkpoints`)).rejects.toThrow();
    expect((await audit.listCheckpoints()).some((checkpoint) => checkpoint.seq === entry!.seq && checkpoint.signature === 's')).toBe(true);
  });
}

/** A finished write event. */
export function memoryEvent(owner: string, overrides: Partial<StoredMemoryEvent> = {}): StoredMemoryEvent {
  return {
    id: randomUUID(),
    type: 'ADD',
    status: 'SUCCEEDED',
    payload: { messages: [{ role: 'user', content: 'I like tea' }], user_id: 'alice', metadata: { n: 1.5, none: null } },
    results: [{ id: randomUUID(), event: 'ADD', memory: 'likes tea' }],
    startedAt: '2030-01-01T00:00:00.001Z',
    completedAt: new Date().toISOString(),
    owner,
    ...overrides,
  };
}

/** The memory event store of a state store: the same checks on every driver. */
export function eventStoreTests(store: () => StateStore): void {
  it('events: an event comes back deep-equal to its owner, to no other key, and null when unknown', async () => {
    const events = store().events;
    const owner = `key-${unique()}`;
    const succeeded = memoryEvent(owner);
    const failed = memoryEvent(owner, { type: 'DELETE', status: 'FAILED', error: 'provider down', results: [], payload: null, startedAt: '2030-01-01T00:00:00+00:00' });
    await events.save(succeeded);
    await events.save(failed);
    expect(await events.get(succeeded.id, owner)).toStrictEqual(succeeded);
    expect(await events.get(succeeded.id)).toStrictEqual(succeeded);
    expect(await events.get(failed.id, owner)).toStrictEqual(failed);
    expect(await events.get(succeeded.id, `key-${unique()}`)).toBeNull();
    expect(await events.get(randomUUID(), owner)).toBeNull();
  });

  it('events: the same owner may save an id again (replaced); another owner gets ConflictError', async () => {
    const events = store().events;
    const owner = `key-${unique()}`;
    const event = memoryEvent(owner);
    await events.save(event);
    await events.save({ ...event, status: 'FAILED', error: 'late' });
    expect(await events.get(event.id)).toStrictEqual({ ...event, status: 'FAILED', error: 'late' });
    expect(ConflictError.isInstance(await events.save({ ...event, owner: 'intruder' }).catch((error: unknown) => error))).toBe(true);
    expect(await events.get(event.id, owner)).toMatchObject({ owner });
  });

  it('events: strings PostgreSQL cannot hold are kept as U+FFFD', async () => {
    const events = store().events;
    const event = memoryEvent(`key-${unique()}`, { payload: { text: 'a\u0000b\uD800c' } });
    await events.save(event);
    expect((await events.get(event.id))?.payload).toEqual({ text: 'a\uFFFDb\uFFFDc' });
  });

  it('events: past retention an event is not returned, and a save prunes at most once a minute', async () => {
    let now = Date.parse('2031-06-01T00:00:00.000Z');
    const events = new DrizzleMemoryEventStore(store().db, { retentionMs: 60_000, now: () => now });
    const owner = `key-${unique()}`;
    const count = async () => ((await store().db.execute(sql`select count(*)::int as n from memgate.memory_events where owner = ${owner}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    const old = memoryEvent(owner, { completedAt: new Date(now - 120_000).toISOString() });
    const fresh = memoryEvent(owner, { completedAt: new Date(now - 1_000).toISOString() });
    await events.save(old); // prunes (the first save): old is past retention already
    expect(await count()).toBe(0);
    await events.save(old); // within the minute: no pruning
    await events.save(fresh);
    expect(await count()).toBe(2);
    expect(await events.get(old.id, owner)).toBeNull();
    expect(await events.get(fresh.id, owner)).toStrictEqual(fresh);
    now += 61_000;
    await events.save(memoryEvent(owner, { completedAt: new Date(now).toISOString() }));
    expect(await count()).toBe(1);
    expect(await events.get(fresh.id, owner)).toBeNull();
    await expect(events.save(memoryEvent(owner, { completedAt: 'later' }))).rejects.toMatchObject({ field: 'completedAt' });
    expect(() => new DrizzleMemoryEventStore(store().db, { retentionMs: 0 })).toThrow(/retentionMs/);
  });
}
