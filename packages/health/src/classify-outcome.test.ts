import { AbortedError, AuthError, ConflictError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, UnsupportedCapabilityError, ValidationError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { classifyOutcome } from './classify-outcome.js';

describe('classifyOutcome', () => {
  it('counts timeouts, connection errors and unknown errors against the provider', () => {
    expect(classifyOutcome(new ProviderTimeoutError({ message: 'slow' })).kind).toBe('failure');
    expect(classifyOutcome(new ProviderUnavailableError({ message: 'reset' })).kind).toBe('failure');
    expect(classifyOutcome(new TypeError('boom')).kind).toBe('failure');
  });

  it('cools a rate-limited provider down for its Retry-After instead of counting a failure', () => {
    expect(classifyOutcome(new RateLimitedError({ message: '429', retryAfterMs: 1500 }))).toEqual({ kind: 'rate-limited', retryAfterMs: 1500 });
    expect(classifyOutcome(new RateLimitedError({ message: '429' }))).toEqual({ kind: 'rate-limited' });
  });

  it('counts caller mistakes for nothing', () => {
    for (const error of [new ValidationError({ message: 'bad', field: 'x' }), new NotFoundError({ message: 'gone' }), new ConflictError({ message: 'clash' }), new UnsupportedCapabilityError({ message: 'no' })]) {
      expect(classifyOutcome(error).kind).toBe('caller-error');
    }
  });

  it('treats rejected credentials as a configuration fault and a caller abort as saying nothing', () => {
    expect(classifyOutcome(new AuthError({ message: '401' })).kind).toBe('config-fault');
    expect(classifyOutcome(new AbortedError({ message: 'stop' })).kind).toBe('aborted');
    expect(classifyOutcome(undefined).kind).toBe('success');
  });

  it('recognises errors from another copy of core through their markers', () => {
    const foreign = { [Symbol.for('memgate.memory.error')]: true, [Symbol.for('memgate.memory.error.Memory_AuthError')]: true };
    expect(classifyOutcome(foreign).kind).toBe('config-fault');
  });
});
