import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { parseMemoryFilter } from './parse-memory-filter.js';

const parseError = (input: unknown): ValidationError => {
  try {
    parseMemoryFilter(input);
  } catch (error) {
    if (ValidationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('parseMemoryFilter', () => {
  it('parses a bare entity condition as equality', () => {
    expect(parseMemoryFilter({ user_id: 'u1' })).toEqual({ type: 'condition', field: { kind: 'scope', name: 'userId' }, operator: 'eq', value: 'u1' });
  });

  it('ANDs sibling keys and nests AND/OR/NOT', () => {
    const filter = parseMemoryFilter({ user_id: 'u1', OR: [{ agent_id: 'a' }, { NOT: { run_id: { in: ['r1', 'r2'] } } }] });
    expect(filter).toMatchObject({
      type: 'and',
      filters: [
        { type: 'condition', field: { name: 'userId' } },
        { type: 'or', filters: [{ type: 'condition', field: { name: 'agentId' } }, { type: 'not', filter: { operator: 'in', value: ['r1', 'r2'] } }] },
      ],
    });
  });

  it('maps * to exists and session_id to runId', () => {
    expect(parseMemoryFilter({ session_id: '*' })).toMatchObject({ field: { name: 'runId' }, operator: 'exists' });
  });

  it('parses metadata equality, operators and nested object values', () => {
    expect(parseMemoryFilter({ metadata: { colour: 'red', size: { gte: 3 }, tags: { contains: 'x' }, deep: { a: 1 } } })).toMatchObject({
      type: 'and',
      filters: [
        { field: { kind: 'metadata', key: 'colour' }, operator: 'eq', value: 'red' },
        { field: { key: 'size' }, operator: 'gte', value: 3 },
        { field: { key: 'tags' }, operator: 'contains', value: 'x' },
        { field: { key: 'deep' }, operator: 'eq', value: { a: 1 } },
      ],
    });
  });

  it('normalises epoch seconds and dates on time fields', () => {
    expect(parseMemoryFilter({ created_at: { gte: 0, lt: '2030-01-01' } })).toMatchObject({
      filters: [{ value: '1970-01-01T00:00:00.000Z' }, { value: '2030-01-01T00:00:00.000Z' }],
    });
  });

  it.each([
    [{ colour: 'red' }, 'filters.colour', 'unknown filter key'],
    [{ user_id: { like: 'u%' } }, 'filters.user_id.like', 'unknown operator'],
    [{ user_id: { gt: 'a' } }, 'filters.user_id.gt', 'operator not allowed'],
    [{ AND: [{ user_id: 'u' }, { bogus: 1 }] }, 'filters.AND[1].bogus', 'unknown filter key'],
    [{ AND: [] }, 'filters.AND', 'non-empty array'],
    [{ user_id: 42 }, 'filters.user_id.eq', 'non-empty string'],
    [{ created_at: { gt: 'yesterday-ish' } }, 'filters.created_at.gt', 'ISO 8601'],
    [{ user_id: { in: [] } }, 'filters.user_id.in', 'non-empty array'],
    [{ categories: { in: ['a'] } }, 'filters.categories', 'not supported'],
    ['u1', 'filters', 'must be an object'],
  ])('rejects %j naming %s', (input, field, message) => {
    const error = parseError(input);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toContain(message);
    expect(error.isRetryable).toBe(false);
  });
});
