import { AuthError } from '@memgate/core';

/**
 * Resolves a `${ENV_VAR}` reference from the environment; any other value is returned as is.
 * Called at first use, never at construction.
 * @throws AuthError when the variable is unset or empty (a configuration fault, not retryable)
 */
export function resolveSecret(value: string, env: Readonly<Record<string, string | undefined>> = process.env, providerId?: string): string {
  const reference = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  if (!reference) return value;
  const resolved = env[reference[1]!];
  if (!resolved) throw new AuthError({ message: `the environment variable ${reference[1]} is not set`, providerId });
  return resolved;
}
