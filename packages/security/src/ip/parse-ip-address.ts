import ipaddr from 'ipaddr.js';

/** A parsed IPv4 or IPv6 address (ipaddr.js). */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses a client address strictly: dotted-quad IPv4 or IPv6, with an IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.1`, what Node reports on a dual-stack socket) turned into its IPv4 form, and an
 * IPv6 zone (`%eth0`) dropped. Legacy IPv4 forms (`127.1`, `0x7f.0.0.1`) are refused: they are a
 * classic way to slip past allow-lists.
 * @returns the address, or `null` when the text is not an address
 */
export function parseIpAddress(text: string): IpAddress | null {
  const trimmed = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return ipaddr.IPv4.parse(trimmed);
  const unzoned = trimmed.replace(/%.*$/, '');
  if (!ipaddr.IPv6.isValid(unzoned)) return null;
  const address = ipaddr.IPv6.parse(unzoned);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}
