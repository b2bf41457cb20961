import { ValidationError } from '@memgate/core';
import { parseIpAddress, type IpAddress } from './parse-ip-address.js';

/** A set of CIDR ranges, IPv4 and IPv6. */
export interface IpAllowList {
  /** The ranges as given. */
  readonly entries: readonly string[];
  /** True when the address (text or parsed) lies in one of the ranges. Unparseable text is never contained. */
  contains(address: string | IpAddress): boolean;
}

type Range = [IpAddress, number];

/**
 * Parses CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) or bare addresses (a /32 or /128) into a list
 * that answers membership. IPv4 clients seen over IPv6 (`::ffff:a.b.c.d`) match IPv4 ranges.
 * @param field the option name used in error messages, e.g. `allowedIps`
 * @throws ValidationError naming `field[i]` for an entry that is not a CIDR or address
 */
export function createIpAllowList(entries: readonly string[], field = 'allow'): IpAllowList {
  const ranges: Range[] = entries.map((entry, index) => parseRange(entry, `${field}[${index}]`));
  return {
    entries: [...entries],
    contains(address) {
      const parsed = typeof address === 'string' ? parseIpAddress(address) : address;
      if (!parsed) return false;
      return ranges.some(([network, bits]) => network.kind() === parsed.kind() && parsed.match(network as never, bits));
    },
  };
}

function parseRange(entry: string, field: string): Range {
  const text = typeof entry === 'string' ? entry.trim() : '';
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (!address) throw new ValidationError({ message: `${JSON.stringify(entry)} is not an IPv4/IPv6 address or CIDR range`, field });
  // A mapped IPv6 range (::ffff:10.0.0.0/104) was turned into IPv4 by parseIpAddress: its length counts 128 bits.
  const mapped = address.kind() === 'ipv4' && text.includes(':');
  const maxBits = address.kind() === 'ipv4' && !mapped ? 32 : 128;
  if (slash === -1) return [address, address.kind() === 'ipv4' ? 32 : 128];
  const bitsText = text.slice(slash + 1);
  const bits = Number(bitsText);
  if (!/^\d{1,3}$/.test(bitsText) || bits > maxBits) {
    throw new ValidationError({ message: `${JSON.stringify(entry)} has a prefix length outside 0-${maxBits}`, field });
  }
  const prefix = mapped ? bits - 96 : bits;
  if (prefix < 0) throw new ValidationError({ message: `${JSON.stringify(entry)} is wider than the IPv4-mapped range`, field });
  return [address, prefix];
}
