import type { JsonValue } from '@memgate/core';

const secretName = /(key|token|secret|password|passwd|authorization|cookie|credential|private)/i;
/** A memgate key, anywhere in a string. */
const memgateKey = /mg_[a-z0-9]{1,16}_[0-9A-Za-z]{20,}/g;

/**
 * A deep copy with secrets removed before anything is logged (ASVS 16.2.5): members whose name looks
 * secret (`apiKey`, `token`, `password`, `authorization`...) become `[redacted]`, and memgate keys
 * inside any string are cut to `mg_<env>_[redacted]`. Names ending in `Id`/`_id`/`Prefix` are kept
 * (`keyId`, `key_prefix` are not secrets).
 */
export function redactSecrets(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.replace(memgateKey, (key) => `${key.slice(0, key.indexOf('_', 3) + 1)}[redacted]`);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, JsonValue> = {};
    for (const [name, member] of Object.entries(value)) {
      const keep = /(Id|_id|Prefix|_prefix)$/.test(name);
      copy[name] = !keep && secretName.test(name) ? '[redacted]' : redactSecrets(member);
    }
    return copy;
  }
  return value;
}
