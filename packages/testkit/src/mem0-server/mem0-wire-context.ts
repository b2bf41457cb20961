import type { Mem0WireEvents } from './mem0-wire-events.js';
import type { Mem0WireFaults } from './mem0-wire-faults.js';
import { wireScopeKeys, type Mem0WireStore, type WireScope } from './mem0-wire-store.js';
import type { Mem0WireResponse, RecordedMem0Request } from './mem0-wire-types.js';

/** What a route handler sees: the request and the server's state. */
export interface Mem0WireContext {
  readonly request: RecordedMem0Request;
  readonly store: Mem0WireStore;
  readonly events: Mem0WireEvents;
  readonly faults: Mem0WireFaults;
  /** The server's own URL, for pagination links. */
  readonly url: string;
}

/** One route: a method, a path pattern (its groups become `params`) and a handler. */
export interface Mem0WireRoute {
  readonly method: string;
  readonly pattern: RegExp;
  handle(context: Mem0WireContext, params: string[]): Mem0WireResponse;
}

/** True for a plain JSON object. */
export const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The body as an object (`{}` when absent or not an object). */
export const bodyObject = (request: RecordedMem0Request): Record<string, unknown> => (isObject(request.body) ? request.body : {});

/** The scope ids present (as non-empty strings) in a body or query. */
export function scopeFrom(source: Record<string, unknown>, keys: readonly (keyof WireScope)[] = wireScopeKeys): WireScope {
  const scope: WireScope = {};
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'string' && value.length > 0) scope[key] = value;
  }
  return scope;
}

/** Validates mem0 `messages`: a non-empty array of `{role, content}`; returns an error text or the messages. */
export function readMessages(body: Record<string, unknown>): string | { role: string; content: string }[] {
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: must be a non-empty list';
  for (const [index, message] of messages.entries()) {
    if (!isObject(message) || typeof message.content !== 'string' || !['user', 'assistant', 'system'].includes(message.role as string)) {
      return `messages[${index}]: must be {role: user|assistant|system, content: string}`;
    }
  }
  return messages as { role: string; content: string }[];
}

/** A positive integer from a query or body value, or the fallback. */
export function positiveInt(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : fallback;
}
