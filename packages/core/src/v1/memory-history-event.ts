import { z } from 'zod';
import { memoryScopeSchema } from './memory-scope.js';

/** One entry of a memory's history: what happened to it, when, and the text before and after. */
export const memoryHistoryEventSchema = memoryScopeSchema.extend({
  /** Id of this history entry. */
  id: z.string(),
  /** The memory it belongs to. */
  memoryId: z.string(),
  /** What happened. */
  event: z.enum(['ADD', 'UPDATE', 'DELETE']),
  /** Text before the change; null for ADD. */
  oldMemory: z.string().nullable(),
  /** Text after the change; null for DELETE. */
  newMemory: z.string().nullable(),
  /** When it happened (ISO 8601). */
  createdAt: z.iso.datetime(),
});

/** One entry of a memory's history, oldest first in a history list. */
export type MemoryHistoryEvent = z.infer<typeof memoryHistoryEventSchema>;
