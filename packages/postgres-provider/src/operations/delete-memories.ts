import { generateMemoryId, hasScope, memoryScopeSchema, NotFoundError, parseWithSchema, ValidationError } from '@memgate/core';
import { and, eq, type SQL } from 'drizzle-orm';
import { memories } from '../schema/memories.js';
import { memoryHistory } from '../schema/memory-history.js';
import { rowScope } from '../sql/memory-columns.js';
import { transact, type OperationContext, type Transaction } from './operation-context.js';

const deletedColumns = { id: memories.id, userId: memories.userId, agentId: memories.agentId, appId: memories.appId, runId: memories.runId, memory: memories.memory };

async function deleteWhere(tx: Transaction, where: SQL): Promise<number> {
  const deleted = await tx.delete(memories).where(where).returning(deletedColumns);
  const now = new Date();
  for (let start = 0; start < deleted.length; start += 1000) {
    const history = deleted.slice(start, start + 1000).map((row) => ({ id: generateMemoryId(), memoryId: row.id, ...rowScope(row), event: 'DELETE' as const, oldMemory: row.memory, newMemory: null, createdAt: now }));
    await tx.insert(memoryHistory).values(history);
  }
  return deleted.length;
}

/**
 * Deletes one memory and records a DELETE; its embedding goes with it (foreign key cascade).
 * @throws NotFoundError when there is no such memory
 */
export async function deleteMemory(context: OperationContext, id: string): Promise<void> {
  const count = await transact(context, (tx) => deleteWhere(tx, eq(memories.id, id)));
  if (count === 0) throw new NotFoundError({ message: `no memory with id ${id}`, providerId: context.providerId });
}

/**
 * Deletes every memory whose scope fields equal the given ones, recording a DELETE for each.
 * @throws ValidationError when the scope names no field
 */
export async function deleteAllMemories(context: OperationContext, input: unknown): Promise<{ deleted: number }> {
  const scope = parseWithSchema(memoryScopeSchema, input, 'scope');
  if (!hasScope(scope)) throw new ValidationError({ field: 'scope', message: 'scope: needs at least one of userId, agentId, appId, runId' });
  const conditions = [
    scope.userId !== undefined ? eq(memories.userId, scope.userId) : undefined,
    scope.agentId !== undefined ? eq(memories.agentId, scope.agentId) : undefined,
    scope.appId !== undefined ? eq(memories.appId, scope.appId) : undefined,
    scope.runId !== undefined ? eq(memories.runId, scope.runId) : undefined,
  ];
  return { deleted: await transact(context, (tx) => deleteWhere(tx, and(...conditions)!)) };
}
