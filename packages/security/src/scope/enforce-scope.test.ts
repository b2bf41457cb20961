import { matchesMemoryFilter, parseMemoryFilter, type MemoryFilter, type MemoryRecord, type MemoryScopeField } from '@memgate/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors/forbidden-error.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { enforceScope, isInScope } from './enforce-scope.js';
import { tenantScopeFields, type TenantScope } from './tenant-scope.js';

const ids = ['alice', 'bob', 'carol', 'bot-1', 'bot-2', 'app-x'];
const scopeFields: MemoryScopeField[] = ['userId', 'agentId', 'appId', 'runId'];
const maybeId = fc.option(fc.constantFrom(...ids), { nil: undefined });

const boundScope = fc
  .record({ userId: maybeId, agentId: maybeId, appId: maybeId })
  .map((scope) => Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined)) as TenantScope)
  .filter((scope) => Object.keys(scope).length > 0);

const condition: fc.Arbitrary<MemoryFilter> = fc.oneof(
  fc.record({
    type: fc.constant('condition' as const),
    field: fc.constantFrom(...scopeFields).map((name) => ({ kind: 'scope' as const, name })),
    operator: fc.constantFrom('eq' as const, 'ne' as const, 'exists' as const, 'contains' as const),
    value: fc.constantFrom(...ids),
  }),
  fc.record({
    type: fc.constant('condition' as const),
    field: fc.constantFrom(...scopeFields).map((name) => ({ kind: 'scope' as const, name })),
    operator: fc.constant('in' as const),
    value: fc.array(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant('condition' as const),
    field: fc.constant({ kind: 'metadata' as const, key: 'topic' }),
    operator: fc.constant('eq' as const),
    value: fc.constantFrom('food', 'work'),
  }),
);

const filter: fc.Arbitrary<MemoryFilter> = fc.letrec<{ node: MemoryFilter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ type: fc.constant('and' as const), filters: fc.array(tie('node'), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('or' as const), filters: fc.array(tie('node'), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('not' as const), filter: tie('node') }),
  ),
})).node;

const record: fc.Arbitrary<MemoryRecord> = fc.record({ userId: maybeId, agentId: maybeId, appId: maybeId, runId: maybeId, topic: fc.constantFrom('food', 'work') }).map(({ topic, ...scope }) => ({
  ...Object.fromEntries(Object.entries(scope).filter(([, value]) => value !== undefined)),
  id: 'm1',
  memory: 'text',
  metadata: { topic },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}));

const belongsTo = (scope: TenantScope, memory: MemoryRecord): boolean => tenantScopeFields.every((field) => scope[field] === undefined || memory[field] === scope[field]);

describe('enforceScope on filters', () => {
  it('a bound key narrowed filter never matches another tenant record, whatever filter it sends (property)', () => {
    fc.assert(
      fc.property(boundScope, filter, record, (scope, requested, memory) => {
        const principal: SecurityPrincipal = { id: 'k', scope };
        let narrowed: MemoryFilter;
        try {
          narrowed = enforceScope(principal, requested);
        } catch (error) {
          expect(ForbiddenError.isInstance(error)).toBe(true);
          return;
        }
        if (!belongsTo(scope, memory)) expect(matchesMemoryFilter(memory, narrowed)).toBe(false);
        // Within the tenant the narrowing changes nothing: the key sees what it asked for.
        else expect(matchesMemoryFilter(memory, narrowed)).toBe(matchesMemoryFilter(memory, requested));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a filter naming another tenant id with eq or in, also inside OR and NOT', () => {
    const principal: SecurityPrincipal = { id: 'k', scope: { userId: 'alice' } };
    for (const raw of [{ user_id: 'bob' }, { OR: [{ user_id: 'alice' }, { user_id: 'bob' }] }, { NOT: { user_id: 'bob' } }, { user_id: { in: ['alice', 'bob'] } }]) {
      expect(() => enforceScope(principal, parseMemoryFilter(raw))).toThrow(expect.objectContaining({ statusCode: 403 }));
    }
    expect(() => enforceScope(principal, parseMemoryFilter({ AND: [{ user_id: 'alice' }, { agent_id: 'any' }] }))).not.toThrow();
  });

  it('leaves the filter unchanged for an unbound principal', () => {
    const requested = parseMemoryFilter({ user_id: 'bob' });
    expect(enforceScope({ id: 'admin', permissions: ['*'] }, requested)).toBe(requested);
    expect(enforceScope(undefined, requested)).toBe(requested);
  });
});

describe('enforceScope on scopes', () => {
  it('fills in the bound ids of a write that names none', () => {
    expect(enforceScope({ id: 'k', scope: { userId: 'alice', appId: 'app-x' } }, { runId: 'r1' })).toEqual({ userId: 'alice', appId: 'app-x', runId: 'r1' });
  });

  it('rejects a write or deleteAll naming another tenant, 403-class', () => {
    expect(() => enforceScope({ id: 'k', scope: { userId: 'alice' } }, { userId: 'bob' })).toThrow(ForbiddenError);
  });

  it('every narrowed scope lies inside the tenant (property)', () => {
    fc.assert(
      fc.property(boundScope, fc.record({ userId: maybeId, agentId: maybeId, appId: maybeId, runId: maybeId }), (scope, requested) => {
        const clean = Object.fromEntries(Object.entries(requested).filter(([, value]) => value !== undefined));
        try {
          const narrowed = enforceScope({ id: 'k', scope }, clean);
          expect(isInScope({ id: 'k', scope }, narrowed)).toBe(true);
        } catch (error) {
          expect(ForbiddenError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('isInScope', () => {
  it('tells a record of the tenant from one of another tenant', () => {
    const principal: SecurityPrincipal = { id: 'k', scope: { userId: 'alice' } };
    expect(isInScope(principal, { userId: 'alice', agentId: 'x' })).toBe(true);
    expect(isInScope(principal, { userId: 'bob' })).toBe(false);
    expect(isInScope(principal, { agentId: 'x' })).toBe(false);
  });
});
