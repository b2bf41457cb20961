import { MemoryError, NotFoundError, ProviderUnavailableError, runWithinCall, ValidationError, type MemoryProviderV1CallOptions, type MemoryRecord } from '@memgate/core';
import type { z } from 'zod';
import { CanonicalIdCache } from './canonical-id-cache.js';
import type { Mem0Backend, Mem0Call } from './mem0-backend.js';
import { createMem0HttpClient, type Mem0HttpClient } from './mem0-http-client.js';
import { mem0PlatformUrl, type mem0ProviderSettingsSchema } from './mem0-provider-settings.js';
import { decodeMemory } from './mem0-record-codec.js';
import type { Mem0Memory } from './mem0-schemas.js';
import { createOssBackend } from './oss-backend.js';
import { createPlatformBackend } from './platform-backend.js';

/** What every operation of one provider instance shares: the backend, the id cache and the call wrapper. */
export interface Mem0ProviderRuntime {
  readonly name: string;
  readonly client: Mem0HttpClient;
  readonly backend: Mem0Backend;
  readonly ids: CanonicalIdCache;
  /** Most memories a listing may scan. */
  readonly maxScan: number;
  /** Runs one operation within the caller's signal and the sooner of its deadline and `timeoutMs`; only core errors leave it. */
  within<T>(options: MemoryProviderV1CallOptions | undefined, work: (call: Mem0Call) => Promise<T>): Promise<T>;
  /** The canonical record of a mem0 memory; remembers its mem0 id. */
  decode(memory: Mem0Memory): MemoryRecord;
  /** The mem0 memory holding a canonical id (cached mem0 id first, else a metadata lookup), or null. */
  locate(id: string, call: Mem0Call): Promise<Mem0Memory | null>;
  /** Locates every id. @throws NotFoundError for the first unknown one */
  locateAll(ids: readonly string[], call: Mem0Call): Promise<Mem0Memory[]>;
  /** @throws ValidationError unless `id` is a non-empty string */
  checkId(id: unknown, field?: string): string;
}

/** Builds the runtime from validated settings; opens nothing. */
export function createMem0ProviderRuntime(settings: z.output<typeof mem0ProviderSettingsSchema>): Mem0ProviderRuntime {
  const name = settings.name ?? 'mem0';
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const maxScan = settings.maxScan ?? 10_000;
  const client = createMem0HttpClient({
    providerId: name,
    baseUrl: settings.baseUrl ?? mem0PlatformUrl,
    maxResponseBytes: settings.maxResponseBytes ?? 5 * 1024 * 1024,
    dispatcher: settings.dispatcher,
    authHeaders: (resolve): Record<string, string> => {
      if (settings.mode === 'platform') return { authorization: `Token ${resolve(settings.apiKey ?? '${MEM0_API_KEY}')}` };
      if (settings.bearerToken) return { authorization: `Bearer ${resolve(settings.bearerToken)}` };
      return settings.apiKey ? { 'x-api-key': resolve(settings.apiKey) } : {};
    },
  });
  const backend: Mem0Backend = settings.mode === 'platform'
    ? createPlatformBackend(client, { providerId: name, pollIntervalMs: settings.pollIntervalMs ?? 250 })
    : createOssBackend(client, { providerId: name });
  const ids = new CanonicalIdCache();

  const within = <T>(options: MemoryProviderV1CallOptions | undefined, work: (call: Mem0Call) => Promise<T>): Promise<T> => {
    const ownDeadline = Date.now() + timeoutMs;
    const deadline = options?.deadline === undefined ? ownDeadline : Math.min(options.deadline, ownDeadline);
    return runWithinCall({ ...options, deadline }, name, (signal) =>
      work({ signal, ...(options?.requestId !== undefined && { requestId: options.requestId }) }).catch((error: unknown) => {
        // Nothing but core's errors leaves a provider.
        throw MemoryError.isInstance(error) ? error : new ProviderUnavailableError({ message: `mem0 call failed: ${(error as Error)?.message}`, providerId: name, cause: error });
      }),
    );
  };
  const decode = (memory: Mem0Memory): MemoryRecord => {
    const record = decodeMemory(memory, name);
    ids.set(record.id, memory.id);
    return record;
  };
  const locate = async (id: string, call: Mem0Call): Promise<Mem0Memory | null> => {
    const cached = ids.get(id);
    if (cached !== undefined) {
      const memory = await backend.fetch(cached, call);
      if (memory && decodeMemory(memory, name).id === id) return memory;
    }
    const found = await backend.findByCanonicalId(id, call);
    if (found) ids.set(id, found.id);
    return found;
  };
  const locateAll = async (idList: readonly string[], call: Mem0Call): Promise<Mem0Memory[]> => {
    const found: Mem0Memory[] = [];
    for (const id of idList) {
      const memory = await locate(id, call);
      if (!memory) throw new NotFoundError({ message: `no memory with id ${id}`, providerId: name });
      found.push(memory);
    }
    return found;
  };
  const checkId = (id: unknown, field = 'id'): string => {
    if (typeof id !== 'string' || id.length === 0) throw new ValidationError({ field, message: `${field}: must be a non-empty string`, providerId: name });
    return id;
  };

  return { name, client, backend, ids, maxScan, within, decode, locate, locateAll, checkId };
}
