import type { ServerResponse } from 'node:http';
import type { Mem0WireResponse } from './mem0-wire-types.js';

/** How to corrupt an answer, if at all. */
export type WireCorruption = 'none' | 'closeMidBody' | 'malformedJson';

/** Writes a route's answer as JSON, or a corrupted version of it for the fault switches. */
export function sendMem0WireResponse(response: ServerResponse, answer: Mem0WireResponse, corruption: WireCorruption, extraHeaders: Record<string, string>): void {
  const headers = { 'content-type': 'application/json', ...extraHeaders, ...answer.headers };
  if (corruption === 'malformedJson') {
    const text = '{"results": [{"id": "7f1c", "memory": ';
    response.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    response.end(text);
    return;
  }
  const text = JSON.stringify(answer.body);
  const bytes = Buffer.from(text, 'utf8');
  if (corruption === 'closeMidBody') {
    // Promise the whole body, send half, then cut the connection: the client sees a body cut short.
    response.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length + 64) });
    response.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => {
      setImmediate(() => response.socket?.destroy());
    });
    return;
  }
  response.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
  response.end(bytes);
}
