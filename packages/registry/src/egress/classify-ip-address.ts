import { ipRangeContains, parseIpRange, type IpRange } from './ip-range.js';
import type { IpAddress } from './parse-ip-address.js';

/** Why an address is not a public internet address. */
export type IpAddressClass = 'metadata' | 'loopback' | 'link-local' | 'private' | 'shared' | 'unspecified' | 'multicast' | 'reserved';

const table = (entries: [string, IpAddressClass][]): [IpRange, IpAddressClass][] => entries.map(([cidr, kind]) => [parseIpRange(cidr)!, kind]);

// Most specific first: the metadata addresses sit inside link-local and ULA blocks.
const ipv4Classes = table([
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack
  ['169.254.170.2/32', 'metadata'], // ECS task credentials
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['192.0.0.192/32', 'metadata'], // Oracle Cloud
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'], // CGNAT, RFC 6598
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // and 255.255.255.255
]);

const ipv6Classes = table([
  ['fd00:ec2::254/128', 'metadata'], // AWS over IPv6
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'], // ULA
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
  ['100::/64', 'reserved'], // discard
]);

/**
 * The class of an address that is not a public internet address, or `undefined` for a public one.
 * IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo `2001::/32`) are judged by that IPv4 address too.
 */
export function classifyIpAddress(address: IpAddress): IpAddressClass | undefined {
  if (address.version === 4) return ipv4Classes.find(([range]) => ipRangeContains(range, address))?.[1];
  const own = ipv6Classes.find(([range]) => ipRangeContains(range, address))?.[1];
  if (own) return own;
  const embedded = embeddedIpv4(address.value);
  return embedded === undefined ? undefined : classifyIpAddress({ version: 4, value: embedded });
}

const low32 = (value: bigint) => value & 0xffffffffn;

function embeddedIpv4(value: bigint): bigint | undefined {
  if (value >> 32n === 0xffffn || value >> 32n === 0n) return low32(value); // mapped, compatible
  if (value >> 32n === 0x0064ff9b0000000000000000n) return low32(value); // NAT64 well-known prefix
  if (value >> 80n === 0x0064ff9b0001n) return low32(value); // local-use NAT64, RFC 8215
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn; // 6to4
  if (value >> 96n === 0x20010000n) return low32(~value); // Teredo client address, obfuscated
  return undefined;
}
