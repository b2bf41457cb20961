import { ValidationError } from '@memgate/core';

/** The key manager's option names, as the HTTP API spells them. */
const apiNames: Record<string, string> = { allowedIps: 'allowed_ips', ttlMs: 'expires_at', userId: 'user_id', agentId: 'agent_id', appId: 'app_id', memoriesPerDay: 'memories_per_day', storedMemories: 'stored_memories' };

/** Rethrows the key manager's ValidationError with the field as the API's caller wrote it (`allowed_ips[0]`, `scope.user_id`). */
export function inApiFieldNames(error: unknown): never {
  if (!ValidationError.isInstance(error) || error.field === undefined) throw error;
  const field = error.field.replace(/[A-Za-z]+/g, (name) => apiNames[name] ?? name);
  if (field === error.field) throw error;
  throw new ValidationError({ field, message: error.message.replace(error.field, field).replace(/^(allowedIps|ttlMs)\b/, field), cause: error });
}
