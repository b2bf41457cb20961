import { z } from 'zod';
import { memoryMetadataSchema } from './json-value.js';
import { memoryScopeSchema } from './memory-scope.js';

/**
 * A stored memory, as every provider returns it.
 * Timestamps are ISO 8601 strings in UTC with millisecond precision.
 */
export const memoryRecordSchema = memoryScopeSchema.extend({
  /** Canonical id chosen by the gateway (UUIDv7), or by the caller. */
  id: z.string().min(1),
  /** The memory's text, stored verbatim. */
  memory: z.string(),
  /** Opaque JSON metadata; `{}` when none was given. */
  metadata: memoryMetadataSchema,
  /** When the memory was first written. */
  createdAt: z.iso.datetime(),
  /** When the memory was last changed. Equal to `createdAt` until the first update. */
  updatedAt: z.iso.datetime(),
});

/** A stored memory. */
export type MemoryRecord = z.infer<typeof memoryRecordSchema>;

/** A memory to add. `id` and timestamps are optional: the provider fills them when absent. */
export const memoryProviderV1NewRecordSchema = memoryScopeSchema.extend({
  /** Caller-chosen canonical id; a UUIDv7 is generated when absent. */
  id: z.string().min(1).max(255).optional(),
  /** The text to store verbatim; not empty. */
  memory: z.string().min(1, 'must not be empty'),
  metadata: memoryMetadataSchema.optional(),
  /** Backdates the memory (mem0's `timestamp`); defaults to now. */
  createdAt: z.iso.datetime().optional(),
  /** A precomputed embedding; providers with vector search use it instead of calling their embedder. */
  embedding: z.array(z.number()).optional(),
});

/** A memory to add. */
export type MemoryProviderV1NewRecord = z.infer<typeof memoryProviderV1NewRecordSchema>;

/** A change to a stored memory; at least one of `memory` and `metadata`. Metadata replaces the old value whole. */
export const memoryProviderV1PatchSchema = z
  .object({
    memory: z.string().min(1, 'must not be empty').optional(),
    metadata: memoryMetadataSchema.optional(),
    /** When the change happened; defaults to now. Replication passes the original time. */
    updatedAt: z.iso.datetime().optional(),
    embedding: z.array(z.number()).optional(),
  })
  .refine((patch) => patch.memory !== undefined || patch.metadata !== undefined, {
    message: 'an update needs text or metadata',
  });

/** A change to a stored memory. */
export type MemoryProviderV1Patch = z.infer<typeof memoryProviderV1PatchSchema>;
