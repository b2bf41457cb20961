import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import type { MemoryProviderV1Page, MemoryProviderV1SearchQuery } from './memory-provider-v1-search.js';
import { memoryProviderV1NewRecordSchema, memoryProviderV1PatchSchema, type MemoryProviderV1NewRecord, type MemoryProviderV1Patch } from './memory-record.js';
import { hasScope, memoryScopeSchema, type MemoryScope } from './memory-scope.js';
import { parseWithSchema } from './parse-with-schema.js';

// The input checks every provider must make, in one place, so that every provider rejects the same
// bad input with the same field and message (the conformance suite's bad-input tests expect that).

const scopeMessage = 'needs at least one scope id (userId, agentId, appId or runId)';
const idSchema = z.string().min(1, 'must be a non-empty string');
const pageSchema = z.object({ page: z.number().int().min(1), pageSize: z.number().int().min(1).max(1000) });
const searchSchema = z.object({
  query: z.string().trim().min(1, 'must not be empty'),
  filter: z.object({ type: z.string() }, 'must be a parsed MemoryFilter'),
  topK: z.number().int().min(1).max(1000).optional(),
  threshold: z.number().min(0).max(1).optional(),
});

/**
 * Validates the records of an `add` call the way every provider must.
 * @throws ValidationError naming the record and field, e.g. `records[0].memory`
 */
export function validateNewRecords(records: readonly MemoryProviderV1NewRecord[]): MemoryProviderV1NewRecord[] {
  if (!Array.isArray(records)) throw new ValidationError({ field: 'records', message: 'records: must be an array' });
  return records.map((record, index) => {
    const parsed = parseWithSchema(memoryProviderV1NewRecordSchema, record, `records[${index}]`);
    if (!hasScope(parsed)) throw new ValidationError({ field: `records[${index}]`, message: `records[${index}]: ${scopeMessage}` });
    return parsed;
  });
}

/** @throws ValidationError when the id is not a non-empty string (field `id`) */
export function validateId(id: string): string {
  return parseWithSchema(idSchema, id, 'id');
}

/** @throws ValidationError for an empty patch or bad values (field `patch…`) */
export function validatePatch(patch: MemoryProviderV1Patch): MemoryProviderV1Patch {
  return parseWithSchema(memoryProviderV1PatchSchema, patch, 'patch');
}

/** @throws ValidationError when the page is not 1-based or the size not 1 to 1000 (field `page…`) */
export function validatePage(page: MemoryProviderV1Page): MemoryProviderV1Page {
  return parseWithSchema(pageSchema, page, 'page');
}

/** @throws ValidationError for an empty query, a missing filter, or topK/threshold out of range */
export function validateSearch(query: MemoryProviderV1SearchQuery): MemoryProviderV1SearchQuery {
  parseWithSchema(searchSchema, query, 'search');
  return query;
}

/** @throws ValidationError when no scope field is set (field `scope`) */
export function validateDeleteScope(scope: MemoryScope): MemoryScope {
  const parsed = parseWithSchema(memoryScopeSchema, scope, 'scope');
  if (!hasScope(parsed)) throw new ValidationError({ field: 'scope', message: `scope: ${scopeMessage}` });
  return parsed;
}
