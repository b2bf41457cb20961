import { NotFoundError, ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from './api-key-format.js';
import { createInMemoryKeyStore } from './create-in-memory-key-store.js';
import { createKeyManager } from './create-key-manager.js';
import type { KeyRevocationListener, KeyStore } from './key-store.js';

const bootstrapKey = 'the-bootstrap-admin-key-0123456789abcdef';

const setup = (store: KeyStore = createInMemoryKeyStore()) => {
  const clock = { now: 1_000_000 };
  const manager = createKeyManager({ store, now: () => clock.now, bootstrap: { hash: hashApiKey(bootstrapKey), id: 'admin' }, cacheTtlMs: 60_000 });
  return { clock, manager, store };
};

const rejection = async (work: Promise<unknown>): Promise<unknown> => work.then(() => undefined, (error: unknown) => error);

describe('the key manager’s lifecycle', () => {
  it('authenticates the bootstrap key (any string, not the mg_ format) as the one principal holding *, and never lists it', async () => {
    const { manager } = setup();
    expect(await manager.authenticate(bootstrapKey)).toMatchObject({ id: 'admin', permissions: ['*'], roles: ['admin'], authMethods: ['api_key'] });
    expect(await manager.authenticate(`${bootstrapKey}x`)).toBeNull();
    expect(await manager.list()).toEqual([]);
    expect(await manager.get('admin')).toBeNull();
    expect(NotFoundError.isInstance(await rejection(manager.rotate('admin')))).toBe(true);
  });

  it('takes an expiry as an instant, refuses one in the past, and refuses to rotate an expired key', async () => {
    const { manager, clock } = setup();
    const { key, record } = await manager.create({ name: 'short', expiresAt: clock.now + 1000 });
    expect(record.expiresAt).toBe(clock.now + 1000);
    expect((await rejection(manager.create({ name: 'past', expiresAt: clock.now - 1 })) as ValidationError).field).toBe('expires_at');
    clock.now += 1001;
    expect(await manager.verify(key)).toMatchObject({ ok: false, reason: 'expired' });
    const refused = await rejection(manager.rotate(record.id));
    expect(ValidationError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/expired/);
  });

  it('changes roles through update, and the new permissions apply at once (the cached key is dropped)', async () => {
    const { manager } = setup();
    const { key, record } = await manager.create({ name: 'grows', roles: ['reader'] });
    expect((await manager.authenticate(key))?.permissions).toEqual(['memory:read']);
    const updated = await manager.update(record.id, { roles: ['writer'] });
    expect(updated.roles).toEqual(['writer']);
    expect((await manager.authenticate(key))?.permissions).toEqual(['memory:read', 'memory:write']);
    expect(ValidationError.isInstance(await rejection(manager.update(record.id, { roles: ['nobody'] })))).toBe(true);
    expect(NotFoundError.isInstance(await rejection(manager.update('missing', { name: 'x' })))).toBe(true);
  });

  it('drops a key from its cache when another replica announces a change, and every key on a flush notice', async () => {
    const inner = createInMemoryKeyStore();
    const listeners = new Set<KeyRevocationListener>();
    // A store shared with another replica: its notices arrive from outside this manager.
    const shared: KeyStore = { ...inner, onRevocation: (listener) => (listeners.add(listener), () => listeners.delete(listener)) };
    const { manager } = setup(shared);
    const first = await manager.create({ name: 'a' });
    const second = await manager.create({ name: 'b' });
    expect(await manager.authenticate(first.key)).not.toBeNull();
    expect(await manager.authenticate(second.key)).not.toBeNull();
    // The other replica revokes both behind this manager's back; the cache still holds them.
    await inner.update(first.record.id, { revokedAt: 1 });
    await inner.update(second.record.id, { revokedAt: 1 });
    expect(await manager.authenticate(first.key)).not.toBeNull();
    for (const listener of listeners) listener({ id: first.record.id, hash: first.record.hash });
    expect(await manager.authenticate(first.key)).toBeNull();
    expect(await manager.authenticate(second.key)).not.toBeNull();
    for (const listener of listeners) listener({ id: '*', hash: '*' });
    expect(await manager.authenticate(second.key)).toBeNull();
  });

  it('keeps a key\'s quota in its record, on its principal and through rotation, and refuses a bad one naming it', async () => {
    const { manager } = setup();
    const { key, record } = await manager.create({ name: 'quota', quota: { memoriesPerDay: 3, storedMemories: 10 } });
    expect(record.quota).toEqual({ memoriesPerDay: 3, storedMemories: 10 });
    expect((await manager.authenticate(key))?.quota).toEqual({ memoriesPerDay: 3, storedMemories: 10 });
    const rotated = await manager.rotate(record.id);
    expect(rotated.record.quota).toEqual({ memoriesPerDay: 3, storedMemories: 10 });
    expect((await manager.authenticate(rotated.key))?.quota).toEqual({ memoriesPerDay: 3, storedMemories: 10 });
    const refused = await rejection(manager.create({ name: 'bad', quota: { memoriesPerDay: -1 } }));
    expect(ValidationError.isInstance(refused) && refused.field).toBe('quota.memoriesPerDay');
    expect((await manager.create({ name: 'none' })).record).not.toHaveProperty('quota');
  });

  it('revokes only keys that exist', async () => {
    const { manager } = setup();
    expect(NotFoundError.isInstance(await rejection(manager.revoke('missing')))).toBe(true);
  });
});
