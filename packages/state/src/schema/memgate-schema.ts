import { pgSchema } from 'drizzle-orm/pg-core';

/**
 * Every control-plane table lives in the `memgate` PostgreSQL schema, so the store can share a
 * database with a postgres provider's `memories` (or anything else) without a name clash.
 */
export const memgateSchema = pgSchema('memgate');
