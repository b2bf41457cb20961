import { generateMemoryId, memoryProviderV1PatchSchema, NotFoundError, parseWithSchema, type MemoryRecord } from '@memgate/core';
import { eq } from 'drizzle-orm';
import { memories } from '../schema/memories.js';
import { memoryEmbeddings } from '../schema/memory-embeddings.js';
import { memoryHistory } from '../schema/memory-history.js';
import { recordColumns, rowScope, rowToRecord } from '../sql/memory-columns.js';
import { hashMemory } from './add-memories.js';
import { embedTexts } from './embed-texts.js';
import { transact, type OperationContext } from './operation-context.js';

/**
 * Changes a memory's text and/or metadata (metadata is replaced whole) and records an UPDATE.
 * New text is embedded again where vector search is on.
 * @throws NotFoundError when there is no such memory
 */
export async function updateMemory(context: OperationContext, id: string, input: unknown): Promise<MemoryRecord> {
  const patch = parseWithSchema(memoryProviderV1PatchSchema, input, 'patch');
  const [vector] = patch.memory !== undefined || patch.embedding ? await embedTexts(context, [{ text: patch.memory ?? '', embedding: patch.embedding }]) : [undefined];
  const updatedAt = patch.updatedAt ? new Date(patch.updatedAt) : new Date();
  const row = await transact(context, async (tx) => {
    const [old] = await tx.select(recordColumns).from(memories).where(eq(memories.id, id)).for('update');
    if (!old) throw new NotFoundError({ message: `no memory with id ${id}`, providerId: context.providerId });
    const changes = {
      updatedAt,
      ...(patch.memory !== undefined ? { memory: patch.memory, hash: hashMemory(patch.memory) } : {}),
      ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
    };
    const [updated] = await tx.update(memories).set(changes).where(eq(memories.id, id)).returning(recordColumns);
    await tx.insert(memoryHistory).values({ id: generateMemoryId(), memoryId: id, ...rowScope(old), event: 'UPDATE', oldMemory: old.memory, newMemory: updated!.memory, createdAt: updatedAt });
    if (vector) {
      const value = { dimensions: vector.length, embedding: vector };
      await tx.insert(memoryEmbeddings).values({ memoryId: id, ...value }).onConflictDoUpdate({ target: memoryEmbeddings.memoryId, set: value });
    }
    return updated!;
  });
  return rowToRecord(row);
}
