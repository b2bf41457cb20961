import { lookup as dnsLookup } from 'node:dns/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { classifyIpAddress, type IpAddressClass } from './classify-ip-address.js';
import { ipRangeContains, parseIpRange, type IpRange } from './ip-range.js';
import { parseIpAddress, type IpAddress } from './parse-ip-address.js';

/**
 * Where the management API may point a provider. By default only public internet addresses; the
 * operator widens it in the config file (`management.egress`).
 */
export interface EgressPolicy {
  /** Admit private addresses: RFC 1918, ULA `fc00::/7`, CGNAT `100.64.0.0/10`. Loopback, link-local, metadata and unspecified addresses still need `allowHosts`. Default false. */
  readonly allowPrivate?: boolean;
  /** Hostnames (exact, case-insensitive) or IP addresses / CIDR blocks that are always admitted. */
  readonly allowHosts?: readonly string[];
}

/** Resolves a hostname to every address it has (`dns.promises.lookup(host, { all: true })` by default). */
export type HostLookup = (hostname: string) => Promise<readonly string[]>;

/** Options of {@link checkEgressUrl} and {@link checkEgressHost}. */
export interface EgressCheckOptions {
  readonly policy?: EgressPolicy;
  /** Default: the system resolver. */
  readonly lookup?: HostLookup;
  /** The gateway's data directory; `pglite://` directories must lie inside it (and outside its `state`). Without one, only `pglite://memory`. */
  readonly dataDir?: string;
  /** Where a relative `pglite://` path is resolved (where PGlite will resolve it). Default `process.cwd()`. */
  readonly cwd?: string;
}

const defaultLookup: HostLookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

// Names the cloud metadata services answer on, and names that are loopback by definition (RFC 6761).
const metadataNames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);
const isLoopbackName = (name: string) => name === 'localhost' || name.endsWith('.localhost');
const privateClasses: ReadonlySet<IpAddressClass> = new Set(['private', 'shared']);
// Query parameters by which a PostgreSQL URL names another host (libpq and pg honour them).
const hostParameters = ['host', 'hostaddr'];

const refused = (detail: string) => `refused by the egress policy: ${detail} (the operator can allow it in management.egress)`;

/**
 * Checks one host against the policy: an IP address (any spelling) by its class, a name by every
 * address it resolves to (one bad address refuses it; a name that does not resolve is refused).
 * @returns the reason for refusing, or `undefined` when the host is allowed
 */
export async function checkEgressHost(host: string, options: EgressCheckOptions = {}): Promise<string | undefined> {
  const name = normaliseHost(host);
  if (name === '') return refused('no host given');
  const allowed = compileAllowList(options.policy);
  if (allowed.names.has(name)) return undefined;
  if (metadataNames.has(name)) return refused(`${name} is a cloud metadata service`);
  if (isLoopbackName(name)) return refused(`${name} is a loopback name`);
  const literal = parseIpAddress(name);
  if (literal) {
    const kind = verdict(literal, options.policy, allowed.ranges);
    return kind ? refused(`${name} is a ${kind} address`) : undefined;
  }
  let addresses: readonly string[];
  try {
    addresses = await (options.lookup ?? defaultLookup)(name);
  } catch {
    return refused(`${name} could not be resolved`);
  }
  if (addresses.length === 0) return refused(`${name} could not be resolved`);
  for (const text of addresses) {
    const address = parseIpAddress(text);
    const kind = address ? verdict(address, options.policy, allowed.ranges) : 'reserved';
    if (kind) return refused(`${name} resolves to a ${kind} address`);
  }
  return undefined;
}

/**
 * Checks every host a URL would make a client connect to: its host (or a local socket path, always
 * refused), PostgreSQL's `host`/`hostaddr` query parameters, and for `pglite://` the directory.
 * @returns the reason for refusing, or `undefined` when the URL is allowed
 */
export async function checkEgressUrl(value: string, options: EgressCheckOptions = {}): Promise<string | undefined> {
  if (/^pglite:\/\//i.test(value)) return checkPgliteLocation(value.slice('pglite://'.length), options);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected a URL';
  }
  const hosts = [decodeHost(url.hostname), ...hostParameters.flatMap((parameter) => url.searchParams.getAll(parameter).flatMap((item) => item.split(',')))];
  for (const host of hosts) {
    if (host.includes('/')) return refused('local socket paths are not allowed');
    const reason = await checkEgressHost(host, options);
    if (reason) return reason;
  }
  return undefined;
}

function checkPgliteLocation(location: string, options: EgressCheckOptions): string | undefined {
  if (location === '' || location === 'memory') return undefined;
  if (options.dataDir === undefined) return refused('a PGlite directory must lie inside the gateway data directory, and none is configured');
  const dataDir = resolve(options.dataDir);
  const target = resolve(options.cwd ?? process.cwd(), location);
  const inside = relative(dataDir, target);
  if (inside === '' || inside === '..' || inside.startsWith(`..${'/'}`) || inside.startsWith('..\\') || isAbsolute(inside)) {
    return refused('a PGlite directory must lie inside the gateway data directory');
  }
  // The gateway's own state store lives in <dataDir>/state; a provider must never open it.
  if (inside === 'state' || inside.startsWith('state/') || inside.startsWith('state\\')) return refused("a PGlite directory may not be the gateway's own state store");
  return undefined;
}

function normaliseHost(host: string): string {
  const lower = host.trim().toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

// Non-special schemes (postgres:, redis:) keep the host percent-encoded, e.g. a socket path `%2Ftmp`.
function decodeHost(hostname: string): string {
  try {
    return decodeURIComponent(hostname);
  } catch {
    return hostname;
  }
}

function verdict(address: IpAddress, policy: EgressPolicy | undefined, ranges: readonly IpRange[]): IpAddressClass | undefined {
  if (ranges.some((range) => ipRangeContains(range, address))) return undefined;
  const kind = classifyIpAddress(address);
  if (kind && policy?.allowPrivate && privateClasses.has(kind)) return undefined;
  return kind;
}

function compileAllowList(policy: EgressPolicy | undefined): { names: Set<string>; ranges: IpRange[] } {
  const names = new Set<string>();
  const ranges: IpRange[] = [];
  for (const entry of policy?.allowHosts ?? []) {
    const range = parseIpRange(entry.trim());
    if (range) ranges.push(range);
    else names.add(normaliseHost(entry));
  }
  return { names, ranges };
}
