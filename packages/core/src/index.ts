export type { MemoryProviderV1, MemoryProviderV1ProbeResult } from './v1/memory-provider-v1.js';
export { compareEntities, memoryProviderV1EntityTypes, type MemoryProviderV1Entity } from './v1/memory-provider-v1-entity.js';
export type { MemoryProviderV1Capabilities } from './v1/memory-provider-v1-capabilities.js';
export type { MemoryPrincipal, MemoryProviderV1CallOptions } from './v1/memory-provider-v1-call-options.js';
export { securityLevels, type SecurityLevel } from './v1/security-level.js';
export type {
  MemoryProviderV1ListResult,
  MemoryProviderV1Page,
  MemoryProviderV1SearchQuery,
  MemoryProviderV1SearchResult,
} from './v1/memory-provider-v1-search.js';
export {
  memoryProviderV1NewRecordSchema,
  memoryProviderV1PatchSchema,
  memoryRecordSchema,
  type MemoryProviderV1NewRecord,
  type MemoryProviderV1Patch,
  type MemoryRecord,
} from './v1/memory-record.js';
export { memoryHistoryEventSchema, type MemoryHistoryEvent } from './v1/memory-history-event.js';
export { hasScope, memoryScopeFields, memoryScopeSchema, pickScope, type MemoryScope, type MemoryScopeField } from './v1/memory-scope.js';
export { jsonValueSchema, memoryMetadataSchema, type JsonValue, type MemoryMetadata } from './v1/json-value.js';
export { callSignal, runWithinCall, throwIfCallEnded } from './v1/call-deadline.js';
export { formatIssuePath, parseWithSchema } from './v1/parse-with-schema.js';
export { validateDeleteScope, validateId, validateNewRecords, validatePage, validatePatch, validateSearch } from './v1/validate-provider-input.js';

export { memoryFilterOperators, type MemoryFilter, type MemoryFilterCondition, type MemoryFilterField, type MemoryFilterOperator } from './filter/memory-filter.js';
export { parseMemoryFilter } from './filter/parse-memory-filter.js';
export { checkMemoryFilterLimits, defaultMemoryFilterLimits, type MemoryFilterLimits } from './filter/memory-filter-limits.js';
export { jsonEqual, matchesMemoryFilter } from './filter/matches-memory-filter.js';
export { andFilters, matchAllFilter, pinnedScope, scopeFilter } from './filter/build-memory-filter.js';

export { MemoryError, type MemoryErrorOptions } from './errors/memory-error.js';
export { ProviderUnavailableError, type ProviderUnavailableErrorOptions } from './errors/provider-unavailable-error.js';
export { ProviderTimeoutError } from './errors/provider-timeout-error.js';
export { RateLimitedError, type RateLimitedErrorOptions } from './errors/rate-limited-error.js';
export { NotFoundError } from './errors/not-found-error.js';
export { ValidationError, type ValidationErrorOptions } from './errors/validation-error.js';
export { ConflictError } from './errors/conflict-error.js';
export { AuthError } from './errors/auth-error.js';
export { UnsupportedCapabilityError } from './errors/unsupported-capability-error.js';
export { AbortedError } from './errors/aborted-error.js';

export { defineProviderPlugin, isProviderPlugin, type DiscoveredProvider, type ProviderPlugin, type ProviderPluginContext } from './plugin/provider-plugin.js';
export { generateMemoryId, isUuid } from './ids/generate-memory-id.js';

export type { MemoryProviderV1Middleware, MemoryProviderV1MiddlewareEntry } from './middleware/memory-provider-middleware.js';
export { wrapMemoryProvider } from './middleware/wrap-memory-provider.js';
export { aggregateEntitiesByScan } from './v1/aggregate-entities-by-scan.js';
export { createEntityTally, type EntityTally } from './v1/entity-tally.js';
