import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { vector } from './columns.js';
import { memories } from './memories.js';

/**
 * One embedding per memory, in its own table because it exists only where pgvector does (its
 * migrations are a second set, applied only when `CREATE EXTENSION vector` works). Deleting a
 * memory deletes its embedding.
 */
export const memoryEmbeddings = pgTable(
  'memory_embeddings',
  {
    memoryId: text()
      .primaryKey()
      .references(() => memories.id, { onDelete: 'cascade' }),
    /** Length of `embedding`; searches compare only vectors of the query's length. */
    dimensions: integer().notNull(),
    embedding: vector().notNull(),
  },
  (table) => [index('memory_embeddings_dimensions_idx').on(table.dimensions)],
);
