import type { CircuitBreakerSnapshot, MemberAdminState } from '@memgate/failover';
import type { HealthStatus, LatencyQuantiles } from '@memgate/health';
import type { ProviderRegistry } from '@memgate/registry';
import type { LiveFailoverPool } from '../../compose/live-failover-pool.js';

/** What a provider card shows. */
export interface ProviderView {
  readonly name: string;
  readonly status: HealthStatus;
  /** In [0, 1]. */
  readonly score: number;
  readonly up: boolean;
  readonly consecutiveFailures: number;
  readonly lastError: string | null;
  /** `null` when the provider is not a member of the pool (inactive). */
  readonly breaker: CircuitBreakerSnapshot | null;
  readonly adminState: MemberAdminState | null;
  readonly priority: number | null;
  /** Counted calls per second over the last minute. */
  readonly requestsPerSecond: number;
  /** failures / volume over the last minute, or `null` without calls. */
  readonly errorRate: number | null;
  /** Last-minute percentiles of successful calls. */
  readonly latencyMs: LatencyQuantiles | null;
  /** Undelivered journal entries (with a journal), else `null`. */
  readonly backlog: { readonly entries: number; readonly needsResync: boolean } | null;
  /** The registry's `security_level`, or `null` without a registry. */
  readonly securityLevel: string | null;
}

/** Whether a card is red, amber or green. */
export type ProviderTone = 'red' | 'amber' | 'green' | 'grey';

/** Red when no traffic may go to it (breaker open, isolated or drained) or it is unhealthy; amber when it is on trial or failing. */
export function providerTone(view: ProviderView): ProviderTone {
  const state = view.breaker?.state;
  if (state === 'open' || state === 'isolated' || view.status === 'unhealthy' || !view.up && view.status !== 'unknown') return 'red';
  if (state === 'half-open' || view.status === 'degraded' || view.consecutiveFailures > 0 || (view.adminState !== null && view.adminState !== 'active')) return 'amber';
  return view.status === 'unknown' ? 'grey' : 'green';
}

/**
 * Reads every provider the health monitor or the pool knows, sorted by priority then name, from the
 * same sources as `GET /providers/health` and `/providers/failover/statistics`.
 */
export function createProviderViews(pool: LiveFailoverPool, registry: Pick<ProviderRegistry, 'list'> | undefined): () => Promise<ProviderView[]> {
  let levels: { at: number; byName: Promise<Map<string, string>> } | undefined;
  // The registry may be the state store: read it at most every 5 s, not on every push of every browser.
  const securityLevels = (): Promise<Map<string, string>> => {
    if (!registry) return Promise.resolve(new Map());
    if (!levels || Date.now() - levels.at > 5000) {
      const byName = registry.list().then((records) => new Map(records.map((record) => [record.name, String(record.config.security_level)])));
      levels = { at: Date.now(), byName };
      byName.catch(() => (levels = undefined));
    }
    return levels.byName.catch(() => new Map());
  };
  return async () => {
    const snapshot = pool.health.snapshot();
    const members = new Map(pool.statistics().members.map((member) => [member.name, member]));
    const level = await securityLevels();
    const names = [...new Set([...Object.keys(snapshot.providers), ...members.keys()])];
    const views = names.map((name): ProviderView => {
      const health = snapshot.providers[name];
      const member = members.get(name);
      const minute = health?.windows['1m'];
      return {
        name,
        status: health?.status ?? 'unknown',
        score: health?.score ?? 0,
        up: health?.up ?? false,
        consecutiveFailures: health?.consecutiveFailures ?? 0,
        lastError: health?.lastError ? `${health.lastError.name}: ${health.lastError.message}` : null,
        breaker: member?.breaker ?? null,
        adminState: member?.adminState ?? null,
        priority: member?.priority ?? null,
        requestsPerSecond: (minute?.volume ?? 0) / 60,
        errorRate: minute && minute.volume > 0 ? minute.failures / minute.volume : null,
        latencyMs: minute?.latencyMs ?? null,
        backlog: member?.journalBacklog ? { entries: member.journalBacklog.entries, needsResync: member.journalBacklog.needsResync } : null,
        securityLevel: level.get(name) ?? null,
      };
    });
    return views.sort((a, b) => (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name));
  };
}
