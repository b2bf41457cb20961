import { aggregateEntitiesByScan, matchAllFilter, NotFoundError, parseMemoryFilter, wrapMemoryProvider, type MemoryProviderV1 } from '@memgate/core';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { tenantScopeMiddleware, type OutOfScopeEvent } from './tenant-scope-middleware.js';
import type { TenantScope } from './tenant-scope.js';

const users = ['acme-1', 'acme-2', 'acmex', 'globex'];
const apps = ['acme', 'globex'];
const principal = (scope: TenantScope): SecurityPrincipal => ({ id: 'k', permissions: ['memory:read', 'memory:write', 'memory:delete'], scope });

let inner: MemoryProviderV1;
let scoped: MemoryProviderV1;
let outOfScope: OutOfScopeEvent[];
const ids = new Map<string, string>();

beforeEach(async () => {
  inner = createInMemoryMemoryProvider();
  outOfScope = [];
  scoped = wrapMemoryProvider(inner, tenantScopeMiddleware({ onOutOfScope: (event) => outOfScope.push(event) }));
  ids.clear();
  for (const userId of users) {
    for (const appId of apps) {
      const [record] = await inner.add([{ userId, appId, memory: `${userId} at ${appId}` }]);
      ids.set(`${userId}/${appId}`, record!.id);
    }
  }
});

