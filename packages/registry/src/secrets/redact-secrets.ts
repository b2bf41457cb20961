import { hasSecretReference } from './secret-references.js';

// Keys whose literal values are secrets wherever they appear in settings.
const secretKeyPattern = /(key|secret|password|passwd|token|credential|auth)/i;

/** Shown instead of a secret. */
export const redactedMarker = '***';

/**
 * Masks the password of a URL (`postgres://app:***@db/mem`); a value that is not a URL is returned as is.
 * A `${ENV_VAR}` reference is not a secret and is kept.
 */
export function redactUrl(value: string): string {
  if (hasSecretReference(value)) return value;
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = redactedMarker;
    return url.toString();
  } catch {
    return value;
  }
}

/**
 * Returns a copy of a JSON value in which every literal secret is masked: the password in any URL
 * and the whole value of any key that looks like a secret (`apiKey`, `password`, `token`, …).
 * `${ENV_VAR}` references are kept: they name a secret without revealing it. Use it on everything
 * that leaves the process (API responses, logs, exports).
 */
export function redactSecrets<Value>(value: Value, key = ''): Value {
  if (typeof value === 'string') {
    if (hasSecretReference(value)) return value;
    if (secretKeyPattern.test(key)) return redactedMarker as Value;
    return redactUrl(value) as Value;
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, key)) as Value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([childKey, item]) => [childKey, redactSecrets(item, childKey)])) as Value;
  }
  return value;
}
