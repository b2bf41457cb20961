const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Encodes bytes (as one big-endian number) in base62, left-padded with `0` to `width` characters
 * so that every key of a kind has the same length. Base62 keeps keys double-click selectable and
 * free of characters that need escaping in headers, URLs or shells (GitHub's token format).
 * @param width minimum output length in characters
 */
export function encodeBase62(bytes: Uint8Array, width: number): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let text = '';
  while (value > 0n) {
    text = alphabet[Number(value % 62n)]! + text;
    value /= 62n;
  }
  return text.padStart(width, '0');
}

/** Base62 of an unsigned 32-bit integer, exactly 6 characters (62^6 > 2^32). */
export function encodeBase62Uint32(value: number): string {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0);
  return encodeBase62(bytes, 6);
}
