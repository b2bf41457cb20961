/**
 * How much of a chunk may still pass when a direction may carry `limit` bytes in all and has carried
 * `sent`; `close` is true when the limit is reached and the connection must then be closed.
 */
export function takeWithinLimit(chunk: Buffer, sent: number, limit: number): { pass: Buffer; close: boolean } {
  const room = Math.max(0, limit - sent);
  return room > chunk.length ? { pass: chunk, close: false } : { pass: chunk.subarray(0, room), close: true };
}
