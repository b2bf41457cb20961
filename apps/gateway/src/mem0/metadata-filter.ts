import { type MemoryFilter, parseMemoryFilter } from '@memgate/core';

/**
 * mem0's v1 `metadata` parameter (each key must equal the given value) as a filter; a JSON string
 * (as it arrives in a query) is parsed first.
 * @throws ValidationError naming `metadata` when it is not a JSON object
 */
export function metadataFilter(metadata: unknown): MemoryFilter {
  let value = metadata;
  if (typeof metadata === 'string') {
    try {
      value = JSON.parse(metadata);
    } catch {
      value = metadata;
    }
  }
  return parseMemoryFilter({ metadata: value }, 'filters');
}
