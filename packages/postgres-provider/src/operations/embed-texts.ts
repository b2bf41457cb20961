import type { OperationContext } from './operation-context.js';

/**
 * Embeddings for texts, where vector search is on: a caller-given vector wins; the others come
 * from the embedder in one request. Undefined entries stay unembedded (no pgvector, no embedder).
 */
export async function embedTexts(context: OperationContext, items: readonly { text: string; embedding?: readonly number[] | undefined }[]): Promise<(number[] | undefined)[]> {
  const result: (number[] | undefined)[] = items.map((item) => (item.embedding ? [...item.embedding] : undefined));
  if (!context.database.vector) return items.map(() => undefined);
  const missing = items.flatMap((item, index) => (item.embedding ? [] : [index]));
  if (!context.embedder || missing.length === 0) return result;
  const vectors = await context.embedder(missing.map((index) => items[index]!.text), context.signal);
  missing.forEach((index, position) => (result[index] = vectors[position]));
  return result;
}
