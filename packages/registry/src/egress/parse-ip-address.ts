/** An IP address as a number: IPv4 in 32 bits, IPv6 in 128. */
export type IpAddress = { readonly version: 4; readonly value: bigint } | { readonly version: 6; readonly value: bigint };

// inet_aton's spellings, which getaddrinfo and therefore every client library accept:
// 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
const ipv4Part = /^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i;

/**
 * Parses an IPv4 address in any spelling a resolver accepts (`127.0.0.1`, `2130706433`,
 * `0x7f.1`, `0177.0.0.1`), or `undefined` when the text is not one.
 */
export function parseIpv4Address(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((part) => !ipv4Part.test(part))) return undefined;
  const numbers = parts.map((part) => (/^0x/i.test(part) ? BigInt(part.length === 2 ? 0 : part) : part.length > 1 && part.startsWith('0') ? BigInt(`0o${part.slice(1)}`) : BigInt(part)));
  let value = 0n;
  for (const [index, number] of numbers.entries()) {
    const last = index === numbers.length - 1;
    const bytes = last ? 4 - index : 1;
    if (number >= 1n << BigInt(8 * bytes)) return undefined;
    value = last ? (value << BigInt(8 * bytes)) | number : (value << 8n) | number;
  }
  return { version: 4, value };
}

/**
 * Parses an IPv6 address (brackets and all of RFC 4291's spellings, embedded dotted quads included),
 * or `undefined`. Zone ids (`%eth0`) are refused: no URL may carry one.
 */
export function parseIpv6Address(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!bare.includes(':')) return undefined;
  let canonical: string;
  try {
    // The WHATWG URL parser implements RFC 4291 fully and serialises to eight hex groups at most.
    canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head = '', tail] = canonical.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return { version: 6, value: groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n) };
}

/** Parses an IPv4 (any resolver spelling) or IPv6 address, or returns `undefined`. */
export function parseIpAddress(text: string): IpAddress | undefined {
  return parseIpv4Address(text) ?? parseIpv6Address(text);
}

/** Formats an address in its usual spelling (for messages and tests). */
export function formatIpAddress(address: IpAddress): string {
  if (address.version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((address.value >> shift) & 0xffffn).toString(16)).join(':');
  return new URL(`http://[${groups}]/`).hostname.slice(1, -1);
}
