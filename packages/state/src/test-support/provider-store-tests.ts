import { ConflictError, NotFoundError } from '@memgate/core';
import { providerConfigSchema, type ProviderRecordChange } from '@memgate/registry';
import { expect, it } from 'vitest';
import type { StateStore } from '../create-state-store.js';

const config = (name: string) => providerConfigSchema.parse({ name, provider_type: 'memory', connection_string: `memory://${name}`, settings: { apiKey: '${KEY}' } });

/** The ProviderRegistryStore contract, run against each driver. */
export function providerStoreTests(store: () => StateStore): void {
  it('inserts, reads, updates with a version check and removes provider records', async () => {
    const providers = store().providers;
    const inserted = await providers.insert({ config: config('one'), state: 'active', source: 'api' });
    expect(inserted).toMatchObject({ name: 'one', version: 1, state: 'active', source: 'api', config: config('one') });
    await expect(providers.get('one')).resolves.toEqual(inserted);
    const updated = await providers.update('one', 1, { config: { ...config('one'), timeout: 99 }, state: 'inactive', source: 'api' });
    expect(updated).toMatchObject({ version: 2, state: 'inactive', config: { timeout: 99 } });
    expect(updated.createdAt).toBe(inserted.createdAt);
    await providers.remove('one', 2);
    await expect(providers.get('one')).resolves.toBeNull();
  });

  it('refuses a duplicate insert and a stale version with ConflictError, a missing record with NotFoundError', async () => {
    const providers = store().providers;
    await providers.insert({ config: config('two'), state: 'inactive', source: 'discovered', reason: 'DATABASE_URL is set' });
    expect(ConflictError.isInstance(await providers.insert({ config: config('two'), state: 'active', source: 'api' }).catch((error) => error))).toBe(true);
    const stale = await providers.update('two', 7, { config: config('two'), state: 'active', source: 'api' }).then(() => new Error('expected a conflict'), (error: Error) => error);
    expect(ConflictError.isInstance(stale)).toBe(true);
    expect(stale.message).toBe("provider 'two' was changed concurrently (version 1, expected 7)");
    expect(NotFoundError.isInstance(await providers.remove('ghost', 1).catch((error) => error))).toBe(true);
    await expect(providers.get('two')).resolves.toMatchObject({ reason: 'DATABASE_URL is set' });
    await providers.remove('two', 1);
  });

  it('announces every committed change on the feed, and none for a refused one', async () => {
    const providers = store().providers;
    const changes: ProviderRecordChange[] = [];
    // Notifications of earlier tests may still be arriving: keep this test's own.
    const subscription = providers.onChange((change) => change.name === 'three' && changes.push(change));
    await providers.insert({ config: config('three'), state: 'active', source: 'api' });
    await providers.update('three', 1, { config: config('three'), state: 'inactive', source: 'api' });
    await providers.update('three', 1, { config: config('three'), state: 'inactive', source: 'api' }).catch(() => undefined);
    await providers.remove('three', 2);
    await waitFor(() => changes.length >= 3);
    subscription.dispose();
    expect(changes).toEqual([
      { name: 'three', version: 1 },
      { name: 'three', version: 2 },
      { name: 'three', version: null },
    ]);
  });
}

/** Polls `condition` every 10 ms, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 1_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
