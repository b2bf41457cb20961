import { hasScope, type MemoryMetadata, type MemoryProviderV1NewRecord, ValidationError } from '@memgate/core';
import { readEntityScope } from './read-entity-scope.js';

/** The fields of a mem0 add request that memgate uses. */
export interface Mem0AddInput {
  readonly messages: string | ReadonlyArray<{ readonly role: string; readonly content: string }>;
  readonly metadata?: Record<string, unknown> | null;
  readonly timestamp?: number | string | null;
  readonly [key: string]: unknown;
}

/**
 * mem0's add semantics with `infer: false`: every non-system message becomes one memory, stored
 * verbatim, with the request's scope and metadata. A string is one user message.
 * @throws ValidationError when no entity id is given, a timestamp is invalid, or every message is a system message
 */
export function toNewRecords(input: Mem0AddInput): MemoryProviderV1NewRecord[] {
  const scope = readEntityScope(input);
  if (!hasScope(scope)) {
    throw new ValidationError({ field: 'user_id', message: 'user_id: one of user_id, agent_id, app_id or run_id is required' });
  }
  const messages = typeof input.messages === 'string' ? [{ role: 'user', content: input.messages }] : input.messages;
  const createdAt = toCreatedAt(input.timestamp);
  const metadata = (input.metadata ?? undefined) as MemoryMetadata | undefined;
  const records = messages
    .map((message, index) => ({ message, index }))
    .filter(({ message }) => message.role !== 'system')
    .map(({ message, index }): MemoryProviderV1NewRecord => {
      if (message.content.trim() === '') throw new ValidationError({ field: `messages[${index}].content`, message: `messages[${index}].content: must not be empty` });
      return { ...scope, memory: message.content, metadata, createdAt };
    });
  if (records.length === 0) throw new ValidationError({ field: 'messages', message: 'messages: needs at least one non-system message' });
  return records;
}

/** mem0's `timestamp` is epoch seconds; an ISO 8601 string is accepted too. */
function toCreatedAt(timestamp: number | string | null | undefined): string | undefined {
  if (timestamp === undefined || timestamp === null) return undefined;
  const date = typeof timestamp === 'number' ? new Date(timestamp * 1000) : new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new ValidationError({ field: 'timestamp', message: 'timestamp: must be epoch seconds or an ISO 8601 date-time' });
  return date.toISOString();
}
