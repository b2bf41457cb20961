import { describe, expect, it } from 'vitest';
import { createRoleRegistry } from '../rbac/create-role-registry.js';
import { generateApiKey } from './api-key-format.js';
import { createInMemoryKeyStore } from './create-in-memory-key-store.js';
import { createKeyManager } from './create-key-manager.js';
import type { KeyStore } from './key-store.js';

const setup = (options: { cacheTtlMs?: number; store?: KeyStore } = {}) => {
  const clock = { now: 1_000_000 };
  const store = options.store ?? createInMemoryKeyStore();
  const manager = createKeyManager({ store, now: () => clock.now, ...(options.cacheTtlMs !== undefined ? { cacheTtlMs: options.cacheTtlMs } : {}) });
  return { clock, store, manager };
};

/** Counts lookups on a real in-memory store. */
const countingStore = () => {
  const inner = createInMemoryKeyStore();
  const counts = { findByHash: 0 };
  const store: KeyStore = { ...inner, findByHash: (hash) => ((counts.findByHash += 1), inner.findByHash(hash)) };
  return { store, counts };
};

describe('createKeyManager', () => {
  it('creates a key whose record holds only its digest and prefix, and verifies it to a principal with resolved permissions', async () => {
    const { manager, store } = setup();
    const { key, record } = await manager.create({ name: 'agent', roles: ['writer'], scope: { userId: 'alice' } });
    expect(JSON.stringify(await store.list())).not.toContain(key.slice(8));
    const result = await manager.verify(key);
    expect(result.ok).toBe(true);
    const principal = await manager.authenticate(key);
    expect(principal).toMatchObject({ id: record.id, keyId: record.id, scope: { userId: 'alice' }, authMethods: ['api_key'], roles: ['writer'] });
    expect(principal?.permissions).toEqual(['memory:read', 'memory:write']);
  });

  it('rejects malformed keys before any store lookup, and unknown well-formed keys after one', async () => {
    const { store, counts } = countingStore();
    const { manager } = setup({ store });
    expect(await manager.verify('mg_live_notavalidkey')).toEqual({ ok: false, reason: 'malformed' });
    expect(await manager.verify('x'.repeat(10_000))).toEqual({ ok: false, reason: 'malformed' });
    expect(counts.findByHash).toBe(0);
    expect(await manager.verify(generateApiKey('live').key)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(counts.findByHash).toBe(1);
    expect(await manager.authenticate('garbage')).toBeNull();
  });

  it('refuses a key from its expiry instant on', async () => {
    const { manager, clock } = setup();
    const { key } = await manager.create({ name: 'short', ttlMs: 60_000 });
    clock.now += 59_999;
    expect((await manager.verify(key)).ok).toBe(true);
    clock.now += 1;
    expect(await manager.verify(key)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses a revoked key at once, even while it is cached', async () => {
    const { manager } = setup({ cacheTtlMs: 60_000 });
    const { key, record } = await manager.create({ name: 'cached' });
    expect((await manager.verify(key)).ok).toBe(true);
    await manager.revoke(record.id);
    expect(await manager.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('lets another replica drop its cached key through the store revocation listener', async () => {
    const store = createInMemoryKeyStore();
    const replicaA = setup({ store, cacheTtlMs: 60_000 });
    const replicaB = setup({ store, cacheTtlMs: 60_000 });
    const { key, record } = await replicaA.manager.create({ name: 'shared' });
    expect((await replicaB.manager.verify(key)).ok).toBe(true);
    await replicaA.manager.revoke(record.id);
    expect(await replicaB.manager.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('serves a cached record for at most cacheTtlMs when no revocation notice arrives', async () => {
    const inner = createInMemoryKeyStore();
    // A store whose notices are lost (e.g. a dropped LISTEN connection).
    const deaf: KeyStore = { ...inner, onRevocation: () => () => undefined };
    const { manager, clock } = setup({ store: deaf, cacheTtlMs: 5000 });
    const { key, record } = await manager.create({ name: 'deaf' });
    expect((await manager.verify(key)).ok).toBe(true);
    await inner.update(record.id, { revokedAt: clock.now });
    clock.now += 5000;
    expect(await manager.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('rotates a key: the new one works at once, the old one until the grace period ends', async () => {
    const { manager, clock } = setup();
    const old = await manager.create({ name: 'rotating', roles: ['reader'], scope: { agentId: 'bot' } });
    const rotated = await manager.rotate(old.record.id, { graceMs: 10_000 });
    expect(rotated.key).not.toBe(old.key);
    expect(rotated.previous.replacedBy).toBe(rotated.record.id);
    expect(await manager.authenticate(rotated.key)).toMatchObject({ scope: { agentId: 'bot' }, roles: ['reader'] });
    clock.now += 9_999;
    expect((await manager.verify(old.key)).ok).toBe(true);
    clock.now += 1;
    expect(await manager.verify(old.key)).toMatchObject({ ok: false, reason: 'expired' });
    expect((await manager.verify(rotated.key)).ok).toBe(true);
  });

  it('refuses to rotate a revoked or unknown key', async () => {
    const { manager } = setup();
    const { record } = await manager.create({ name: 'gone' });
    await manager.revoke(record.id);
    await expect(manager.rotate(record.id)).rejects.toMatchObject({ field: 'id' });
    await expect(manager.rotate('no-such-id')).rejects.toMatchObject({ name: 'Memory_NotFoundError' });
  });

  it('names the offending field for bad input', async () => {
    const { manager } = setup();
    await expect(manager.create({ name: '' })).rejects.toMatchObject({ field: 'name' });
    await expect(manager.create({ name: 'x', roles: ['reader', 'wizard'] })).rejects.toMatchObject({ field: 'roles[1]' });
    await expect(manager.create({ name: 'x', scope: { userId: '' } })).rejects.toMatchObject({ field: 'scope.userId' });
    await expect(manager.create({ name: 'x', allowedIps: ['10.0.0.0/8', '300.1.1.1'] })).rejects.toMatchObject({ field: 'allowedIps[1]' });
    await expect(manager.create({ name: 'x', ttlMs: -5 })).rejects.toMatchObject({ field: 'ttlMs' });
  });

  it('resolves custom roles', async () => {
    const roles = createRoleRegistry([{ name: 'janitor', permissions: ['memory:read', 'memory:delete'] }]);
    const manager = createKeyManager({ store: createInMemoryKeyStore(), roles });
    const { key } = await manager.create({ name: 'cleanup', roles: ['janitor'] });
    expect((await manager.authenticate(key))?.permissions).toEqual(['memory:delete', 'memory:read']);
  });
});

describe('createKeyManager audit', () => {
  it('chains key.create, key.rotate and key.revoke with the actor and never the key', async () => {
    const { createAuditLog } = await import('../audit/create-audit-log.js');
    const { createInMemoryAuditStore } = await import('../audit/create-in-memory-audit-store.js');
    const auditStore = createInMemoryAuditStore();
    const audit = createAuditLog({ store: auditStore });
    const manager = createKeyManager({ store: createInMemoryKeyStore(), audit });
    const created = await manager.create({ name: 'audited' }, { actor: 'admin' });
    const rotated = await manager.rotate(created.record.id, { graceMs: 0 }, { actor: 'admin' });
    await manager.revoke(rotated.record.id, { actor: 'admin', requestId: 'req-1' });
    await audit.flush();
    const entries = await auditStore.list();
    expect(entries.map((entry) => [entry.action, entry.actor, entry.resourceId])).toEqual([
      ['key.create', 'admin', created.record.id],
      ['key.rotate', 'admin', created.record.id],
      ['key.revoke', 'admin', rotated.record.id],
    ]);
    expect(JSON.stringify(entries)).not.toContain(created.key.slice(8, 30));
    expect(JSON.stringify(entries)).not.toContain(rotated.key.slice(8, 30));
  });
});
