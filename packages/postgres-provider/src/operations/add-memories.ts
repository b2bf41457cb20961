import { createHash } from 'node:crypto';
import { ConflictError, generateMemoryId, hasScope, memoryProviderV1NewRecordSchema, parseWithSchema, ValidationError, type MemoryRecord } from '@memgate/core';
import { inArray, sql } from 'drizzle-orm';
import { memories, type NewMemoryRow } from '../schema/memories.js';
import { memoryEmbeddings } from '../schema/memory-embeddings.js';
import { memoryHistory } from '../schema/memory-history.js';
import { recordColumns, rowScope, rowToRecord, type RecordRow } from '../sql/memory-columns.js';
import { embedTexts } from './embed-texts.js';
import { transact, type OperationContext } from './operation-context.js';

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters. */
const chunkSize = 1000;

/** md5 of a memory's text, as mem0 stores it. */
export const hashMemory = (text: string): string => createHash('md5').update(text).digest('hex');

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / chunkSize) }, (_, index) => items.slice(index * chunkSize, (index + 1) * chunkSize));

/**
 * Adds memories all or none in one transaction. An id that already exists with the same scope and
 * text yields the stored record; with other content the whole batch fails with `ConflictError`.
 */
export async function addMemories(context: OperationContext, input: unknown): Promise<MemoryRecord[]> {
  if (!Array.isArray(input)) throw new ValidationError({ field: 'records', message: 'records: must be an array of memories' });
  const records = input.map((item, index) => {
    const record = parseWithSchema(memoryProviderV1NewRecordSchema, item, `records[${index}]`);
    if (!hasScope(record)) throw new ValidationError({ field: `records[${index}]`, message: `records[${index}]: needs at least one of userId, agentId, appId, runId` });
    return record;
  });
  if (records.length === 0) return [];
  const now = new Date();
  const rows: (NewMemoryRow & RecordRow)[] = records.map((record) => {
    const createdAt = record.createdAt ? new Date(record.createdAt) : now;
    return { id: record.id ?? generateMemoryId(), userId: record.userId ?? null, agentId: record.agentId ?? null, appId: record.appId ?? null, runId: record.runId ?? null, memory: record.memory, metadata: record.metadata ?? {}, hash: hashMemory(record.memory), createdAt, updatedAt: createdAt };
  });
  const vectors = await embedTexts(context, records.map((record) => ({ text: record.memory, embedding: record.embedding })));
  if (rows.length === 1 && !vectors[0]) {
    const inserted = await insertOneMemory(context, rows[0]!);
    if (inserted) return [rowToRecord(inserted)];
    // The id exists already: the transaction below answers with the stored record or a ConflictError.
  }
  const stored = await transact(context, async (tx) => {
    const inserted = new Map<string, RecordRow>();
    for (const chunk of chunks(rows)) {
      for (const row of await tx.insert(memories).values(chunk).onConflictDoNothing({ target: memories.id }).returning(recordColumns)) inserted.set(row.id, row);
    }
    const existing = new Map<string, RecordRow>();
    const missing = [...new Set(rows.filter((row) => !inserted.has(row.id)).map((row) => row.id))];
    for (const chunk of chunks(missing)) for (const row of await tx.select(recordColumns).from(memories).where(inArray(memories.id, chunk))) existing.set(row.id, row);
    for (const row of rows) {
      const found = inserted.get(row.id) ?? existing.get(row.id)!;
      if (found.memory !== row.memory || JSON.stringify(rowScope(found)) !== JSON.stringify(rowScope(row))) {
        throw new ConflictError({ message: `memory ${row.id} already exists with different content`, providerId: context.providerId });
      }
    }
    const history = [...inserted.values()].map((row) => ({ id: generateMemoryId(), memoryId: row.id, ...rowScope(row), event: 'ADD' as const, oldMemory: null, newMemory: row.memory, createdAt: row.createdAt }));
    for (const chunk of chunks(history)) await tx.insert(memoryHistory).values(chunk);
    const embeddings = rows.flatMap((row, index) => (vectors[index] && inserted.has(row.id) ? [{ memoryId: row.id, dimensions: vectors[index].length, embedding: vectors[index] }] : []));
    for (const chunk of chunks(embeddings)) await tx.insert(memoryEmbeddings).values(chunk).onConflictDoNothing();
    return rows.map((row) => inserted.get(row.id) ?? existing.get(row.id)!);
  });
  return stored.map(rowToRecord);
}

/** A row of {@link insertOneMemory}'s statement, as the driver returns it (snake_case). */
interface InsertedRow {
  id: string;
  user_id: string | null;
  agent_id: string | null;
  app_id: string | null;
  run_id: string | null;
  memory: string;
  metadata: Record<string, unknown>;
  created_at: Date | string;
  updated_at: Date | string;
}

/**
 * The common add, one new memory without an embedding, in one statement (one round trip, where the
 * transaction below takes five: begin, the deadline, the memory, its history, commit): the memory and
 * its ADD history row are inserted by one INSERT with a data-modifying CTE, which PostgreSQL runs
 * atomically as its own transaction. Returns undefined, having written nothing, when the id exists.
 * Its deadline is the connection's `statement_timeout` and the session's cancel on abort; the
 * per-call `SET LOCAL` of {@link transact} would cost a round trip of its own.
 */
async function insertOneMemory(context: OperationContext, row: NewMemoryRow & RecordRow): Promise<RecordRow | undefined> {
  const createdAt = row.createdAt.toISOString();
  const result = await context.withDatabase((db) =>
    db.execute(sql`with inserted as (
  insert into memories (id, user_id, agent_id, app_id, run_id, memory, metadata, hash, created_at, updated_at)
  values (${row.id}, ${row.userId}, ${row.agentId}, ${row.appId}, ${row.runId}, ${row.memory}, ${JSON.stringify(row.metadata)}::jsonb, ${row.hash}, ${createdAt}::timestamptz, ${createdAt}::timestamptz)
  on conflict (id) do nothing
  returning id, user_id, agent_id, app_id, run_id, memory, metadata, created_at, updated_at
), history as (
  insert into memory_history (id, memory_id, user_id, agent_id, app_id, run_id, event, old_memory, new_memory, created_at)
  select ${generateMemoryId()}, id, user_id, agent_id, app_id, run_id, 'ADD', null, memory, created_at from inserted
)
select * from inserted`),
  );
  const [inserted] = (result as unknown as { rows: InsertedRow[] }).rows;
  if (!inserted) return undefined;
  return {
    id: inserted.id,
    userId: inserted.user_id,
    agentId: inserted.agent_id,
    appId: inserted.app_id,
    runId: inserted.run_id,
    memory: inserted.memory,
    metadata: typeof inserted.metadata === 'string' ? (JSON.parse(inserted.metadata) as Record<string, unknown>) : inserted.metadata,
    createdAt: new Date(inserted.created_at),
    updatedAt: new Date(inserted.updated_at),
  };
}
