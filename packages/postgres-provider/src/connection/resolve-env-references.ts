import { ValidationError } from '@memgate/core';

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` references with environment variables, on first use rather than at
 * construction, so a provider holds no secret until it connects. A string that is one reference
 * is replaced verbatim; references inside a URL are percent-encoded (a password may hold `@` or `/`).
 * @throws ValidationError naming `field` when a referenced variable is unset
 */
export function resolveEnvReferences(value: string, field: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  const lookup = (name: string): string => {
    const found = env[name];
    if (found === undefined) throw new ValidationError({ field, message: `${field}: environment variable ${name} is not set` });
    return found;
  };
  if (whole) return lookup(whole[1]!);
  return value.replace(reference, (_match, name: string) => encodeURIComponent(lookup(name)));
}
