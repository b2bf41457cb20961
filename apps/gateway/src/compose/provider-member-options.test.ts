import { describe, expect, it } from 'vitest';
import { providerMemberOptions } from './routing-pool-options.js';

describe('providerMemberOptions', () => {
  const base = { priority: 10, weight: 2, retry_attempts: 1 };

  it('maps a rate_limit to the member ceiling, with or without a burst', () => {
    expect(providerMemberOptions({ ...base, rate_limit: { rps: 50, burst: 10 } })).toEqual({ priority: 10, weight: 2, retryAttempts: 1, maxRequestsPerSecond: 50, burst: 10 });
    expect(providerMemberOptions({ ...base, rate_limit: { rps: 0.5 } })).toEqual({ priority: 10, weight: 2, retryAttempts: 1, maxRequestsPerSecond: 0.5 });
  });

  it('gives no ceiling when rate_limit is absent or null', () => {
    expect(providerMemberOptions(base)).toEqual({ priority: 10, weight: 2, retryAttempts: 1 });
    expect(providerMemberOptions({ ...base, rate_limit: null })).toEqual({ priority: 10, weight: 2, retryAttempts: 1 });
  });
});
