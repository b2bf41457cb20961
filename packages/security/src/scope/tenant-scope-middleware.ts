import { aggregateEntitiesByScan, NotFoundError, pickScope, type MemoryFilter, type MemoryProviderV1, type MemoryProviderV1CallOptions, type MemoryProviderV1ListResult, type MemoryProviderV1MiddlewareEntry, type MemoryProviderV1Page, type MemoryRecord } from '@memgate/core';
import type { SecurityPrincipal } from '../security-principal.js';
import { enforceScope, isInScope } from './enforce-scope.js';
import { isBoundScope, isPrefixBinding } from './tenant-scope.js';

/** A by-id call that named a memory outside the caller's tenant (answered exactly like a missing one). */
export interface OutOfScopeEvent {
  readonly operation: 'get' | 'update' | 'delete' | 'history';
  readonly id: string;
  readonly principal: SecurityPrincipal;
  readonly options: MemoryProviderV1CallOptions | undefined;
}

/** Memories read per page, and at most, when a listing under a prefix binding is filtered here. */
const scanPageSize = 1000;
const maxScannedMemories = 100_000;

const hasPrefixBinding = (principal: SecurityPrincipal): boolean => Object.values(principal.scope ?? {}).some((bound) => bound !== undefined && isPrefixBinding(bound));

/** Options of {@link tenantScopeMiddleware}. */
export interface TenantScopeMiddlewareOptions {
  /** Told of every out-of-scope by-id call, e.g. to audit it as a refusal. */
  readonly onOutOfScope?: (event: OutOfScopeEvent) => void;
}

/**
 * Confines every call to the caller's tenant scope (`options.principal.scope`), whatever the route
 * or surface: adds get the bound ids (or 403 when they name another tenant); searches, listings and
 * delete-alls are narrowed with `enforceScope`, and every record they return is checked again with
 * `isInScope` (under a prefix binding, which the provider cannot filter, a listing reads every match,
 * up to 100,000, and pages and counts the tenant's alone); a get, update, delete
 * or history of a memory outside the scope is answered exactly like a memory that does not exist
 * (`null`, or `NotFoundError`). A call without a bound principal passes through untouched.
 */
export function tenantScopeMiddleware({ onOutOfScope }: TenantScopeMiddlewareOptions = {}): MemoryProviderV1MiddlewareEntry {
  const boundPrincipal = (options: MemoryProviderV1CallOptions | undefined): SecurityPrincipal | undefined => {
    const principal = options?.principal as SecurityPrincipal | undefined;
    return principal && isBoundScope(principal.scope) ? principal : undefined;
  };
  const outside = (operation: OutOfScopeEvent['operation'], id: string, principal: SecurityPrincipal, options: MemoryProviderV1CallOptions | undefined): NotFoundError => {
    onOutOfScope?.({ operation, id, principal, options });
    return new NotFoundError({ message: `memory ${id} not found` });
  };
  return (inner: MemoryProviderV1) => {
    /** Passes when the memory exists and lies inside the principal's scope; otherwise fails as for a missing one. */
    const assertOwn = async (operation: 'update' | 'delete', id: string, principal: SecurityPrincipal, options: MemoryProviderV1CallOptions | undefined): Promise<void> => {
      const record = await inner.get(id, options);
      if (!record) throw new NotFoundError({ message: `memory ${id} not found` });
      if (!isInScope(principal, record)) throw outside(operation, id, principal, options);
    };
    /** A listing confined to the caller's scope (see above); `next` is the listing it narrows. */
    const scopedList = async (next: MemoryProviderV1['list'], filter: MemoryFilter, page: MemoryProviderV1Page, options: MemoryProviderV1CallOptions | undefined): Promise<MemoryProviderV1ListResult> => {
      const principal = boundPrincipal(options);
      if (!principal) return next(filter, page, options);
      const narrowed = enforceScope(principal, filter);
      if (!hasPrefixBinding(principal)) return next(narrowed, page, options);
      // The provider cannot filter by prefix: read the matches in full pages, keep the tenant's, and
      // page and count those, so neither a page nor the total tells anything of another tenant.
      const kept: MemoryRecord[] = [];
      for (let scanned = 1; (scanned - 1) * scanPageSize < maxScannedMemories; scanned += 1) {
        const listed = await next(narrowed, { page: scanned, pageSize: scanPageSize }, options);
        kept.push(...listed.items.filter((record) => isInScope(principal, record)));
        if (scanned * scanPageSize >= listed.total || listed.items.length === 0) break;
      }
      return { items: kept.slice((page.page - 1) * page.pageSize, page.page * page.pageSize), total: kept.length };
    };
    return {
      name: 'tenant-scope',
      add: async (next, records, options) => {
        const principal = boundPrincipal(options);
        if (!principal) return next(records, options);
        return next(records.map((record) => ({ ...record, ...enforceScope(principal, pickScope(record)) })), options);
      },
      get: async (next, id, options) => {
        const principal = boundPrincipal(options);
        const record = await next(id, options);
        if (!principal || !record || isInScope(principal, record)) return record;
        outside('get', id, principal, options);
        return null;
      },
      aggregateEntities: async (next, filter, options) => {
        const principal = boundPrincipal(options);
        if (!principal) return next(filter, options);
        // Under a prefix binding the provider cannot narrow the rows: count through the scoped listing instead.
        if (hasPrefixBinding(principal)) return aggregateEntitiesByScan((scanFilter, page, scanOptions) => scopedList(inner.list.bind(inner), scanFilter, page, scanOptions), filter, options, maxScannedMemories);
        return next(enforceScope(principal, filter), options);
      },
      list: (next, filter, page, options) => scopedList(next, filter, page, options),
      search: async (next, query, options) => {
        const principal = boundPrincipal(options);
        if (!principal) return next(query, options);
        const found = await next({ ...query, filter: enforceScope(principal, query.filter) }, options);
        return found.filter((result) => isInScope(principal, result));
      },
      update: async (next, id, patch, options) => {
        const principal = boundPrincipal(options);
        if (principal) await assertOwn('update', id, principal, options);
        return next(id, patch, options);
      },
      delete: async (next, id, options) => {
        const principal = boundPrincipal(options);
        if (principal) await assertOwn('delete', id, principal, options);
        return next(id, options);
      },
      deleteAll: async (next, scope, options) => {
        const principal = boundPrincipal(options);
        return next(principal ? enforceScope(principal, scope) : scope, options);
      },
      history: async (next, id, options) => {
        const principal = boundPrincipal(options);
        if (!principal) return next(id, options);
        const events = await next(id, options);
        // History outlives the memory: each event carries the memory's scope, so it is checked on its own.
        if (events.some((event) => !isInScope(principal, event))) throw outside('history', id, principal, options);
        if (events.length === 0) {
          const record = await inner.get(id, options);
          if (record && !isInScope(principal, record)) throw outside('history', id, principal, options);
        }
        return events;
      },
    };
  };
}
