import type { IncomingMessage } from 'node:http';
import type { RecordedMem0Request } from './mem0-wire-types.js';

/** A request body the server refused to parse, with the status to answer. */
export class WireBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request in full and parses its JSON body (any method, DELETE included: mem0's batch delete
 * carries one).
 * @throws WireBodyError for a body over `maxBodyBytes` (413) or one that is not JSON (400)
 */
export async function readMem0WireRequest(request: IncomingMessage, maxBodyBytes: number): Promise<RecordedMem0Request> {
  const url = new URL(request.url ?? '/', 'http://wire.invalid');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new WireBodyError(413, `request body over ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  if (text.trim().length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new WireBodyError(400, 'JSON parse error: the request body is not valid JSON');
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return { method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body, receivedAt: Date.now() };
}
