import type { IpAllowList } from './create-ip-allow-list.js';
import { parseIpAddress } from './parse-ip-address.js';

/** Inputs of {@link resolveClientIp}. */
export interface ResolveClientIpInput {
  /** The TCP peer's address (the socket's `remoteAddress`). */
  remoteAddress: string | undefined;
  /** The `X-Forwarded-For` header(s), joined with commas when repeated. */
  forwardedFor?: string | null | undefined;
  /** The proxies whose `X-Forwarded-For` is believed. Default none: the header is ignored. */
  trustedProxies?: IpAllowList;
}

/**
 * The client's address. `X-Forwarded-For` is read only when the TCP peer is a trusted proxy, and
 * then from the right: each trusted hop is skipped and the right-most untrusted address is the
 * client. Anything left of it was written by the client and could be forged. When every hop is
 * trusted, the left-most one is the client.
 * @returns a normalised address (IPv4-mapped IPv6 as IPv4), or `undefined` when none is known or the
 *   chain holds an unparseable hop (fail closed: an allow-list then refuses the request)
 */
export function resolveClientIp({ remoteAddress, forwardedFor, trustedProxies }: ResolveClientIpInput): string | undefined {
  const peer = remoteAddress === undefined ? null : parseIpAddress(remoteAddress);
  if (!peer) return undefined;
  if (!trustedProxies || !trustedProxies.contains(peer) || !forwardedFor) return peer.toString();
  const hops = forwardedFor.split(',').map((hop) => hop.trim()).filter((hop) => hop.length > 0);
  let client = peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = parseIpAddress(hops[index]!);
    if (!hop) return undefined;
    client = hop;
    if (!trustedProxies.contains(hop)) break;
  }
  return client.toString();
}
