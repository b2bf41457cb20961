import { parseMemoryFilter } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { anyEntityFilter, translateMemoryFilter } from './translate-memory-filter.js';

describe('translateMemoryFilter', () => {
  it('sends scope and metadata equality to mem0 as is, exactly', () => {
    expect(translateMemoryFilter(parseMemoryFilter({ user_id: 'u1', metadata: { colour: 'red' } }))).toEqual({
      filters: { AND: [{ user_id: 'u1' }, { metadata: { colour: 'red' } }] },
      exact: true,
    });
    expect(translateMemoryFilter(parseMemoryFilter({ OR: [{ user_id: 'u1' }, { agent_id: { in: ['a1', 'a2'] } }] }))).toEqual({
      filters: { OR: [{ user_id: 'u1' }, { agent_id: { in: ['a1', 'a2'] } }] },
      exact: true,
    });
  });

  it('drops what mem0 evaluates differently, keeping a superset that names an entity', () => {
    const translated = translateMemoryFilter(parseMemoryFilter({ user_id: 'u1', created_at: { gte: '2026-01-01' }, NOT: { metadata: { k: 1 } } }));
    expect(translated).toEqual({ filters: { user_id: 'u1' }, exact: false });
    expect(translateMemoryFilter(parseMemoryFilter({ metadata: { colour: 'red' } })).filters).toEqual({ AND: [anyEntityFilter, { metadata: { colour: 'red' } }] });
    // One untranslatable branch of an OR makes the OR match anything.
    expect(translateMemoryFilter(parseMemoryFilter({ OR: [{ user_id: 'u1' }, { text: { contains: 'x' } }] }))).toEqual({ filters: anyEntityFilter, exact: false });
  });

  it('looks a canonical id up in metadata, never as a mem0 memory id', () => {
    expect(translateMemoryFilter({ type: 'condition', field: { kind: 'id' }, operator: 'eq', value: 'c1' }).filters).toEqual({ AND: [anyEntityFilter, { metadata: { memgate_id: 'c1' } }] });
  });
});
