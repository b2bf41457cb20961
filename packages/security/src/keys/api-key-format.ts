import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ValidationError } from '@memgate/core';
import { encodeBase62, encodeBase62Uint32 } from './base62.js';

/** Random bytes per key: 256 bits, well above ASVS 11.5.1's 128. */
const randomByteCount = 32;
/** Base62 characters of the random part (62^43 > 2^256). */
const randomLength = 43;
const keyPattern = /^mg_([a-z0-9]{1,16})_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;
/** Characters of a key shown in lists and logs: `mg_<env>_` plus this many of the random part. */
const displayRandomChars = 6;

/** An environment label inside a key: `live`, `test`, `dev`... (lowercase letters and digits, 1-16). */
export const apiKeyEnvironmentPattern = /^[a-z0-9]{1,16}$/;

/** A freshly generated key. `key` is the only copy of the secret: show it once, store only `hash`. */
export interface GeneratedApiKey {
  /** The full key, `mg_<env>_<43 base62 random><6 base62 CRC32>`. */
  readonly key: string;
  /** Hex SHA-256 of the key: what the store keeps. */
  readonly hash: string;
  /** Short non-secret prefix for display, e.g. `mg_live_4fQzA1`. */
  readonly prefix: string;
  /** The environment label. */
  readonly environment: string;
}

/** What {@link parseApiKey} finds in a well-formed key. */
export interface ParsedApiKey {
  readonly environment: string;
  readonly prefix: string;
}

/**
 * Generates a new key for an environment.
 * @param environment e.g. `live` or `test`
 * @throws ValidationError (field `environment`) when the label is not 1-16 lowercase letters/digits
 */
export function generateApiKey(environment: string): GeneratedApiKey {
  if (!apiKeyEnvironmentPattern.test(environment)) {
    throw new ValidationError({ message: 'environment must be 1-16 lowercase letters or digits', field: 'environment' });
  }
  const body = `mg_${environment}_${encodeBase62(randomBytes(randomByteCount), randomLength)}`;
  const key = `${body}${encodeBase62Uint32(crc32(body))}`;
  return { key, hash: hashApiKey(key), prefix: displayPrefix(environment, key), environment };
}

/**
 * Checks a presented key's shape and CRC32 checksum offline, so that junk, typos and truncated keys
 * are rejected before any store lookup. The checksum is not a secret, so a plain compare is fine here.
 * @returns the environment and display prefix, or `null` when the key is malformed
 */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = keyPattern.exec(key);
  if (!match) return null;
  const [, environment, random, checksum] = match as unknown as [string, string, string, string];
  if (encodeBase62Uint32(crc32(`mg_${environment}_${random}`)) !== checksum) return null;
  return { environment, prefix: displayPrefix(environment, key) };
}

/** Hex SHA-256 of a key: the only form in which a key is stored or compared. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Compares two hex SHA-256 digests in constant time. Comparing fixed-length digests (never the keys)
 * means neither the content nor the length of the presented key leaks through timing.
 */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

function displayPrefix(environment: string, key: string): string {
  const start = `mg_${environment}_`.length;
  return key.slice(0, start + displayRandomChars);
}
