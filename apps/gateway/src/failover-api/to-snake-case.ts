/** Renames every object key of a JSON-like value from camelCase to snake_case (arrays and nesting included). */
export function toSnakeCase(value: unknown): any {
  if (Array.isArray(value)) return value.map(toSnakeCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), toSnakeCase(item)]));
}
