import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import { z } from 'zod';

const envReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const connectionUrl = /^(postgres|postgresql|pglite):\/\//;

/** Settings of the optional embedder: any OpenAI-compatible `/v1/embeddings` endpoint. */
export const postgresEmbedderSettingsSchema = z
  .object({
    /** The endpoint's full URL, e.g. `https://api.openai.com/v1/embeddings` or `http://127.0.0.1:11434/v1/embeddings`. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of an /v1/embeddings endpoint' }),
    /** The embedding model, e.g. `text-embedding-3-small` or `nomic-embed-text`. */
    model: z.string().min(1),
    /** Sent as `Authorization: Bearer <apiKey>`; may be a `${ENV_VAR}` reference, read on first use. */
    apiKey: z.string().min(1).optional(),
    /** Length of the vectors the model returns; a response of another length is an error. */
    dimensions: z.number().int().min(1).max(16000),
    /** Also send `dimensions` in the request (OpenAI's text-embedding-3 models can shorten vectors). Default false. */
    requestDimensions: z.boolean().optional(),
    /** Per-request timeout in milliseconds (default 10,000); the call's deadline also applies. */
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** Settings of the optional embedder. */
export type PostgresEmbedderSettings = z.infer<typeof postgresEmbedderSettingsSchema>;

const isPool = (value: unknown): value is Pool => typeof value === 'object' && value !== null && typeof (value as Pool).connect === 'function' && typeof (value as Pool).query === 'function';
const isPglite = (value: unknown): value is PGlite => typeof value === 'object' && value !== null && typeof (value as PGlite).transaction === 'function' && typeof (value as PGlite).exec === 'function';

/**
 * Settings of `createPostgresMemoryProvider`. Exactly one of `connectionString`, `pool` and `pglite`
 * says where the memories live. Unknown fields are errors.
 */
export const postgresProviderSettingsSchema = z
  .object({
    /** Instance name, unique within a gateway (default `postgres`). */
    name: z.string().min(1).optional(),
    /**
     * `postgres://…` / `postgresql://…` for a server (through `pg`), `pglite://memory` for an
     * in-memory PGlite, `pglite://<directory>` for a PGlite kept on disk (`pglite:///abs/path` or
     * `pglite://./relative`). May be, or contain, `${ENV_VAR}` references, resolved on first use.
     */
    connectionString: z
      .string()
      .refine((value) => connectionUrl.test(value) || envReference.test(value), {
        error: 'must start with postgres://, postgresql:// or pglite://, or be a ${ENV_VAR} reference',
      })
      .optional(),
    /** An existing `pg.Pool` to use instead of a connection string; the provider never ends it. */
    pool: z.custom<Pool>(isPool, { error: 'must be a pg.Pool' }).optional(),
    /** An existing PGlite instance (load `vector` from `@electric-sql/pglite-pgvector` for vector search); never closed by the provider. */
    pglite: z.custom<PGlite>(isPglite, { error: 'must be a PGlite instance' }).optional(),
    /** Computes embeddings for vector search where pgvector exists. Without it, only caller-given embeddings are used. */
    embedder: postgresEmbedderSettingsSchema.optional(),
    /** Connections in the pool this provider creates for a server (default 10). */
    poolSize: z.number().int().min(1).max(1000).optional(),
    /** Server-side `statement_timeout` in milliseconds for every statement (default 30,000; 0 disables). */
    statementTimeoutMs: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((settings) => [settings.connectionString, settings.pool, settings.pglite].filter((value) => value !== undefined).length === 1, {
    error: 'give exactly one of connectionString, pool and pglite',
    path: ['connectionString'],
  });

/** Settings of `createPostgresMemoryProvider`. */
export type PostgresProviderSettings = z.input<typeof postgresProviderSettingsSchema>;
