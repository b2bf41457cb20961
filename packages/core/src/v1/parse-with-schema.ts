import type { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';

/** Renders a zod issue path as `messages[0].content`. */
export function formatIssuePath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out;
}

/**
 * Validates input with a zod schema, turning the first problem into a `ValidationError`
 * whose field is the JSON path of the bad value and whose message names it.
 * @throws ValidationError
 */
export function parseWithSchema<Schema extends z.ZodType>(schema: Schema, input: unknown, root = ''): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = formatIssuePath(issue.path, root) || root || 'body';
  throw new ValidationError({ field, message: `${field}: ${issue.message}`, cause: result.error });
}
