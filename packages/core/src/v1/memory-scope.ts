import { z } from 'zod';

/** The scope fields, in the order mem0 names them. */
export const memoryScopeFields = ['userId', 'agentId', 'appId', 'runId'] as const;

/** One of the four scope fields. */
export type MemoryScopeField = (typeof memoryScopeFields)[number];

const scopeId = z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters');

/**
 * Who a memory belongs to, as mem0 scopes it: a user, an agent, an app and a run (session).
 * A stored memory has at least one of them.
 */
export const memoryScopeSchema = z.object({
  userId: scopeId.optional(),
  agentId: scopeId.optional(),
  appId: scopeId.optional(),
  runId: scopeId.optional(),
});

/** Who a memory belongs to. At least one field is set on every stored memory. */
export type MemoryScope = z.infer<typeof memoryScopeSchema>;

/** True when at least one scope field is set. */
export function hasScope(scope: MemoryScope): boolean {
  return memoryScopeFields.some((field) => scope[field] !== undefined);
}

/** Copies only the scope fields of an object, dropping unset ones. */
export function pickScope(source: MemoryScope): MemoryScope {
  const scope: MemoryScope = {};
  for (const field of memoryScopeFields) if (source[field] !== undefined) scope[field] = source[field];
  return scope;
}
