import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { defaultMemoryFilterLimits } from './memory-filter-limits.js';
import { parseMemoryFilter } from './parse-memory-filter.js';

const refusal = (input: unknown): ValidationError | undefined => {
  try {
    parseMemoryFilter(input);
    return undefined;
  } catch (error) {
    return ValidationError.isInstance(error) ? error : undefined;
  }
};

/** `{NOT: {NOT: … {user_id: 'u'}}}` with `levels` logical levels. */
const nested = (levels: number): unknown => (levels === 0 ? { user_id: 'u' } : { NOT: nested(levels - 1) });

describe('filter limits', () => {
  it('parse a filter just inside every limit', () => {
    expect(refusal(nested(defaultMemoryFilterLimits.maxDepth - 1))).toBeUndefined();
    expect(refusal({ AND: Array.from({ length: 100 }, (_, index) => ({ user_id: `u${index}` })) })).toBeUndefined();
    expect(refusal({ user_id: { in: Array.from({ length: 100 }, (_, index) => `u${index}`) } })).toBeUndefined();
  });

  it('refuse a filter nested too deep, naming the limit', () => {
    const error = refusal(nested(defaultMemoryFilterLimits.maxDepth + 1));
    expect(error?.field).toBe('filters');
    expect(error?.message).toBe('filters: nested deeper than 10 levels (limit maxDepth)');
  });

  it('refuse too many conditions, counting metadata keys too', () => {
    expect(refusal({ AND: Array.from({ length: 101 }, (_, index) => ({ user_id: `u${index}` })) })?.message).toMatch(/more than 100 conditions \(limit maxConditions\)/);
    expect(refusal({ user_id: 'u', metadata: Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`k${index}`, index])) })?.message).toMatch(/limit maxConditions/);
  });

  it('refuse a long in list or memory_ids, naming where', () => {
    const error = refusal({ user_id: { in: Array.from({ length: 101 }, (_, index) => `u${index}`) } });
    expect(error?.field).toBe('filters.user_id.in');
    expect(error?.message).toBe('filters.user_id.in: more than 100 values (limit maxInValues)');
    expect(refusal({ user_id: 'u', memory_ids: Array.from({ length: 101 }, (_, index) => `m${index}`) })?.field).toBe('filters.memory_ids');
  });

  it('refuse a filter larger than 16 KiB as JSON before looking inside', () => {
    const error = refusal({ user_id: 'u', text: { contains: 'x'.repeat(17_000) } });
    expect(error?.message).toBe('filters: larger than 16384 bytes as JSON (limit maxBytes)');
  });
});
