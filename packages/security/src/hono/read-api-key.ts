/**
 * The key presented in a request: `Authorization: Token <key>` (mem0's scheme), `Authorization:
 * Bearer <key>`, or `X-API-Key: <key>`. An `Authorization` header with another scheme yields
 * `undefined` (it is not ours to read, and falling back to X-API-Key would hide a client bug).
 */
export function readApiKey(headers: Headers): string | undefined {
  const authorization = headers.get('authorization')?.trim();
  if (authorization) {
    const match = /^(token|bearer)\s+(\S+)$/i.exec(authorization);
    return match ? match[2] : undefined;
  }
  return headers.get('x-api-key')?.trim() || undefined;
}
