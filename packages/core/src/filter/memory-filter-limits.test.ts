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

describe('filter limits at their edges', () => {
  it('count logical levels exactly: maxDepth levels of objects parse, one more is refused', () => {
    expect(refusal(nested(defaultMemoryFilterLimits.maxDepth - 1))).toBeUndefined();
    expect(refusal(nested(defaultMemoryFilterLimits.maxDepth))?.message).toBe('filters: nested deeper than 10 levels (limit maxDepth)');
    const limits = { ...defaultMemoryFilterLimits, maxDepth: 3 };
    expect(() => parseMemoryFilter(nested(2), 'filters', limits)).not.toThrow();
    expect(() => parseMemoryFilter(nested(3), 'filters', limits)).toThrow('filters: nested deeper than 3 levels (limit maxDepth)');
  });

  it('refuse arrays nested thousands deep as too deep (a ValidationError, not a stack overflow)', () => {
    let deep: unknown = { user_id: 'u' };
    for (let level = 0; level < 8000; level += 1) deep = [deep];
    const error = refusal({ AND: deep });
    expect(error?.field).toBe('filters');
    expect(error?.message).toBe('filters: nested deeper than 10 levels (limit maxDepth)');
    let shallowerArrays: unknown = { user_id: 'u' };
    for (let level = 0; level < 12; level += 1) shallowerArrays = [shallowerArrays];
    expect(refusal({ AND: shallowerArrays })?.message).toMatch(/limit maxDepth/);
  });

  it('bound how deep a condition value nests: maxDepth levels are allowed, one more is refused', () => {
    const value = (levels: number): unknown => (levels === 0 ? 1 : { a: value(levels - 1) });
    // metadata's object is level 1 and k's value starts at level 2.
    expect(refusal({ metadata: { k: value(9) } })).toBeUndefined();
    expect(refusal({ metadata: { k: value(10) } })?.message).toBe('filters: nested deeper than 10 levels (limit maxDepth)');
    expect(refusal({ metadata: { k: { in: [value(7)] } } })).toBeUndefined();
    expect(refusal({ metadata: { k: { in: [value(8)] } } })?.message).toMatch(/limit maxDepth/);
  });

  it('accept exactly maxConditions, maxInValues and maxBytes', () => {
    const limits = { maxDepth: 10, maxConditions: 3, maxInValues: 2, maxBytes: 64 };
    expect(() => parseMemoryFilter({ user_id: 'u', metadata: { a: 1, b: 2 } }, 'filters', limits)).not.toThrow();
    expect(() => parseMemoryFilter({ user_id: 'u', metadata: { a: 1, b: 2, c: 3 } }, 'filters', limits)).toThrow('filters: more than 3 conditions (limit maxConditions)');
    expect(() => parseMemoryFilter({ user_id: { in: ['a', 'b'] } }, 'filters', limits)).not.toThrow();
    expect(() => parseMemoryFilter({ user_id: { in: ['a', 'b', 'c'] } }, 'q', limits)).toThrow('q.user_id.in: more than 2 values (limit maxInValues)');
    const sized = (length: number) => ({ user_id: 'x'.repeat(length - JSON.stringify({ user_id: '' }).length) });
    expect(JSON.stringify(sized(64)).length).toBe(64);
    expect(() => parseMemoryFilter(sized(64), 'filters', limits)).not.toThrow();
    expect(() => parseMemoryFilter(sized(65), 'filters', limits)).toThrow('filters: larger than 64 bytes as JSON (limit maxBytes)');
  });
});
