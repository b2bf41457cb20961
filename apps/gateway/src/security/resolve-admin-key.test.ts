import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '@memgate/security';
import { resolveAdminKey } from './resolve-admin-key.js';

const dataDir = (): string => join(mkdtempSync(join(tmpdir(), 'memgate-key-')), 'nested', '.memgate');

describe('resolveAdminKey', () => {
  it('uses MEMGATE_ADMIN_KEY when given and writes nothing', async () => {
    const directory = dataDir();
    const resolved = await resolveAdminKey(directory, 'k'.repeat(40));
    expect(resolved).toEqual({ hash: hashApiKey('k'.repeat(40)), source: 'env' });
    expect(() => statSync(directory)).toThrow();
  });

  it('generates a key once, stores only its SHA-256 with mode 0600, and reads the digest back later', async () => {
    const directory = dataDir();
    const first = await resolveAdminKey(directory, undefined);
    expect(first.source).toBe('generated');
    expect(first.generatedKey).toMatch(/^mg_admin_[A-Za-z0-9_-]{32}$/);
    const file = join(directory, 'admin-key.sha256');
    expect(readFileSync(file, 'utf8').trim()).toBe(hashApiKey(first.generatedKey!));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await resolveAdminKey(directory, undefined);
    expect(second).toEqual({ hash: first.hash, source: 'stored' });
  });
});
