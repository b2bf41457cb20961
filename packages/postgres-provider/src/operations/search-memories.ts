import { parseWithSchema, type MemoryFilter, type MemoryProviderV1SearchResult } from '@memgate/core';
import { and, desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { memories } from '../schema/memories.js';
import { memoryEmbeddings } from '../schema/memory-embeddings.js';
import { reciprocalRankFusion } from '../search/reciprocal-rank-fusion.js';
import { recordColumns, rowToRecord, type RecordRow } from '../sql/memory-columns.js';
import { memoryFilterToSql } from '../sql/memory-filter-to-sql.js';
import { embedTexts } from './embed-texts.js';
import type { PostgresDrizzle } from '../connection/postgres-database.js';
import type { OperationContext } from './operation-context.js';

const querySchema = z.object({
  query: z.string().trim().min(1, 'must not be empty'),
  filter: z.custom<MemoryFilter>((value) => typeof value === 'object' && value !== null && 'type' in value, { error: 'must be a parsed MemoryFilter' }),
  topK: z.number().int().min(1).max(1000).default(10),
  threshold: z.number().min(0).max(1).default(0),
  embedding: z.array(z.number()).min(1).optional(),
});

type Ranked = RecordRow & { score: number };

/**
 * Full-text candidates: any query word matches (the words are OR-ed, so a longer question still
 * finds memories that share some of its words), ranked by ts_rank normalised to [0, 1) (flag 32).
 */
async function fullTextCandidates(db: PostgresDrizzle, text: string, where: ReturnType<typeof memoryFilterToSql>, limit: number): Promise<Ranked[]> {
  const tsquery = sql`replace(plainto_tsquery('english'::regconfig, ${text}::text)::text, '&', '|')::tsquery`;
  const score = sql<number>`ts_rank(${memories.searchVector}, ${tsquery}, 32)`;
  return db
    .select({ ...recordColumns, score })
    .from(memories)
    .where(and(sql`${memories.searchVector} @@ ${tsquery}`, where))
    .orderBy(desc(score), desc(memories.createdAt), desc(memories.id))
    .limit(limit);
}

/**
 * Vector candidates: exact cosine distance over the filter's memories, score = 1 - distance / 2.
 * The distance is a scalar subquery per candidate (a primary-key lookup), so the scope's index
 * drives the plan; a join let the planner hash every embedding in the table. Memories without an
 * embedding of the query's length get no distance and are dropped.
 */
async function vectorCandidates(db: PostgresDrizzle, vector: number[], where: ReturnType<typeof memoryFilterToSql>, limit: number): Promise<Ranked[]> {
  const distance = sql<number | null>`(select ${memoryEmbeddings.embedding} <=> ${`[${vector.join(',')}]`}::vector from ${memoryEmbeddings}
    where ${memoryEmbeddings.memoryId} = ${memories.id} and ${memoryEmbeddings.dimensions} = ${vector.length})`.as('distance');
  const rows = await db
    .select({ ...recordColumns, distance })
    .from(memories)
    .where(where)
    .orderBy(sql`"distance" asc nulls last`, desc(memories.createdAt))
    .limit(limit);
  return rows.flatMap(({ distance: value, ...row }) => (value === null ? [] : [{ ...row, score: 1 - Number(value) / 2 }]));
}

/**
 * Ranks the filter's memories against a query: by full text always; where pgvector and an
 * embedding (the caller's or the embedder's) are there, also by vector similarity, fused by
 * reciprocal rank fusion. Scores are in [0, 1]; results below `threshold` are dropped.
 */
export async function searchMemories(context: OperationContext, input: unknown): Promise<MemoryProviderV1SearchResult[]> {
  const query = parseWithSchema(querySchema, input, 'query');
  const where = memoryFilterToSql(query.filter);
  const pool = Math.min(1000, Math.max(query.topK * 4, 40));
  const [vector] = context.database.vector && (query.embedding || context.embedder) ? await embedTexts(context, [{ text: query.query, embedding: query.embedding }]) : [undefined];
  const [textRows, vectorRows] = await context.withDatabase(async (db) => [
    await fullTextCandidates(db, query.query, where, vector ? pool : query.topK),
    vector ? await vectorCandidates(db, vector, where, pool) : [],
  ]);
  let ranked: Ranked[] = textRows.map((row) => ({ ...row, score: Number(row.score) }));
  if (vector) {
    const byId = new Map<string, RecordRow>([...textRows, ...vectorRows].map((row) => [row.id, row]));
    ranked = reciprocalRankFusion([textRows.map((row) => row.id), vectorRows.map((row) => row.id)]).map(({ id, score }) => ({ ...byId.get(id)!, score }));
  }
  return ranked
    .filter((row) => row.score >= query.threshold)
    .slice(0, query.topK)
    .map(({ score, ...row }) => ({ ...rowToRecord(row), score: Math.min(1, Math.max(0, score)) }));
}
