import {
  parseWithSchema,
  ProviderUnavailableError,
  runWithinCall,
  type MemoryProviderV1,
  type MemoryProviderV1CallOptions,
  type MemoryProviderV1Capabilities,
} from '@memgate/core';
import { sql } from 'drizzle-orm';
import { openDatabase } from './connection/open-database.js';
import type { PostgresDatabase } from './connection/postgres-database.js';
import { createEmbedder } from './embedder/create-embedder.js';
import { toMemoryError } from './errors/to-memory-error.js';
import { addMemories } from './operations/add-memories.js';
import { deleteAllMemories, deleteMemory } from './operations/delete-memories.js';
import type { OperationContext } from './operations/operation-context.js';
import { getMemory, listMemories, memoryHistoryEvents } from './operations/read-memories.js';
import { aggregateEntities } from './operations/aggregate-entities.js';
import { searchMemories } from './operations/search-memories.js';
import { updateMemory } from './operations/update-memory.js';
import { postgresProviderSettingsSchema, type PostgresProviderSettings } from './postgres-provider-settings.js';

/** A PostgreSQL memory provider, plus an escape hatch to its database. */
export interface PostgresMemoryProvider extends MemoryProviderV1 {
  readonly type: 'postgres';
  /**
   * The open drizzle database (connecting and migrating first if needed), its driver and whether
   * pgvector is on. **Unstable**: for benchmarks, bulk loads and diagnostics; the schema and
   * this shape may change in any release.
   */
  getClient(): Promise<PostgresDatabase>;
}

/**
 * Creates a memory provider over PostgreSQL: a server through `pg` (`postgres://…`) or embedded
 * PGlite (`pglite://memory`, `pglite://<dir>`), both through drizzle-orm. Construction opens
 * nothing: the first call connects and applies the migrations, once, however many calls race.
 * A failed start is not cached; the next call tries again.
 * @throws ValidationError naming the bad setting
 */
export function createPostgresMemoryProvider(settings: PostgresProviderSettings): PostgresMemoryProvider {
  const parsed = parseWithSchema(postgresProviderSettingsSchema, settings, 'settings') as PostgresProviderSettings;
  const name = parsed.name ?? 'postgres';
  const embedder = parsed.embedder ? createEmbedder(parsed.embedder, name) : undefined;
  const embedded = parsed.pglite !== undefined || (parsed.connectionString?.startsWith('pglite://') ?? false);
  let opening: Promise<PostgresDatabase> | undefined;
  let database: PostgresDatabase | undefined;
  let closed = false;

  const open = (): Promise<PostgresDatabase> => {
    if (closed) return Promise.reject(new ProviderUnavailableError({ message: `provider ${name} is closed`, providerId: name, isRetryable: false }));
    opening ??= openDatabase(parsed).then(
      (opened) => (database = opened),
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    );
    return opening;
  };

  const call = <T>(options: MemoryProviderV1CallOptions | undefined, work: (context: OperationContext) => Promise<T>): Promise<T> =>
    runWithinCall(options, name, async (signal) => {
      try {
        const database = await open();
        return await work({ database, withDatabase: (queries) => database.session(signal, queries), providerId: name, embedder, signal, options });
      } catch (error) {
        throw toMemoryError(error, name);
      }
    });

  const capabilities: MemoryProviderV1Capabilities = {
    // Known for sure once connected; before that, PGlite always brings pgvector and a server may not.
    get vectorSearch() {
      return database?.vector ?? embedded;
    },
    fullTextSearch: true,
    history: true,
    metadataFilters: true,
    callerIds: true,
    batchWrites: true,
    inference: false,
  };

  return {
    specificationVersion: 'v1',
    type: 'postgres',
    name,
    capabilities,
    add: (records, options) => call(options, (context) => addMemories(context, records)),
    get: (id, options) => call(options, (context) => getMemory(context, id)),
    list: (filter, page, options) => call(options, (context) => listMemories(context, filter, page)),
    aggregateEntities: (filter, options) => call(options, (context) => aggregateEntities(context, filter)),
    search: (query, options) => call(options, (context) => searchMemories(context, query)),
    update: (id, patch, options) => call(options, (context) => updateMemory(context, id, patch)),
    delete: (id, options) => call(options, (context) => deleteMemory(context, id)),
    deleteAll: (scope, options) => call(options, (context) => deleteAllMemories(context, scope)),
    history: (id, options) => call(options, (context) => memoryHistoryEvents(context, id)),
    probe: (options) =>
      call(options, async ({ database: open, withDatabase }) => {
        const started = performance.now();
        const result = await withDatabase((db) => db.execute(sql`select version() as version`));
        const version = (result as unknown as { rows: { version: string }[] }).rows[0]?.version ?? '';
        return { latencyMs: performance.now() - started, detail: `${open.driver}: ${version.split(' on ')[0]}${open.vector ? ', pgvector' : ''}` };
      }),
    getClient: () => call(undefined, async ({ database: open }) => open),
    close: async () => {
      if (closed) return;
      closed = true;
      const pending = opening;
      opening = undefined;
      database = undefined;
      const opened = await pending?.catch(() => undefined);
      await opened?.close();
    },
  };
}
