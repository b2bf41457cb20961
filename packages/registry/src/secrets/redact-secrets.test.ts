import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';
import { resolveSecretReferences } from './secret-references.js';

describe('redactSecrets', () => {
  it('masks URL passwords and secret-looking keys, and keeps references', () => {
    expect(
      redactSecrets({
        connection_string: 'postgres://app:hunter2@db:5432/mem',
        settings: { apiKey: 'm0-abcdef', password: 'pw', token: '${MEM0_TOKEN}', baseUrl: 'https://api.mem0.ai', nested: [{ secret: 'x' }] },
        timeout: 5000,
      }),
    ).toEqual({
      connection_string: 'postgres://app:***@db:5432/mem',
      settings: { apiKey: '***', password: '***', token: '${MEM0_TOKEN}', baseUrl: 'https://api.mem0.ai', nested: [{ secret: '***' }] },
      timeout: 5000,
    });
  });
});

describe('resolveSecretReferences', () => {
  it('substitutes every reference and names the first unset variable', () => {
    expect(resolveSecretReferences('postgres://${USER}:${PASS}@db/x', { USER: 'u', PASS: 'p' })).toBe('postgres://u:p@db/x');
    expect(() => resolveSecretReferences('${NOPE}', {}, 'settings.apiKey')).toThrow('settings.apiKey: environment variable NOPE is not set');
  });
});
