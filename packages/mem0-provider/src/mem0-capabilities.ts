import type { MemoryProviderV1Capabilities } from '@memgate/core';

/**
 * What each mem0 surface can do, declared honestly. Both rank by mem0's own search and can run mem0's
 * LLM extraction (`infer: true`), though the provider itself always writes verbatim. Neither stores the
 * caller's id as its id (the mapping lives in metadata) nor adds several records in one round trip.
 * Only the Platform filters metadata server-side, and only there is history mapped to canonical ids.
 */
export function mem0Capabilities(mode: 'platform' | 'oss'): MemoryProviderV1Capabilities {
  return mode === 'platform'
    ? { vectorSearch: true, fullTextSearch: true, history: true, metadataFilters: true, callerIds: false, batchWrites: false, inference: true }
    : { vectorSearch: true, fullTextSearch: false, history: false, metadataFilters: false, callerIds: false, batchWrites: false, inference: true };
}
