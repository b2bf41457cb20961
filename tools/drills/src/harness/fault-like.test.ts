import { describe, expect, it } from 'vitest';
import { faultLike } from './fault-like.js';

describe('faultLike', () => {
  it.each(['/debug/fault', '/chaos/enable', '/v1/inject', 'x-memgate-fault', 'x-envoy-fault-delay-request', 'MEMGATE_CHAOS', 'MEMGATE_FAIL_RATE', 'x-memgate-latency', 'MEMGATE_SIMULATE_OUTAGE', 'fail'])('flags %s', (name) => {
    expect(faultLike.test(name)).toBe(true);
  });

  it.each(['/providers/failover/trigger', '/providers/failover/statistics', 'failure_threshold', 'x-memgate-fallbacks', 'MEMGATE_ADMIN_KEY', '/v3/memories/search/'])('lets %s pass', (name) => {
    expect(faultLike.test(name)).toBe(false);
  });
});
