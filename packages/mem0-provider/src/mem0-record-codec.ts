import { ProviderUnavailableError, ValidationError, type MemoryMetadata, type MemoryRecord, type MemoryScope } from '@memgate/core';
import type { Mem0Memory } from './mem0-schemas.js';

/**
 * Metadata keys the provider keeps inside each mem0 memory: mem0 chooses its own ids and times, so the
 * canonical id and timestamps travel here. `memgate_app_id` carries the app scope on OSS, which has none.
 */
export const reservedMetadataKeys = ['memgate_id', 'memgate_created_at', 'memgate_updated_at', 'memgate_app_id'] as const;

/** @throws ValidationError when caller metadata uses a reserved key */
export function checkCallerMetadata(metadata: MemoryMetadata | undefined, field: string): void {
  for (const key of reservedMetadataKeys) {
    if (metadata && key in metadata) throw new ValidationError({ field: `${field}.${key}`, message: `${field}.${key}: is reserved by the mem0 provider` });
  }
}

/** The metadata stored in mem0 for a canonical record. */
export function encodeMetadata(record: Pick<MemoryRecord, 'id' | 'metadata' | 'createdAt' | 'updatedAt' | 'appId'>, appInMetadata: boolean): MemoryMetadata {
  return {
    ...record.metadata,
    memgate_id: record.id,
    memgate_created_at: record.createdAt,
    memgate_updated_at: record.updatedAt,
    ...(appInMetadata && record.appId !== undefined && { memgate_app_id: record.appId }),
  };
}

const iso = (value: unknown, providerId: string, what: string): string | undefined => {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new ProviderUnavailableError({ message: `mem0 returned a memory whose ${what} is not a date`, providerId });
  return new Date(time).toISOString();
};

/**
 * The canonical record of a mem0 memory. Memories written by memgate carry their canonical id and times in
 * metadata; others (written by mem0 clients directly) keep mem0's id and times.
 */
export function decodeMemory(memory: Mem0Memory, providerId: string): MemoryRecord {
  const raw = memory.metadata ?? {};
  const metadata: MemoryMetadata = {};
  for (const [key, value] of Object.entries(raw)) if (!(reservedMetadataKeys as readonly string[]).includes(key)) metadata[key] = value;
  const createdAt = iso(raw.memgate_created_at, providerId, 'memgate_created_at') ?? iso(memory.created_at, providerId, 'created_at') ?? new Date(0).toISOString();
  const updatedAt = iso(raw.memgate_updated_at, providerId, 'memgate_updated_at') ?? iso(memory.updated_at, providerId, 'updated_at') ?? createdAt;
  const scope: MemoryScope = {};
  const put = (field: keyof MemoryScope, value: unknown): void => {
    if (typeof value === 'string' && value.length > 0) scope[field] = value;
  };
  put('userId', memory.user_id);
  put('agentId', memory.agent_id);
  put('appId', memory.app_id ?? raw.memgate_app_id);
  put('runId', memory.run_id ?? memory.session_id);
  return { id: typeof raw.memgate_id === 'string' && raw.memgate_id ? raw.memgate_id : memory.id, memory: memory.memory, metadata, createdAt, updatedAt, ...scope };
}
