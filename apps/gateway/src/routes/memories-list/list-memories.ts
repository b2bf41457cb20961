import type { MemoryFilter } from '@memgate/core';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/app-env.js';
import { callOptions } from '../../mem0/call-options.js';
import { pageLinks } from '../../mem0/page-links.js';
import { toMem0Memory } from '../../mem0/to-mem0-memory.js';

/** mem0's default page size for listings. */
export const defaultPageSize = 100;

/** One page of memories in mem0's envelope (`count`, `next`, `previous`, `results`). */
export async function listMemories(c: Context<AppEnv>, filter: MemoryFilter, page: number, pageSize: number) {
  const listing = await c.var.memory.list(filter, { page, pageSize }, callOptions(c));
  return { ...pageLinks(c.req.url, page, pageSize, listing.total), results: listing.items.map((record) => toMem0Memory(record)) };
}
