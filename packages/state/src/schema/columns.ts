import { timestamp } from 'drizzle-orm/pg-core';

/** `created_at`/`updated_at`, set by the database on insert (timestamptz). */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};
