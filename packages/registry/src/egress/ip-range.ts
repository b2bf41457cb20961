import { parseIpAddress, type IpAddress } from './parse-ip-address.js';

/** A CIDR block, e.g. `10.0.0.0/8` or `fc00::/7`. */
export interface IpRange {
  readonly version: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

/**
 * Parses `address/prefix` or a single address (a /32 or /128).
 * @returns `undefined` when the text is neither
 */
export function parseIpRange(text: string): IpRange | undefined {
  const [addressText = '', prefixText, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const address = parseIpAddress(addressText);
  if (!address) return undefined;
  const bits = address.version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { version: address.version, base: mask(address.value, bits, prefix), prefix };
}

/** True when the address lies in the range (same IP version only). */
export function ipRangeContains(range: IpRange, address: IpAddress): boolean {
  if (range.version !== address.version) return false;
  const bits = address.version === 4 ? 32 : 128;
  return mask(address.value, bits, range.prefix) === range.base;
}

function mask(value: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}
