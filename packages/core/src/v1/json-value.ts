import { z } from 'zod';

/** Any JSON value. Metadata is opaque JSON: memgate stores and returns it as given. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Schema of any JSON value. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/** Schema of a memory's metadata: a JSON object. */
export const memoryMetadataSchema = z.record(z.string(), jsonValueSchema);

/** A memory's metadata: a JSON object. */
export type MemoryMetadata = z.infer<typeof memoryMetadataSchema>;
