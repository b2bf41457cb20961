import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { aggregateEntitiesByScan, isProviderPlugin, matchAllFilter, ProviderTimeoutError, ProviderUnavailableError, scopeFilter, ValidationError } from '@memgate/core';
import { memoryProviderTestSuite } from '@memgate/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisMemoryProvider } from './redis-provider.js';
import { redisProviderPlugin } from './redis-provider-plugin.js';

// The real Redis on the machine (REDIS_URL overrides it). Every key this file writes carries a
// random prefix, and afterAll removes them all.
const connectionString = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `memgate-test:${randomUUID()}:`;
const createProvider = () => createRedisMemoryProvider({ name: 'redis-test', connectionString, keyPrefix });

memoryProviderTestSuite(it, createProvider);

const admin = new Redis(connectionString, { lazyConnect: true });
afterAll(async () => {
  let cursor = '0';
  for (let round = 0; round < 10_000; round += 1) {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  await admin.quit();
});

/** A TCP server that accepts connections and never answers: a hung Redis. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('redis provider: storage layout', () => {
  it('stores a memory as a hash under the key prefix, indexed per scope id in sorted sets scored by createdAt', async () => {
    const provider = createProvider();
    const scope = { userId: `u-${randomUUID()}`, agentId: `a-${randomUUID()}` };
    const [added] = await provider.add([{ ...scope, memory: 'Keeps bees', metadata: { hives: 2 }, createdAt: '2024-05-06T07:08:09.010Z' }]);
    const hash = await admin.hgetall(`${keyPrefix}m:${added!.id}`);
    expect(hash).toEqual({ memory: 'Keeps bees', metadata: '{"hives":2}', createdAt: added!.createdAt, updatedAt: added!.createdAt, ...scope });
    for (const key of [`${keyPrefix}s:userId:${scope.userId}`, `${keyPrefix}s:agentId:${scope.agentId}`, `${keyPrefix}all`]) {
      expect(Number(await admin.zscore(key, added!.id)), key).toBe(Date.parse('2024-05-06T07:08:09.010Z'));
    }
    await provider.delete(added!.id);
    expect(await admin.exists(`${keyPrefix}m:${added!.id}`, `${keyPrefix}s:userId:${scope.userId}`)).toBe(0);
    expect(await admin.llen(`${keyPrefix}h:${added!.id}`)).toBe(2);
    await provider.close();
  });

  it('lists a single-scope page from the sorted index and a filtered one by scanning, with the same order', async () => {
    const provider = createProvider();
    const scope = { userId: `u-${randomUUID()}` };
    const added = await provider.add([3, 1, 4, 1, 5, 9, 2, 6].map((day, index) => ({ ...scope, memory: `note ${index}`, createdAt: new Date(Date.UTC(2024, 0, day)).toISOString() })));
    const indexed = await provider.list(scopeFilter(scope), { page: 1, pageSize: 100 });
    const scanned = await provider.list({ type: 'and', filters: [scopeFilter(scope), { type: 'condition', field: { kind: 'text' }, operator: 'contains', value: 'note' }] }, { page: 1, pageSize: 100 });
    expect(indexed.total).toBe(added.length);
    expect(scanned.items.map((record) => record.id)).toEqual(indexed.items.map((record) => record.id));
    await provider.close();
  });
});

describe('redis provider: entity index', () => {
  // Each test gets a prefix of its own, so the whole-store listing sees only its memories.
  const isolated = (prefix = `${keyPrefix}entities:${randomUUID()}:`) => createRedisMemoryProvider({ name: 'redis-entities', connectionString, keyPrefix: prefix });
  const scanOf = (provider: ReturnType<typeof isolated>) => aggregateEntitiesByScan(provider.list.bind(provider), matchAllFilter);

  it('answers the whole store from e:<field> and the scope indexes, as the listing scan would, and drops an entity with its last memory', async () => {
    const prefix = `${keyPrefix}entities:${randomUUID()}:`;
    const provider = isolated(prefix);
    expect(await provider.aggregateEntities!(matchAllFilter)).toEqual([]); // builds the (empty) index: the writes below must keep it
    const [kept, gone] = await provider.add([
      { userId: 'alice', agentId: 'planner', memory: 'kept', createdAt: '2025-01-01T00:00:00.000Z' },
      { userId: 'bob', agentId: 'planner', runId: 'r1', memory: 'gone', createdAt: '2025-01-02T00:00:00.000Z' },
    ]);
    await provider.update(kept!.id, { memory: 'kept, revised', updatedAt: '2025-01-03T00:00:00.000Z' });
    expect(await provider.aggregateEntities!(matchAllFilter)).toEqual(await scanOf(provider));
    expect((await admin.smembers(`${prefix}e:userId`)).sort()).toEqual(['alice', 'bob']);
    expect(Number(await admin.zscore(`${prefix}u:userId:alice`, kept!.id))).toBe(Date.parse('2025-01-03T00:00:00.000Z'));
    await provider.delete(gone!.id);
    expect(await admin.smembers(`${prefix}e:userId`)).toEqual(['alice']);
    expect(await admin.exists(`${prefix}u:userId:bob`, `${prefix}e:runId`)).toBe(0);
    const entities = await provider.aggregateEntities!(matchAllFilter);
    expect(entities).toEqual([
      { type: 'user', id: 'alice', memoryCount: 1, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-03T00:00:00.000Z' },
      { type: 'agent', id: 'planner', memoryCount: 1, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-03T00:00:00.000Z' },
    ]);
    expect(entities).toEqual(await scanOf(provider));
    await provider.close();
  });

  it('indexes the memories of a store written before the entity index existed, once, on the first whole-store listing', async () => {
    const prefix = `${keyPrefix}entities:${randomUUID()}:`;
    const provider = createRedisMemoryProvider({ connectionString, keyPrefix: prefix, readBatchSize: 2 });
    const added = await provider.add(Array.from({ length: 5 }, (_, index) => ({ userId: `user-${index % 2}`, appId: 'app', memory: `note ${index}`, createdAt: new Date(Date.UTC(2025, 0, index + 1)).toISOString() })));
    await provider.update(added[0]!.id, { memory: 'note 0, revised', updatedAt: '2025-02-01T00:00:00.000Z' });
    // What an older version left behind: memories and scope indexes, no e:, u: or marker.
    const older = [...(await admin.keys(`${prefix}e:*`)), ...(await admin.keys(`${prefix}u:*`)), `${prefix}entity-index-ready`];
    await admin.del(...older);
    const entities = await provider.aggregateEntities!(matchAllFilter);
    expect(entities).toEqual(await scanOf(provider));
    expect(entities.map(({ type, id, memoryCount, updatedAt }) => [type, id, memoryCount, updatedAt])).toEqual([
      ['user', 'user-0', 3, '2025-02-01T00:00:00.000Z'],
      ['user', 'user-1', 2, '2025-01-04T00:00:00.000Z'],
      ['app', 'app', 5, '2025-02-01T00:00:00.000Z'],
    ]);
    expect(await admin.get(`${prefix}entity-index-ready`)).toBe('1');
    expect(await admin.smembers(`${prefix}e:userId`)).toHaveLength(2);
    await provider.close();
  });

  it('pages a listing of the whole store straight from the index of every memory, newest first', async () => {
    const provider = isolated();
    const added = await provider.add([1, 2, 3, 4, 5].map((day) => ({ userId: `user-${day}`, memory: `day ${day}`, createdAt: new Date(Date.UTC(2025, 0, day)).toISOString() })));
    const page = await provider.list(matchAllFilter, { page: 2, pageSize: 2 });
    expect({ total: page.total, ids: page.items.map((record) => record.id) }).toEqual({ total: 5, ids: [added[2]!.id, added[1]!.id] });
    await provider.close();
  });

  it('answers a filter that narrows the store by reading its memories, like list()', async () => {
    const provider = isolated();
    await provider.add([
      { userId: 'alice', appId: 'acme', memory: 'in' },
      { userId: 'bob', appId: 'globex', memory: 'out' },
    ]);
    const entities = await provider.aggregateEntities!(scopeFilter({ appId: 'acme' }));
    expect(entities.map(({ type, id, memoryCount }) => `${type}:${id}:${memoryCount}`)).toEqual(['user:alice:1', 'app:acme:1']);
    await provider.close();
  });
});

describe('redis provider: connections and failures', () => {
  it('opens no connection when created, and connects on the first call', async () => {
    const { server, port, sockets } = await silentServer();
    const provider = createRedisMemoryProvider({ connectionString: `redis://127.0.0.1:${port}`, keyPrefix });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets).toHaveLength(0);
    // The server accepts but never answers: the call's deadline still ends it.
    const error = await rejection(provider.probe({ deadline: Date.now() + 200 }));
    expect(ProviderTimeoutError.isInstance(error)).toBe(true);
    expect(sockets.length).toBeGreaterThan(0);
    await provider.close();
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => server.close(resolve));
  });

  it('rejects with a retryable ProviderUnavailableError when nothing listens, without echoing the password', async () => {
    const { server, port } = await silentServer();
    await new Promise((resolve) => server.close(resolve));
    const provider = createRedisMemoryProvider({ connectionString: `redis://user:hunter2@127.0.0.1:${port}`, keyPrefix });
    const error = await rejection(provider.add([{ userId: 'u', memory: 'lost' }]));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect((error as ProviderUnavailableError).isRetryable).toBe(true);
    expect((error as Error).message).not.toContain('hunter2');
    await provider.close();
  });

  it('uses an injected client and leaves it open on close()', async () => {
    const client = new Redis(connectionString, { lazyConnect: true });
    const provider = createRedisMemoryProvider({ client, keyPrefix });
    await provider.add([{ userId: `u-${randomUUID()}`, memory: 'through my own client' }]);
    await provider.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('rejects every call after close() with a ProviderUnavailableError', async () => {
    const provider = createProvider();
    await provider.close();
    expect(ProviderUnavailableError.isInstance(await rejection(provider.get(randomUUID())))).toBe(true);
    expect(() => provider.getClient()).toThrow(/closed/);
  });

  it('offers its ioredis client through getClient()', async () => {
    const provider = createProvider();
    expect(await provider.getClient().ping()).toBe('PONG');
    await provider.close();
  });
});

describe('redis provider: settings and plugin', () => {
  it('is a provider plugin of type redis that creates named v1 providers', async () => {
    expect(isProviderPlugin(redisProviderPlugin)).toBe(true);
    const provider = redisProviderPlugin.create(redisProviderPlugin.settingsSchema.parse({ connectionString }), { name: 'cache' });
    expect({ type: provider.type, name: provider.name, version: provider.specificationVersion }).toEqual({ type: 'redis', name: 'cache', version: 'v1' });
    await provider.close();
  });

  it('discovers a provider from REDIS_URL as a reference, never echoing its value', () => {
    expect(redisProviderPlugin.discover?.({})).toEqual([]);
    const [found] = redisProviderPlugin.discover?.({ REDIS_URL: 'redis://user:secret@cache:6379' }) ?? [];
    expect(found).toMatchObject({ name: 'redis', settings: { connectionString: '${REDIS_URL}' }, reason: 'REDIS_URL is set' });
    expect(JSON.stringify(found)).not.toContain('secret');
  });

  it.each([
    [{ colour: 'red' }, 'colour'],
    [{ connectionString: 'http://user:hunter2@cache:6379' }, 'settings.connectionString'],
    [{ keyPrefix: '' }, 'settings.keyPrefix'],
    [{ connectTimeoutMs: -1 }, 'settings.connectTimeoutMs'],
  ])('rejects the settings %j with a ValidationError naming %s', (settings, field) => {
    let caught: unknown;
    try {
      createRedisMemoryProvider(settings as never);
    } catch (error) {
      caught = error;
    }
    expect(ValidationError.isInstance(caught)).toBe(true);
    expect((caught as ValidationError).message).toContain(field);
    expect((caught as ValidationError).message).not.toContain('hunter2');
  });
});
