import { describe, expect, it } from 'vitest';
import { redactSecrets, redactSecretsInText, redactUrl } from './redact-secrets.js';
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

describe('redactUrl', () => {
  it.each([
    ['postgres://app@db/mem?sslmode=require&sslpassword=pw1&sslkey=k&password=p2', 'postgres://app@db/mem?sslmode=require&sslpassword=***&sslkey=***&password=***'],
    ['https://x.io/v1?token=t&access_token=a&api_key=b&apikey=c&key=d&secret=e&page=2#top', 'https://x.io/v1?token=***&access_token=***&api_key=***&apikey=***&key=***&secret=***&page=2#top'],
    ['postgres://u:p@ss@db/x', 'postgres://u:***@db/x'],
    ['postgres://${USER}:${PASS}@db/x?sslpassword=${SSL_PW}', 'postgres://${USER}:${PASS}@db/x?sslpassword=${SSL_PW}'],
    ['postgres://app:literal@db/x?host=${H}', 'postgres://app:***@db/x?host=${H}'],
    ['redis://:pw@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['not a url', 'not a url'],
  ])('masks %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('masks URLs inside free text and inside any string of a JSON value', () => {
    expect(redactSecretsInText("connect to 'postgres://a:b@h/d?sslpassword=z' failed")).toBe("connect to 'postgres://a:***@h/d?sslpassword=***' failed");
    expect(redactSecrets({ reason: 'set from redis://:pw@h' })).toEqual({ reason: 'set from redis://:***@h' });
  });
});

describe('resolveSecretReferences', () => {
  it('substitutes every reference and names the first unset variable', () => {
    expect(resolveSecretReferences('postgres://${USER}:${PASS}@db/x', { USER: 'u', PASS: 'p' })).toBe('postgres://u:p@db/x');
    expect(() => resolveSecretReferences('${NOPE}', {}, 'settings.apiKey')).toThrow('settings.apiKey: environment variable NOPE is not set');
  });
});
