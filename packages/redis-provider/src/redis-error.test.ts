import { createConnection } from 'node:net';
import { AuthError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError } from '@memgate/core';
import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { mapRedisError } from './redis-error.js';

/** The error Node raises when nothing listens on a port (port 1 on loopback is never served here). */
async function refusedConnectionError(): Promise<Error> {
  return new Promise((resolve) => createConnection({ host: '127.0.0.1', port: 1 }).on('error', resolve));
}

describe('mapRedisError', () => {
  it('maps a refused connection to a retryable ProviderUnavailableError', async () => {
    const mapped = mapRedisError(await refusedConnectionError(), 'cache');
    expect(ProviderUnavailableError.isInstance(mapped)).toBe(true);
    expect(mapped).toMatchObject({ isRetryable: true, providerId: 'cache' });
    expect(mapped.message).toContain('ECONNREFUSED');
  });

  it('maps a command timeout to a retryable ProviderTimeoutError', () => {
    const mapped = mapRedisError(new Error('Command timed out'), 'cache');
    expect(ProviderTimeoutError.isInstance(mapped)).toBe(true);
    expect(mapped.isRetryable).toBe(true);
  });

  it.each(['LOADING Redis is loading the dataset in memory', 'BUSY Redis is busy running a script', 'READONLY You can\'t write against a read only replica.', 'OOM command not allowed when used memory > \'maxmemory\''])(
    'maps the transient reply %s to a retryable ProviderUnavailableError',
    (message) => {
      const mapped = mapRedisError(new ReplyError(message), 'cache');
      expect(ProviderUnavailableError.isInstance(mapped)).toBe(true);
      expect(mapped.isRetryable).toBe(true);
    },
  );

  it.each(['NOAUTH Authentication required.', 'WRONGPASS invalid username-password pair or user is disabled.'])('maps %s to a non-retryable AuthError', (message) => {
    const mapped = mapRedisError(new ReplyError(message), 'cache');
    expect(AuthError.isInstance(mapped)).toBe(true);
    expect(mapped.isRetryable).toBe(false);
  });

  it('maps any other error reply to a non-retryable ProviderUnavailableError', () => {
    const mapped = mapRedisError(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'), 'cache');
    expect(ProviderUnavailableError.isInstance(mapped)).toBe(true);
    expect(mapped.isRetryable).toBe(false);
  });

  it('passes core errors through unchanged', () => {
    const original = new NotFoundError({ message: 'gone' });
    expect(mapRedisError(original, 'cache')).toBe(original);
  });
});
