import type { HealthMonitor, Disposable } from '@memgate/health';
import { createCircuitBreaker } from './circuit-breaker.js';
import type { CircuitStateChange } from './circuit-breaker-state.js';
import type { FailoverPoolOptions } from './failover-pool-options.js';
import type { MemberCeiling, PoolMember } from './pool-member.js';
import { createLeasedTokenBucket } from './leased-token-bucket.js';
import { createTokenBucket } from './token-bucket.js';

/**
 * The pool's members, each with its own breaker (settings shared, saved state restored by name). A
 * lone active member gets `soloCooldownMs`: cooling down the only option turns a blip into an outage.
 */
export function createPoolMembers(options: Pick<FailoverPoolOptions, 'providers' | 'breaker' | 'sharedCeilings'>, onStateChange: (member: string, change: CircuitStateChange) => void): PoolMember[] {
  const { soloCooldownMs = 5000, initialStates = {}, ...breakerOptions } = options.breaker ?? {};
  const baseCooldown = breakerOptions.cooldownMs ?? 300_000;
  const members: PoolMember[] = options.providers.map((member, index) => {
    const name = member.provider.name;
    const breaker = createCircuitBreaker({
      ...breakerOptions,
      cooldownMs: () => (members.filter((other) => other.adminState === 'active').length <= 1 ? soloCooldownMs : typeof baseCooldown === 'function' ? baseCooldown() : baseCooldown),
      ...(initialStates[name] ? { initialState: initialStates[name] } : {}),
    });
    breaker.onStateChange((change) => onStateChange(name, change));
    const ceiling = member.maxRequestsPerSecond === undefined ? undefined : createCeiling(member.maxRequestsPerSecond, member.burst, options.sharedCeilings !== undefined);
    return { name, provider: member.provider, priority: member.priority ?? index, weight: member.weight ?? 1, retryAttempts: member.retryAttempts, breaker, ...(ceiling ? { ceiling } : {}), adminState: 'active', inFlight: 0, counters: { attempts: 0, successes: 0, failures: 0, served: 0 }, idleWaiters: [] };
  });
  return members;
}

/**
 * A member's request ceiling: a full bucket of `burst` tokens (default one second's worth) refilled at
 * `requestsPerSecond`; `shared`, an empty bucket the ceiling syncer leases tokens into from the bucket
 * every replica shares (see `createCeilingSyncer`).
 */
export function createCeiling(requestsPerSecond: number, burst: number = Math.max(1, Math.ceil(requestsPerSecond)), shared = false): MemberCeiling {
  if (!shared) return { requestsPerSecond, burst, bucket: createTokenBucket(requestsPerSecond, { capacity: burst }), skips: 0 };
  const lease = createLeasedTokenBucket({ ratePerSecond: requestsPerSecond, capacity: burst });
  return { requestsPerSecond, burst, bucket: lease, lease, skips: 0 };
}

/**
 * Feeds every active probe result of the monitor (whoever probes: the pool itself or the gateway's probe
 * targets) to the member's breaker: the evidence that returns an open member before its cooldown ends.
 */
export function feedProbesToBreakers(health: HealthMonitor, members: readonly PoolMember[]): Disposable {
  const probeResults = health.onProbeResult((result) => members.find((member) => member.name === result.provider)?.breaker.recordProbe(result.success));
  // While a breaker is open it waits for probes to vouch for its member: ask for them at the fast cadence
  // (a member back from a short outage would otherwise wait out the 30 s healthy interval for the second).
  const holds = new Map<string, Disposable>();
  const follow = (member: PoolMember, state: string): void => {
    const held = holds.get(member.name);
    if ((state === 'open' || state === 'half-open') && held === undefined) holds.set(member.name, health.awaitRecovery(member.name));
    if ((state === 'closed' || state === 'isolated') && held !== undefined) {
      held.dispose();
      holds.delete(member.name);
    }
  };
  const listeners = members.map((member) => {
    follow(member, member.breaker.state);
    return member.breaker.onStateChange((change) => follow(member, change.to));
  });
  return {
    dispose() {
      probeResults.dispose();
      for (const listener of listeners) listener.dispose();
      for (const held of holds.values()) held.dispose();
      holds.clear();
    },
  };
}
