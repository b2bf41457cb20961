import { ProviderUnavailableError, RateLimitedError, ValidationError, wrapMemoryProvider, type MemoryProviderV1 } from '@memgate/core';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import { tenantScopeMiddleware } from '../scope/tenant-scope-middleware.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { validateKeyQuota, type KeyQuota } from './key-quota.js';
import { keyQuotaMiddleware } from './key-quota-middleware.js';
import { createInMemoryQuotaCounterStore, msUntilNextUtcDay, utcDay, type QuotaCounterStore } from './quota-counter-store.js';
import { QuotaExceededError } from './quota-exceeded-error.js';

const noon = Date.parse('2026-12-05T12:00:00Z');
const principal = (quota: KeyQuota, appId = 'acme'): SecurityPrincipal => ({ id: `key-${appId}`, keyId: `key-${appId}`, permissions: ['memory:write', 'memory:read'], scope: { appId }, quota });

let inner: MemoryProviderV1;
let counters: QuotaCounterStore;
let clock: number;
let guarded: MemoryProviderV1;

beforeEach(() => {
  inner = createInMemoryMemoryProvider();
  counters = createInMemoryQuotaCounterStore();
  clock = noon;
  guarded = wrapMemoryProvider(inner, [keyQuotaMiddleware({ counters, now: () => clock }), tenantScopeMiddleware()]);
});

const add = (who: SecurityPrincipal, count = 1) => guarded.add(Array.from({ length: count }, (_, index) => ({ userId: 'u', memory: `m${index}` })), { principal: who });

describe('keyQuotaMiddleware', () => {
  it('refuses the write past memoriesPerDay with a 429-class error until the next UTC midnight, writing nothing', async () => {
    const key = principal({ memoriesPerDay: 3 });
    await add(key, 2);
    await add(key);
    const refused = await add(key).catch((error: unknown) => error);
    expect(QuotaExceededError.isInstance(refused) && RateLimitedError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ quota: 'memoriesPerDay', limit: 3, used: 3, requested: 1, retryAfterMs: 12 * 3_600_000 });
    expect((refused as Error).message).toMatch(/^quota\.memories_per_day: /);
    expect((await inner.list({ type: 'and', filters: [] }, { page: 1, pageSize: 10 })).total).toBe(3);
    // A new UTC day starts a new count.
    clock = Date.parse('2026-12-06T00:00:00Z');
    await expect(add(key, 3)).resolves.toHaveLength(3);
  });

  it('refuses a request that would pass the daily quota as a whole (nothing of it is written)', async () => {
    const key = principal({ memoriesPerDay: 3 });
    await add(key, 2);
    await expect(add(key, 2)).rejects.toMatchObject({ quota: 'memoriesPerDay', used: 2, requested: 2 });
    await expect(add(key, 1)).resolves.toHaveLength(1);
  });

  it('gives back the reservation of an add that fails', async () => {
    const failing: MemoryProviderV1 = { ...inner, add: async () => Promise.reject(new ProviderUnavailableError({ message: 'down', providerId: 'p' })) };
    const broken = wrapMemoryProvider(failing, keyQuotaMiddleware({ counters, now: () => clock }));
    const key = principal({ memoriesPerDay: 2 });
    for (let attempt = 0; attempt < 3; attempt += 1) await expect(broken.add([{ userId: 'u', memory: 'x' }], { principal: key })).rejects.toThrow('down');
    expect(await counters.reserve(key.keyId!, utcDay(clock), 2, 2)).toEqual({ allowed: true, count: 2 });
  });

  it('counts storedMemories within the key scope only, and refuses past it', async () => {
    const key = principal({ storedMemories: 2 });
    await inner.add([{ appId: 'other', memory: 'not acme' }, { appId: 'other', memory: 'nor this' }]);
    await add(key, 2);
    const refused = await add(key).catch((error: unknown) => error);
    expect(refused).toMatchObject({ quota: 'storedMemories', limit: 2, used: 2, requested: 1 });
    expect((refused as Error).message).toMatch(/^quota\.stored_memories: /);
    // Deleting one frees room.
    const [first] = (await guarded.list({ type: 'and', filters: [] }, { page: 1, pageSize: 1 }, { principal: key })).items;
    await guarded.delete(first!.id, { principal: key });
    await expect(add(key)).resolves.toHaveLength(1);
  });

  it('passes a call without a quota through untouched', async () => {
    await expect(add({ id: 'free', permissions: ['*'] }, 5)).resolves.toHaveLength(5);
  });

  it('never lets concurrent reservations pass the daily quota', async () => {
    const key = principal({ memoriesPerDay: 5 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => add(key)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
  });
});

describe('validateKeyQuota and the UTC day', () => {
  it.each([
    [{ memoriesPerDay: 0 }, 'quota.memoriesPerDay'],
    [{ storedMemories: 1.5 }, 'quota.storedMemories'],
    [{}, 'quota'],
  ])('refuses %j naming %s', (quota, field) => {
    const error = (() => {
      try {
        validateKeyQuota(quota);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(ValidationError.isInstance(error) && error.field).toBe(field);
  });

  it('counts to the next UTC midnight', () => {
    expect(utcDay(Date.parse('2026-12-05T23:59:59.999Z'))).toBe('2026-12-05');
    expect(msUntilNextUtcDay(Date.parse('2026-12-05T23:59:59Z'))).toBe(1000);
    expect(msUntilNextUtcDay(Date.parse('2026-12-06T00:00:00Z'))).toBe(86_400_000);
  });
});
