import { describe, expect, it } from 'vitest';
import { digestsEqual, generateApiKey, hashApiKey, parseApiKey } from './api-key-format.js';

describe('API key format', () => {
  it('is mg_<env>_<43 base62 random><6 base62 CRC32> and parses back with its environment and display prefix', () => {
    const generated = generateApiKey('live');
    expect(generated.key).toMatch(/^mg_live_[0-9A-Za-z]{49}$/);
    expect(generated.hash).toBe(hashApiKey(generated.key));
    expect(generated.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.prefix).toBe(generated.key.slice(0, 'mg_live_'.length + 6));
    expect(parseApiKey(generated.key)).toEqual({ environment: 'live', prefix: generated.prefix });
  });

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey('test').key));
    expect(keys.size).toBe(200);
  });

  it('rejects a key with any single character changed, through the checksum', () => {
    const { key } = generateApiKey('test');
    for (const position of [8, 20, 40, key.length - 3, key.length - 1]) {
      const original = key[position]!;
      const replacement = original === 'a' ? 'b' : 'a';
      expect(parseApiKey(key.slice(0, position) + replacement + key.slice(position + 1))).toBeNull();
    }
  });

  it('rejects junk, truncated keys, other prefixes and surrounding whitespace', () => {
    const { key } = generateApiKey('live');
    for (const junk of ['', 'mg_live_', key.slice(0, -1), `${key}x`, key.replace('mg_', 'sk_'), ` ${key}`, key.replace('live', 'LIVE'), 'Bearer abc']) {
      expect(parseApiKey(junk)).toBeNull();
    }
  });

  it('refuses an environment label outside 1-16 lowercase letters and digits, naming the field', () => {
    expect(() => generateApiKey('Live')).toThrow(expect.objectContaining({ field: 'environment' }));
    expect(() => generateApiKey('')).toThrow(expect.objectContaining({ field: 'environment' }));
  });

  it('compares digests in constant time and only 32-byte digests', () => {
    const hash = hashApiKey('a');
    expect(digestsEqual(hash, hashApiKey('a'))).toBe(true);
    expect(digestsEqual(hash, hashApiKey('b'))).toBe(false);
    expect(digestsEqual(hash, hash.slice(0, 10))).toBe(false);
  });
});