describe('tenantScopeMiddleware', () => {
  it('passes calls without a bound principal through untouched', async () => {
    const listed = await scoped.list(parseMemoryFilter({ user_id: '*' }), { page: 1, pageSize: 100 }, { principal: { id: 'admin', permissions: ['*'] } });
    expect(listed.items).toHaveLength(8);
  });

  it('fills a bound id into adds, and refuses an add that names another tenant or no id of a prefix binding', async () => {
    const [added] = await scoped.add([{ userId: 'acme-9', memory: 'x' }], { principal: principal({ appId: 'acme' }) });
    expect(added).toMatchObject({ userId: 'acme-9', appId: 'acme' });
    await expect(scoped.add([{ userId: 'acme-9', appId: 'globex', memory: 'x' }], { principal: principal({ appId: 'acme' }) })).rejects.toSatisfy(ForbiddenError.isInstance);
    await expect(scoped.add([{ appId: 'acme', memory: 'x' }], { principal: principal({ userId: 'acme-*' }) })).rejects.toSatisfy(ForbiddenError.isInstance);
    await expect(scoped.add([{ userId: 'acmex', memory: 'x' }], { principal: principal({ userId: 'acme-*' }) })).rejects.toSatisfy(ForbiddenError.isInstance);
    expect(await scoped.add([{ userId: 'acme-3', memory: 'x' }], { principal: principal({ userId: 'acme-*' }) })).toHaveLength(1);
  });

  it('answers a get, update, delete or history of a memory outside the scope like a missing one, and reports it', async () => {
    const options = { principal: principal({ userId: 'acme-*' }) };
    const foreign = ids.get('acmex/acme')!;
    expect(await scoped.get(foreign, options)).toBeNull();
    await expect(scoped.update(foreign, { memory: 'overwritten' }, options)).rejects.toSatisfy(NotFoundError.isInstance);
    await expect(scoped.delete(foreign, options)).rejects.toSatisfy(NotFoundError.isInstance);
    await expect(scoped.history(foreign, options)).rejects.toSatisfy(NotFoundError.isInstance);
    expect(outOfScope.map((event) => event.operation)).toEqual(['get', 'update', 'delete', 'history']);
    expect((await inner.get(foreign))?.memory).toBe('acmex at acme');
    const own = ids.get('acme-1/globex')!;
    expect((await scoped.update(own, { memory: 'mine' }, options)).memory).toBe('mine');
    await scoped.delete(own, options);
    expect((await scoped.history(own, options)).map((event) => event.event)).toEqual(['ADD', 'UPDATE', 'DELETE']);
    await expect(scoped.history(ids.get('globex/acme')!, options)).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('pages and counts only the tenant’s memories under a prefix binding (the total tells nothing of others)', async () => {
    const options = { principal: principal({ userId: 'acme-*' }) };
    const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => scoped.list(parseMemoryFilter({ app_id: '*' }), { page, pageSize: 1 }, options)));
    expect(pages.map((listed) => listed.total)).toEqual([4, 4, 4, 4, 4]);
    expect(pages.map((listed) => listed.items[0]?.userId)).toEqual([...pages.slice(0, 4).map((listed) => listed.items[0]!.userId), undefined]);
    expect(new Set(pages.slice(0, 4).map((listed) => listed.items[0]!.id)).size).toBe(4);
    expect(pages.slice(0, 4).every((listed) => listed.items[0]!.userId!.startsWith('acme-'))).toBe(true);
  });

  it('confines delete-alls to the scope', async () => {
    expect(await scoped.deleteAll({ userId: 'acme-1' }, { principal: principal({ appId: 'acme' }) })).toEqual({ deleted: 1 });
    expect(await inner.get(ids.get('acme-1/globex')!)).not.toBeNull();
    await expect(scoped.deleteAll({ appId: 'acme' }, { principal: principal({ userId: 'acme-*' }) })).rejects.toSatisfy(ForbiddenError.isInstance);
  });

  it('never returns or changes a memory outside the scope, whatever the filter (*, ne, in, OR, NOT)', async () => {
    const scopes: TenantScope[] = [{ appId: 'acme' }, { userId: 'acme-*' }, { userId: 'acme-*', appId: 'globex' }];
    const value = fc.constantFrom(...users, ...apps, 'acme-*');
    const condition = fc.oneof(
      fc.tuple(fc.constantFrom('user_id', 'app_id'), value).map(([field, wanted]) => ({ [field]: wanted })),
      fc.tuple(fc.constantFrom('user_id', 'app_id'), value).map(([field, wanted]) => ({ [field]: { ne: wanted } })),
      fc.tuple(fc.constantFrom('user_id', 'app_id'), fc.array(value, { minLength: 1, maxLength: 3 })).map(([field, values]) => ({ [field]: { in: values } })),
      fc.constantFrom('user_id', 'app_id').map((field) => ({ [field]: '*' })),
    );
    const filter = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, condition, fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((filters) => ({ OR: filters })), tie('node').map((node) => ({ NOT: node }))),
    })).node;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...scopes), filter, fc.boolean(), async (scope, raw, deleting) => {
        const options = { principal: principal(scope) };
        const inside = (record: { userId?: string; appId?: string }) =>
          (scope.appId === undefined || record.appId === scope.appId) && (scope.userId === undefined || (record.userId ?? '').startsWith(scope.userId.slice(0, -1)));
        const before = (await inner.list(parseMemoryFilter({ user_id: '*' }), { page: 1, pageSize: 1000 })).items.filter((record) => !inside(record));
        try {
          const parsed = parseMemoryFilter(raw);
          const listed = await scoped.list(parsed, { page: 1, pageSize: 1000 }, options);
          const found = await scoped.search({ query: 'acme', filter: parsed, topK: 100 }, options);
          expect([...listed.items, ...found].filter((record) => !inside(record))).toEqual([]);
          if (deleting) for (const record of listed.items) await scoped.delete(record.id, options);
        } catch (error) {
          if (!ForbiddenError.isInstance(error)) throw error;
        }
        const after = (await inner.list(parseMemoryFilter({ user_id: '*' }), { page: 1, pageSize: 1000 })).items.filter((record) => !inside(record));
        expect(after.map((record) => record.id).sort()).toEqual(before.map((record) => record.id).sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('prefix bindings', () => {
  it('accept a prefix ending in *, and refuse a bare * or a * inside the id', async () => {
    const { tenantScopeSchema, scopeValueMatches } = await import('./tenant-scope.js');
    expect(tenantScopeSchema.safeParse({ userId: 'acme-*' }).success).toBe(true);
    expect(tenantScopeSchema.safeParse({ userId: '*' }).success).toBe(false);
    expect(tenantScopeSchema.safeParse({ userId: 'ac*me' }).success).toBe(false);
    expect(scopeValueMatches('acme-*', 'acme-1')).toBe(true);
    expect(scopeValueMatches('acme-*', 'acmex')).toBe(false);
    expect(scopeValueMatches('acme', 'acme-1')).toBe(false);
    expect(scopeValueMatches('acme', undefined)).toBe(false);
  });
});

describe('entity aggregation (aggregateEntities) under a tenant scope', () => {
  const entitiesSeen = async (scope: TenantScope) => {
    const base = createInMemoryMemoryProvider();
    const withAggregates: MemoryProviderV1 = { ...base, aggregateEntities: (filter, options) => aggregateEntitiesByScan(base.list.bind(base), filter, options) };
    for (const userId of users) for (const appId of apps) await base.add([{ userId, appId, memory: `${userId} at ${appId}` }]);
    const wrapped = wrapMemoryProvider(withAggregates, tenantScopeMiddleware());
    const entities = await wrapped.aggregateEntities!(matchAllFilter, { principal: principal(scope) });
    return entities.map(({ type, id, memoryCount }) => `${type}:${id}:${memoryCount}`);
  };

  it('counts only the tenant\'s memories under an exact binding', async () => {
    expect(await entitiesSeen({ appId: 'acme' })).toEqual(['user:acme-1:1', 'user:acme-2:1', 'user:acmex:1', 'user:globex:1', 'app:acme:4']);
  });

  it('counts only the tenant\'s memories under a prefix binding, which the provider cannot narrow', async () => {
    expect(await entitiesSeen({ userId: 'acme-*' })).toEqual(['user:acme-1:2', 'user:acme-2:2', 'app:acme:2', 'app:globex:2']);
  });
});
