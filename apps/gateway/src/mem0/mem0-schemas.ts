import { z } from '@hono/zod-openapi';

/**
 * zod schemas of mem0's Platform wire format: the single source of the request validation, the
 * handler types and the OpenAPI document. Request bodies are loose objects: mem0 accepts many
 * fields memgate has no use for, and rejecting them would break mem0 clients.
 */

const entityId = z.string().min(1).max(255).nullish();

/** Top-level entity ids, as mem0's add and v1 routes take them. */
export const entityIdsShape = {
  user_id: entityId,
  agent_id: entityId,
  app_id: entityId,
  run_id: entityId,
  session_id: entityId,
};

/** Opaque JSON metadata. */
export const metadataSchema = z.record(z.string(), z.unknown());

/** The error body of every 4xx/5xx. */
export const errorSchema = z
  .object({ error: z.string(), field: z.string().nullable().optional(), detail: z.string().optional() })
  .openapi('Error');

/** A memory as mem0 returns it. */
export const memorySchema = z
  .object({
    id: z.string(),
    memory: z.string(),
    user_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    app_id: z.string().nullable(),
    run_id: z.string().nullable(),
    session_id: z.string().nullable(),
    metadata: metadataSchema,
    categories: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
    expiration_date: z.string().nullable(),
    score: z.number().optional(),
  })
  .openapi('Memory');

/** A page of memories with mem0's envelope. */
export const memoryPageSchema = z
  .object({ count: z.number().int(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(memorySchema) })
  .openapi('MemoryPage');

/** A chat message; only its text is stored. */
export const messageSchema = z.looseObject({ role: z.string().min(1), content: z.string() });

/** `{message}` answers of deletes and batches. */
export const messageResultSchema = z.looseObject({ message: z.string() }).openapi('MessageResult');

/** `page` and `page_size` query parameters. */
export const pageQuerySchema = z.looseObject({
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(1000).optional(),
});

/** JSON error responses every data-plane route can give. */
export const errorResponses = {
  400: { description: 'Invalid input; `error` names the field', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'Missing or invalid API key', content: { 'application/json': { schema: errorSchema } } },
  503: { description: 'No provider could serve the call; see Retry-After', content: { 'application/json': { schema: errorSchema } } },
} as const;

/** Adds a 404 to {@link errorResponses}. */
export const errorResponsesWithNotFound = {
  ...errorResponses,
  404: { description: 'No such memory', content: { 'application/json': { schema: errorSchema } } },
} as const;

/** A JSON body that must be present. */
export function jsonBody<Schema extends z.ZodType>(schema: Schema) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A 200 JSON response. */
export function jsonOk<Schema extends z.ZodType>(schema: Schema, description: string) {
  return { 200: { description, content: { 'application/json': { schema } } } };
}

/** The security requirement of keyed routes, for the OpenAPI document. */
export const keyed: Array<Record<string, string[]>> = [{ Token: [] }, { Bearer: [] }, { ApiKey: [] }];
