import {
  AuthError,
  ConflictError,
  NotFoundError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  RateLimitedError,
  UnsupportedCapabilityError,
  ValidationError,
} from '@memgate/core';
import { AuditBacklogFullError, ForbiddenError } from '@memgate/security';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../testing/use-test-gateway.js';

// A real provider whose `get` throws, for chosen ids, the error each case names.
const failures = new Map<string, Error>([
  ['00000000-0000-7000-8000-000000000001', new ValidationError({ field: 'metadata.x', message: 'metadata.x: too deep' })],
  ['00000000-0000-7000-8000-000000000002', new AuthError({ message: 'upstream key rejected' })],
  ['00000000-0000-7000-8000-000000000003', new NotFoundError({ message: 'gone' })],
  ['00000000-0000-7000-8000-000000000004', new ConflictError({ message: 'id taken' })],
  ['00000000-0000-7000-8000-000000000005', new RateLimitedError({ message: 'slow down', retryAfterMs: 2500 })],
  ['00000000-0000-7000-8000-000000000006', new ProviderUnavailableError({ message: 'every provider is down', retryAfterMs: 30_000 })],
  ['00000000-0000-7000-8000-000000000007', new ProviderTimeoutError({ message: 'deadline passed' })],
  ['00000000-0000-7000-8000-000000000008', new UnsupportedCapabilityError({ message: 'no history here' })],
  ['00000000-0000-7000-8000-000000000009', new TypeError('undefined is not a function')],
  ['00000000-0000-7000-8000-000000000010', new AuthError({ message: 'mem0 answered 401 to get: upstream body', providerId: 'mem0' })],
  ['00000000-0000-7000-8000-000000000011', new ProviderUnavailableError({ message: 'mem0 answered 503: upstream body', providerId: 'mem0' })],
  ['00000000-0000-7000-8000-000000000012', new ProviderTimeoutError({ message: 'mem0 timed out: upstream body', providerId: 'mem0' })],
  ['00000000-0000-7000-8000-000000000013', new ValidationError({ message: 'mem0 answered 400: upstream body', providerId: 'mem0' })],
  ['00000000-0000-7000-8000-000000000014', new ForbiddenError({ message: 'missing permission memory:read' })],
  ['00000000-0000-7000-8000-000000000015', new AuditBacklogFullError({ message: 'the audit log is full' })],
]);
const logged: unknown[] = [];
const gateway = useTestGateway(
  () => {
    const provider = createInMemoryMemoryProvider();
    return {
      ...provider,
      get: async (id, options) => {
        const failure = failures.get(id);
        if (failure) throw failure;
        return provider.get(id, options);
      },
    };
  },
  { logger: pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) }) },
);

describe('the error mapping', () => {
  it.each([
    ['1', 400, { error: 'metadata.x: too deep', field: 'metadata.x' }, null],
    ['2', 401, { error: 'upstream key rejected', detail: 'upstream key rejected' }, null],
    ['10', 502, { error: 'authentication to provider failed', detail: 'authentication to provider failed' }, null],
    ['11', 503, { error: 'provider unreachable' }, '5'],
    ['12', 504, { error: 'provider timed out' }, null],
    ['13', 400, { error: 'provider rejected the request', field: null }, null],
    ['14', 403, { error: 'missing permission memory:read', detail: 'missing permission memory:read' }, null],
    ['15', 503, { error: 'the audit log is full' }, '1'],
    ['3', 404, { error: 'gone' }, null],
    ['4', 409, { error: 'id taken' }, null],
    ['5', 429, { error: 'slow down' }, '3'],
    ['6', 503, { error: 'every provider is down' }, '30'],
    ['7', 504, { error: 'deadline passed' }, null],
    ['8', 501, { error: 'no history here' }, null],
  ])('maps case %s to HTTP %i with a mem0-style body and Retry-After where due', async (suffix, status, body, retryAfter) => {
    const response = await gateway().call('GET', `/v1/memories/00000000-0000-7000-8000-${suffix.padStart(12, '0')}/`);
    expect(response.status).toBe(status);
    expect(response.body).toEqual(body);
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(JSON.stringify(response.body)).not.toContain('upstream body');
    expect(response.headers.get('www-authenticate')).toBe(status === 401 ? 'Token realm="memgate"' : null);
  });

  it('answers 500 without internals for an unknown error, and logs it with the request id', async () => {
    const response = await gateway().call('GET', '/v1/memories/00000000-0000-7000-8000-000000000009/');
    expect(response.status).toBe(500);
    expect(response.body.error).toBe('Internal server error');
    expect(JSON.stringify(response.body)).not.toContain('undefined is not a function');
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'unhandled error', requestId: response.body.request_id }));
  });
});
