/**
 * A copy with U+0000 replaced by U+FFFD in every string, object keys included, at any depth.
 * PostgreSQL cannot store U+0000 in `text` or `jsonb`: an audit event carrying one (a request path,
 * say) would fail its batch on every retry and stall the log, so the event is cleaned before hashing.
 * Values other than strings, arrays and plain objects are returned as they are.
 */
export function replaceNulCharacters<Value>(value: Value): Value {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value) as Value;
  if (Array.isArray(value)) return value.map(replaceNulCharacters) as Value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [replaceNulCharacters(key), replaceNulCharacters(item)])) as Value;
  }
  return value;
}
