import { describe, expect, it } from 'vitest';
import { MemoryError } from './memory-error.js';
import { NotFoundError } from './not-found-error.js';
import { ProviderUnavailableError } from './provider-unavailable-error.js';
import { RateLimitedError } from './rate-limited-error.js';
import { ValidationError } from './validation-error.js';

describe('error classes', () => {
  it('recognise their own instances through the marker, not the prototype', () => {
    const error = new ProviderUnavailableError({ message: 'down', providerId: 'pg' });
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(MemoryError.isInstance(error)).toBe(true);
    expect(NotFoundError.isInstance(error)).toBe(false);
    // A copy from another package instance: same markers, different prototype.
    const foreign = Object.assign(Object.create(null), { [Symbol.for('memgate.memory.error')]: true, [Symbol.for('memgate.memory.error.Memory_ProviderUnavailableError')]: true });
    expect(ProviderUnavailableError.isInstance(foreign)).toBe(true);
    expect(MemoryError.isInstance(new Error('plain'))).toBe(false);
  });

  it('take isRetryable from the code that creates them', () => {
    expect(new ProviderUnavailableError({ message: 'x' }).isRetryable).toBe(true);
    expect(new ProviderUnavailableError({ message: 'x', isRetryable: false }).isRetryable).toBe(false);
    expect(new NotFoundError({ message: 'x' }).isRetryable).toBe(false);
    expect(new ValidationError({ message: 'x', isRetryable: true }).isRetryable).toBe(false);
    const limited = new RateLimitedError({ message: 'slow down', retryAfterMs: 1500 });
    expect([limited.isRetryable, limited.retryAfterMs, limited.name]).toEqual([true, 1500, 'Memory_RateLimitedError']);
    const unavailable = new ProviderUnavailableError({ message: 'every breaker is open', retryAfterMs: 4000 });
    expect([unavailable.isRetryable, unavailable.retryAfterMs]).toEqual([true, 4000]);
  });
});
