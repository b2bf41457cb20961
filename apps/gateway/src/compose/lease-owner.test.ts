import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaseOwnerFor } from './lease-owner.js';

const directory = (): string => mkdtempSync(join(tmpdir(), 'memgate-owner-'));

describe('leaseOwnerFor', () => {
  it('gives a restarted gateway the owner id of its data directory, and another directory another id', async () => {
    const data = directory();
    const first = await leaseOwnerFor(data);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await leaseOwnerFor(data)).toBe(first);
    expect(readFileSync(join(data, 'lease-owner'), 'utf8').trim()).toBe(first);
    expect(await leaseOwnerFor(directory())).not.toBe(first);
  });

  it('replaces a damaged owner file with a fresh id', async () => {
    const data = directory();
    writeFileSync(join(data, 'lease-owner'), 'not an id');
    const owner = await leaseOwnerFor(data);
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(await leaseOwnerFor(data)).toBe(owner);
  });
});
