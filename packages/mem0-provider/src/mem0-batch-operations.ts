import { memoryProviderV1PatchSchema, parseWithSchema, ValidationError } from '@memgate/core';
import type { Mem0MemoryProvider } from './mem0-memory-provider.js';
import type { Mem0ProviderRuntime } from './mem0-provider-runtime.js';
import { checkCallerMetadata, decodeMemory, encodeMetadata } from './mem0-record-codec.js';

/** The mem0-only operations of {@link Mem0MemoryProvider}: entities and batches, by canonical id. */
export function mem0BatchOperations(runtime: Mem0ProviderRuntime): Pick<Mem0MemoryProvider, 'listEntities' | 'batchUpdate' | 'batchDelete'> {
  const { name, backend, within, locateAll, checkId } = runtime;
  const checkBatch = (items: unknown, field: string): void => {
    if (!Array.isArray(items) || items.length === 0 || items.length > 1000) throw new ValidationError({ field, message: `${field}: must hold 1 to 1000 items`, providerId: name });
  };
  return {
    async listEntities(options) {
      return within(options, (call) => backend.entities(call));
    },

    async batchUpdate(items, options) {
      checkBatch(items, 'items');
      const changes = items.map((item, index) => {
        const { id, ...patch } = item;
        checkId(id, `items[${index}].id`);
        const parsed = parseWithSchema(memoryProviderV1PatchSchema, patch, `items[${index}]`);
        checkCallerMetadata(parsed.metadata, `items[${index}].metadata`);
        return { id, patch: parsed };
      });
      return within(options, async (call) => {
        // Every id is located before anything changes, so an unknown one changes nothing.
        const memories = await locateAll(changes.map((change) => change.id), call);
        const now = new Date().toISOString();
        await backend.batchChange(memories.map((memory, index) => {
          const { patch } = changes[index]!;
          const current = decodeMemory(memory, name);
          const next = { ...current, metadata: patch.metadata ?? current.metadata, updatedAt: patch.updatedAt ? new Date(patch.updatedAt).toISOString() : now };
          return { mem0Id: memory.id, ...(patch.memory !== undefined && { text: patch.memory }), metadata: encodeMetadata(next, backend.appInMetadata) };
        }), call);
        return { updated: memories.length };
      });
    },

    async batchDelete(ids, options) {
      checkBatch(ids, 'ids');
      ids.forEach((id, index) => checkId(id, `ids[${index}]`));
      return within(options, async (call) => {
        const memories = await locateAll(ids, call);
        await backend.batchRemove(memories.map((memory) => memory.id), call);
        return { deleted: memories.length };
      });
    },
  };
}
