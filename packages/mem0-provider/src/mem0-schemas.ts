import { jsonValueSchema } from '@memgate/core';
import { z } from 'zod';

const optionalId = z.string().nullish();

/** A memory as either mem0 surface returns it (Platform get/list/search, OSS). Unknown keys are dropped. */
export const mem0MemorySchema = z.object({
  id: z.string().min(1),
  memory: z.string(),
  user_id: optionalId,
  agent_id: optionalId,
  app_id: optionalId,
  run_id: optionalId,
  session_id: optionalId,
  metadata: z.record(z.string(), jsonValueSchema).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  score: z.number().finite().optional(),
});

/** A memory from mem0. */
export type Mem0Memory = z.infer<typeof mem0MemorySchema>;

/** A Django-REST page, as the Platform's v3 get-all returns it. */
export const mem0PageSchema = z.object({ count: z.number().int().nonnegative(), results: z.array(mem0MemorySchema) });

/** `{results: [...]}`, as v3 search and the OSS list and search return it. */
export const mem0ResultsSchema = z.object({ results: z.array(mem0MemorySchema) });

/** One item of an add's results. */
const mem0AddItemSchema = z.object({ id: z.string().min(1), event: z.string() });

/** The answer to an add: synchronous results, or an event to poll. */
export const mem0AddAnswerSchema = z.object({
  status: z.string().optional(),
  event_id: z.string().min(1).optional(),
  results: z.array(mem0AddItemSchema).optional(),
});

/** `GET /v1/event/{id}/`. */
export const mem0EventSchema = z.object({
  status: z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']),
  results: z.array(z.unknown()).nullish(),
  error: z.unknown().optional(),
});

/** Any answer that only carries a message (and maybe an event to poll). */
export const mem0MessageSchema = z.object({ message: z.string().optional(), event_id: z.string().min(1).optional(), status: z.string().optional() });

/** `GET /v1/ping/`. */
export const mem0PingSchema = z.object({ status: z.literal('ok') });

/** One entry of `GET /v1/memories/{id}/history/`. */
export const mem0HistoryEntrySchema = z.object({
  id: z.string(),
  event: z.enum(['ADD', 'UPDATE', 'DELETE']),
  old_memory: z.string().nullish(),
  new_memory: z.string().nullish(),
  user_id: optionalId,
  agent_id: optionalId,
  app_id: optionalId,
  run_id: optionalId,
  session_id: optionalId,
  created_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

/** The OSS `GET /memories/{id}`: the memory, or null. */
export const mem0MaybeMemorySchema = mem0MemorySchema.nullable();

/** One entity (user, agent, app, run) that owns memories. */
const mem0EntitySchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  type: z.enum(['user', 'agent', 'app', 'run']),
  total_memories: z.number().int().nonnegative().nullish(),
});

/** `GET /v1/entities/` (Platform): a page of entities. */
export const mem0EntityPageSchema = z.object({ next: z.string().nullish(), results: z.array(mem0EntitySchema) });

/** `GET /entities` (OSS): a bare list. */
export const mem0EntityListSchema = z.array(mem0EntitySchema);
