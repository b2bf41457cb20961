import { lookup as lookupWithSystem } from 'node:dns/promises';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyIpAddress } from './classify-ip-address.js';
import { checkEgressHost, checkEgressUrl, type HostLookup } from './egress-policy.js';
import { formatIpAddress, parseIpAddress } from './parse-ip-address.js';

const resolvesTo = (addresses: Record<string, string[]>): HostLookup => async (host) => {
  const found = addresses[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};
const lookup = resolvesTo({ 'api.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], 'split.example.com': ['93.184.216.34', '10.1.2.3'], 'mem0.internal': ['10.0.0.5'] });

describe('parseIpAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
  ])('reads %s as %s', (text, expected) => {
    expect(formatIpAddress(parseIpAddress(text)!)).toBe(expected);
  });

  it.each(['256.0.0.1', '1.2.3.4.5', 'localhost', '08.0.0.1', '::g', 'fe80::1%eth0', ''])('does not read %s as an address', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('classifyIpAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
  ])('classifies %s as %s', (text, expected) => {
    expect(classifyIpAddress(parseIpAddress(text)!)).toBe(expected);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('finds %s public', (text) => {
    expect(classifyIpAddress(parseIpAddress(text)!)).toBeUndefined();
  });
});

describe('checkEgressHost and checkEgressUrl', () => {
  it('admits public hosts, and names resolving only to public addresses', async () => {
    expect(await checkEgressUrl('https://api.example.com/v1', { lookup })).toBeUndefined();
    expect(await checkEgressUrl('postgres://app:pw@93.184.216.34:5432/db', { lookup })).toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:8080/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'], // the URL parser normalises http hosts
    ['postgres://2130706433/db', '2130706433 is a loopback address'], // postgres: hosts are opaque; read here as a resolver would
    ['postgres://0x7f.1:5432/db', '0x7f.1 is a loopback address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'is a loopback address'],
    ['http://[::ffff:a9fe:a9fe]/', 'is a metadata address'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a metadata address'],
    ['http://[fd00:ec2::254]/', 'is a metadata address'],
    ['http://metadata.google.internal/computeMetadata/v1', 'metadata.google.internal is a cloud metadata service'],
    ['http://METADATA.google.internal./', 'metadata.google.internal is a cloud metadata service'],
    ['http://localhost:9/', 'localhost is a loopback name'],
    ['http://db.localhost/', 'db.localhost is a loopback name'],
    ['redis://10.0.0.7:6379', '10.0.0.7 is a private address'],
    ['http://100.64.1.1/', '100.64.1.1 is a shared address'],
    ['http://0.0.0.0:9/', '0.0.0.0 is a unspecified address'],
    ['https://split.example.com/', 'split.example.com resolves to a private address'],
    ['https://nowhere.example.com/', 'nowhere.example.com could not be resolved'],
    ['postgres://%2Fvar%2Frun%2Fpostgresql/db', 'local socket paths are not allowed'],
    ['postgres://api.example.com/db?host=127.0.0.1', '127.0.0.1 is a loopback address'],
    ['postgres://api.example.com/db?host=/tmp', 'local socket paths are not allowed'],
    ['postgres:///db', 'no host given'],
  ])('refuses %s', async (url, reason) => {
    const refused = await checkEgressUrl(url, { lookup });
    expect(refused).toContain(reason);
    expect(refused).toMatch(/^refused by the egress policy: /);
  });

  it('resolves names with the system resolver by default (the machine name; an unresolvable name)', async () => {
    // Most machines map their hostname to a loopback address in /etc/hosts; whatever it maps to decides.
    const name = hostname().toLowerCase();
    const addresses = (await lookupWithSystem(name, { all: true })).map((entry) => entry.address);
    const kinds = addresses.map((address) => classifyIpAddress(parseIpAddress(address)!)).filter(Boolean);
    const refused = await checkEgressHost(name);
    if (kinds.length > 0) expect(refused).toBe(`refused by the egress policy: ${name} resolves to a ${kinds[0]} address (the operator can allow it in management.egress)`);
    else expect(refused).toBeUndefined();
    expect(await checkEgressUrl('http://127.0.0.1.memgate.invalid/')).toContain('could not be resolved');
  });

  it('admits private addresses with allowPrivate, but never loopback or metadata that way', async () => {
    const policy = { allowPrivate: true };
    expect(await checkEgressUrl('redis://10.0.0.7:6379', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('http://[fd12::1]/', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('https://split.example.com/', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('http://127.0.0.1/', { lookup, policy })).toContain('loopback');
    expect(await checkEgressUrl('http://169.254.169.254/', { lookup, policy })).toContain('metadata');
  });

  it('admits hosts and CIDR blocks on allowHosts', async () => {
    const policy = { allowHosts: ['mem0.internal', '127.0.0.0/8', '::1', '192.168.10.0/24'] };
    expect(await checkEgressUrl('http://mem0.internal:8000/', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('http://127.0.0.2:9/', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('http://[::1]:9/', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('http://192.168.10.20/', { lookup, policy })).toBeUndefined();
    expect(await checkEgressUrl('http://192.168.11.20/', { lookup, policy })).toContain('private');
  });

  it('keeps pglite directories inside the data directory, out of its state store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memgate-egress-'));
    const options = { dataDir, cwd: dataDir };
    expect(await checkEgressUrl('pglite://memory', {})).toBeUndefined();
    expect(await checkEgressUrl(`pglite://${join(dataDir, 'providers', 'a')}`, options)).toBeUndefined();
    expect(await checkEgressUrl('pglite://./providers/b', options)).toBeUndefined();
    for (const outside of ['pglite://../../etc', 'pglite:///etc', `pglite://${dataDir}`, 'pglite://./state', 'pglite://./state/x', 'pglite://providers/../../x']) {
      expect({ outside, refused: await checkEgressUrl(outside, options) }).toEqual({ outside, refused: expect.stringMatching(/^refused by the egress policy: a PGlite directory/) });
    }
    expect(await checkEgressUrl('pglite://./x', {})).toContain('none is configured');
  });
});
