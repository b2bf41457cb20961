/**
 * Cuts a chunk into slices of about 50 ms worth of bytes at `bytesPerSecond`, each with the time it
 * takes to transmit, so the receiver sees a steady trickle rather than one late burst.
 */
export function sliceForBandwidth(chunk: Buffer, bytesPerSecond: number): { slice: Buffer; transmitMs: number }[] {
  const size = Math.max(1, Math.floor(bytesPerSecond / 20));
  const slices: { slice: Buffer; transmitMs: number }[] = [];
  for (let offset = 0; offset < chunk.length; offset += size) {
    const slice = chunk.subarray(offset, offset + size);
    slices.push({ slice, transmitMs: (slice.length * 1000) / bytesPerSecond });
  }
  return slices;
}
