import { ValidationError } from '@memgate/core';

/** The environment the registry reads secrets from (`process.env` or a test's record). */
export type Environment = Readonly<Record<string, string | undefined>>;

// `${NAME}`: upper-case letters, digits and '_' only, so a literal `$` elsewhere is left alone.
const referencePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** True when a string holds at least one `${ENV_VAR}` reference. */
export function hasSecretReference(value: string): boolean {
  return new RegExp(referencePattern.source).test(value);
}

/** The names of the environment variables a string refers to, in order. */
export function secretReferenceNames(value: string): string[] {
  return [...value.matchAll(referencePattern)].map((match) => match[1]!);
}

/**
 * Replaces every `${ENV_VAR}` in a string with its value from `env`.
 * @throws ValidationError (field = `field`) naming the first variable that is not set
 */
export function resolveSecretReferences(value: string, env: Environment, field?: string): string {
  return value.replace(referencePattern, (_, name: string) => {
    const resolved = env[name];
    if (resolved === undefined) {
      throw new ValidationError({ field, message: `${field ? `${field}: ` : ''}environment variable ${name} is not set` });
    }
    return resolved;
  });
}

/** Applies {@link resolveSecretReferences} to every string inside a JSON value. */
export function resolveSecretReferencesDeep<Value>(value: Value, env: Environment, field = ''): Value {
  if (typeof value === 'string') return resolveSecretReferences(value, env, field) as Value;
  if (Array.isArray(value)) return value.map((item, index) => resolveSecretReferencesDeep(item, env, `${field}[${index}]`)) as Value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveSecretReferencesDeep(item, env, field ? `${field}.${key}` : key)]),
    ) as Value;
  }
  return value;
}

/** Every `${ENV_VAR}` inside a JSON value, with the path where it appears (`settings.apiKey`). */
export function listSecretReferences(value: unknown, field = ''): { path: string; name: string }[] {
  if (typeof value === 'string') return secretReferenceNames(value).map((name) => ({ path: field, name }));
  if (Array.isArray(value)) return value.flatMap((item, index) => listSecretReferences(item, `${field}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => listSecretReferences(item, field ? `${field}.${key}` : key));
  }
  return [];
}

/** Every `${ENV_VAR}` inside a JSON value that `env` does not set, with the path where it appears. */
export function missingSecretReferences(value: unknown, env: Environment, field = ''): { path: string; name: string }[] {
  return listSecretReferences(value, field).filter(({ name }) => env[name] === undefined);
}
