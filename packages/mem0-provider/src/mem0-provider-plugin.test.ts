import { AuthError, ConflictError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { mem0HttpError, parseRetryAfter } from './map-mem0-error.js';
import { mem0ProviderPlugin } from './mem0-provider-plugin.js';
import { mem0ProviderSettingsSchema } from './mem0-provider-settings.js';

describe('mem0ProviderPlugin', () => {
  it('discovers a Platform provider from MEM0_API_KEY, keeping the key as a reference and out of the reason', () => {
    const [found] = mem0ProviderPlugin.discover!({ MEM0_API_KEY: 'm0-secret-value', MEM0_BASE_URL: 'https://mem0.example.com' });
    expect(found).toEqual({
      name: 'mem0',
      settings: { mode: 'platform', apiKey: '${MEM0_API_KEY}', baseUrl: 'https://mem0.example.com' },
      reason: 'MEM0_API_KEY and MEM0_BASE_URL are set',
    });
    expect(JSON.stringify(found)).not.toContain('m0-secret-value');
  });

  it('discovers an OSS provider from MEM0_OSS_URL, and nothing from an empty environment', () => {
    expect(mem0ProviderPlugin.discover!({ MEM0_OSS_URL: 'http://127.0.0.1:8888', MEM0_OSS_API_KEY: 'k' })).toEqual([
      { name: 'mem0-oss', settings: { mode: 'oss', baseUrl: 'http://127.0.0.1:8888', apiKey: '${MEM0_OSS_API_KEY}' }, reason: 'MEM0_OSS_URL and MEM0_OSS_API_KEY are set' },
    ]);
    expect(mem0ProviderPlugin.discover!({})).toEqual([]);
  });

  it('creates a provider of type mem0 named by the registry, without I/O', () => {
    const provider = mem0ProviderPlugin.create({ mode: 'platform', apiKey: '${MEM0_API_KEY}' }, { name: 'primary' });
    expect([provider.type, provider.name, provider.capabilities.inference]).toEqual(['mem0', 'primary', true]);
  });

  it('settings are strict and name the bad field', () => {
    const unknown = mem0ProviderSettingsSchema.safeParse({ mode: 'platform', colour: 'red' });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('colour');
    const noUrl = mem0ProviderSettingsSchema.safeParse({ mode: 'oss' });
    expect(noUrl.error?.issues[0]?.path).toEqual(['baseUrl']);
    expect(mem0ProviderSettingsSchema.safeParse({ mode: 'oss', baseUrl: 'http://h', apiKey: 'a', bearerToken: 'b' }).success).toBe(false);
  });
});

describe('mem0 HTTP statuses map to core errors', () => {
  it.each([
    [400, ValidationError, false], [422, ValidationError, false], [401, AuthError, false], [403, AuthError, false], [404, NotFoundError, false],
    [409, ConflictError, false], [429, RateLimitedError, true], [500, ProviderUnavailableError, true], [502, ProviderUnavailableError, true],
    [503, ProviderUnavailableError, true], [504, ProviderTimeoutError, true], [408, ProviderTimeoutError, true],
  ] as const)('%i', (status, errorClass, retryable) => {
    const error = mem0HttpError(status, JSON.stringify({ error: 'Invalid request', details: { message: 'messages: required' } }), undefined, 'mem0', 'add');
    expect(errorClass.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(retryable);
    expect(error.message).toContain('messages: required');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
