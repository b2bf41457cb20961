/**
 * Deterministic JSON (in the spirit of RFC 8785, JCS): object keys sorted by UTF-16 code units, no
 * whitespace, `undefined` members dropped, numbers and strings as `JSON.stringify` writes them (which
 * is what JCS specifies for them). The audit hash is taken over this text, so the same entry hashes the
 * same on every replica and in every language that implements JCS.
 * @throws TypeError for values JSON cannot carry (non-finite numbers, bigint, functions, cycles)
 */
export function canonicalJson(value: unknown, seen: Set<object> = new Set()): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (seen.has(value)) throw new TypeError('canonicalJson: cycle');
      seen.add(value);
      const text = Array.isArray(value)
        ? `[${value.map((item) => canonicalJson(item === undefined ? null : item, seen)).join(',')}]`
        : `{${Object.keys(value)
            .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
            .sort()
            .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], seen)}`)
            .join(',')}}`;
      seen.delete(value);
      return text;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
  }
}
