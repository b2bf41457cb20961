import { customType, text } from 'drizzle-orm/pg-core';

/** A PostgreSQL `tsvector`; only ever written by the database (a generated column). */
export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

/**
 * A pgvector `vector` without a fixed dimension, so one table holds embeddings of any model;
 * queries compare only rows whose `dimensions` equal the query's length. Values travel as pgvector's
 * text form `[1,2,3]`.
 */
export const vector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => JSON.parse(value) as number[],
});

/** The four scope columns (mem0's entity ids), shared by memories and their history. */
export const scopeColumns = () => ({
  userId: text(),
  agentId: text(),
  appId: text(),
  runId: text(),
});
