import { describe, expect, it } from 'vitest';
import { checkIpAccess } from './check-ip-access.js';
import { createIpAllowList } from './create-ip-allow-list.js';

describe('createIpAllowList', () => {
  const list = createIpAllowList(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1']);

  it('matches IPv4 CIDR ranges and single addresses', () => {
    expect(list.contains('10.255.3.4')).toBe(true);
    expect(list.contains('11.0.0.1')).toBe(false);
    expect(list.contains('192.168.1.7')).toBe(true);
    expect(list.contains('192.168.1.8')).toBe(false);
  });

  it('matches IPv6 ranges, compressed or not, and ::1', () => {
    expect(list.contains('2001:db8:ffff::1')).toBe(true);
    expect(list.contains('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(list.contains('2001:db9::1')).toBe(false);
    expect(list.contains('::1')).toBe(true);
    expect(list.contains('[::1]')).toBe(true);
  });

  it('treats an IPv4-mapped IPv6 client as its IPv4 address', () => {
    expect(list.contains('::ffff:10.1.2.3')).toBe(true);
    expect(list.contains('::ffff:11.1.2.3')).toBe(false);
  });

  it('accepts an IPv4-mapped range and matches both spellings', () => {
    const mapped = createIpAllowList(['::ffff:172.16.0.0/108']);
    expect(mapped.contains('172.16.9.9')).toBe(true);
    expect(mapped.contains('::ffff:172.16.9.9')).toBe(true);
    expect(mapped.contains('172.32.0.1')).toBe(false);
  });

  it('never contains junk or legacy IPv4 spellings that slip past naive checks', () => {
    for (const junk of ['', 'localhost', '10.1', '0x0a.0.0.1', '10.0.0.1/8', '10.0.0.1:80']) expect(list.contains(junk)).toBe(false);
  });

  it('an empty list contains nothing and a /0 contains every address of its family', () => {
    expect(createIpAllowList([]).contains('10.0.0.1')).toBe(false);
    const all4 = createIpAllowList(['0.0.0.0/0']);
    expect(all4.contains('8.8.8.8')).toBe(true);
    expect(all4.contains('2001:db8::1')).toBe(false);
  });

  it('names the bad entry', () => {
    expect(() => createIpAllowList(['10.0.0.0/8', '10.0.0.0/33'], 'allow')).toThrow(expect.objectContaining({ field: 'allow[1]' }));
    expect(() => createIpAllowList(['nope'], 'allowedIps')).toThrow(expect.objectContaining({ field: 'allowedIps[0]' }));
    expect(() => createIpAllowList(['2001:db8::/129'])).toThrow(expect.objectContaining({ field: 'allow[0]' }));
  });
});

describe('checkIpAccess', () => {
  const global = createIpAllowList(['10.0.0.0/8']);

  it('applies the global list and the key own list together, 403-class outside either', () => {
    const principal = { id: 'k', allowedIps: ['10.1.0.0/16'] };
    expect(() => checkIpAccess(principal, '10.1.2.3', global)).not.toThrow();
    expect(() => checkIpAccess(principal, '10.2.0.1', global)).toThrow(expect.objectContaining({ statusCode: 403 }));
    expect(() => checkIpAccess(principal, '192.168.0.1', global)).toThrow(expect.objectContaining({ statusCode: 403 }));
  });

  it('fails closed when a list applies and the address is unknown, and passes when no list applies', () => {
    expect(() => checkIpAccess({ id: 'k' }, undefined, global)).toThrow(expect.objectContaining({ statusCode: 403 }));
    expect(() => checkIpAccess({ id: 'k', allowedIps: ['10.0.0.0/8'] }, undefined)).toThrow(expect.objectContaining({ statusCode: 403 }));
    expect(() => checkIpAccess({ id: 'k' }, undefined)).not.toThrow();
  });
});
