import type { RoutingAttempt, RoutingDecision } from '@memgate/failover';
import { createHealthMonitor, createInMemoryHealthTrendStore, createManualClock, type HealthTrendPoint, type HealthTrendStore } from '@memgate/health';
import { expect, it } from 'vitest';
import type { StateDrizzle } from '../connection/state-database.js';
import type { StateStore } from '../create-state-store.js';
import { DrizzleHealthTrendStore } from '../health/drizzle-health-trend-store.js';
import { DrizzleDecisionHistoryStore } from '../history/drizzle-decision-history-store.js';
import { waitFor } from './provider-store-tests.js';

const hour = 3_600_000;
const unique = (): string => Math.random().toString(36).slice(2, 10);

/** A full decision (every optional field set somewhere) whose attempts went to `tried`, in order; the last one's outcome decides. */
export function routingDecision(startedAt: number, tried: readonly [provider: string, outcome: 'success' | 'failure'][], extra: Partial<RoutingDecision> = {}): RoutingDecision {
  const attempts: RoutingAttempt[] = tried.map(([provider, outcome], index) => ({
    provider,
    startedAtMs: index * 12.5,
    durationMs: 10.125,
    outcome,
    ...(outcome === 'failure' ? { error: { name: 'ProviderUnavailableError', message: `${provider} refused`, retryable: true } } : {}),
    ...(index > 0 ? { trial: true } : {}),
  }));
  const served = tried.at(-1)?.[1] === 'success' ? tried.at(-1)![0] : null;
  return {
    id: `d-${startedAt}-${unique()}`,
    pool: 'memgate',
    requestId: `r-${unique()}`,
    operation: 'search',
    kind: 'read',
    startedAt,
    durationMs: 23.75,
    strategy: 'priority',
    candidates: tried.map(([provider]) => provider),
    order: tried.map(([provider]) => provider),
    attempts,
    skipped: [{ provider: 'elsewhere', reason: 'breaker-open' }],
    chosen: served,
    fallbacks: Math.max(0, attempts.length - 1),
    overheadMs: 0.375,
    panic: false,
    outcome: served === null ? 'failure' : 'success',
    ...(served === null ? { error: { name: 'ProviderUnavailableError', message: 'every member failed' } } : {}),
    ...extra,
  };
}

/**
 * The decision history and health trend stores of a state store: the same checks on every driver.
 * `closedDatabase` gives the drizzle client of a database that has been closed; on a file whose only
 * store it closes, call this last (its last test runs on the closed database).
 */
export function historyStoreTests(store: () => StateStore, { closedDatabase }: { closedDatabase: () => Promise<StateDrizzle> }): void {
  it('decisions: appended decisions are listed whole and newest first, with each filter, before any flush', async () => {
    const [a, b] = [`a-${unique()}`, `b-${unique()}`];
    const start = Date.now() - 60_000;
    const decisions = [
      routingDecision(start, [[a, 'success']]),
      routingDecision(start + 1000, [[a, 'failure'], [b, 'success']]),
      routingDecision(start + 2000, [[b, 'failure']]),
      routingDecision(start + 3000, [[a, 'success']]),
    ];
    // Appended out of order: the history is ordered by start time, not by arrival.
    for (const index of [0, 2, 1, 3]) expect(store().decisions.append(decisions[index]!)).toBeUndefined();
    const [d0, d1, d2, d3] = decisions;
    const history = store().decisions;
    expect(await history.list({ provider: a })).toEqual([d3, d1, d0]);
    expect(await history.list({ provider: b })).toEqual([d2, d1]);
    expect(await history.list({ provider: a, limit: 2 })).toEqual([d3, d1]);
    expect(await history.list({ provider: a, since: start + 1000 })).toEqual([d3, d1]);
    expect(await history.list({ provider: b, outcome: 'failure' })).toEqual([d2]);
    expect(await history.list({ provider: a, outcome: 'failure' })).toEqual([]);
    expect(await history.list({ provider: `nobody-${unique()}` })).toEqual([]);
    const ours = new Set(decisions.map((decision) => decision.id));
    const everything = await history.list({ since: start, limit: 1000 });
    expect(everything.filter((decision) => ours.has(decision.id))).toEqual([d3, d2, d1, d0]);
    expect(history.pending).toBe(0);
  });

  it('decisions: refuses a bad limit or since by name', async () => {
    await expect(store().decisions.list({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(store().decisions.list({ limit: 2.5 })).rejects.toMatchObject({ field: 'limit' });
    await expect(store().decisions.list({ since: Number.NaN })).rejects.toMatchObject({ field: 'since' });
  });

  it('decisions: a background flush writes the buffer within a second, seen by another store instance', async () => {
    const errors: unknown[] = [];
    const writer = new DrizzleDecisionHistoryStore(store().db, { onError: (error) => errors.push(error) });
    const reader = new DrizzleDecisionHistoryStore(store().db, { onError: (error) => errors.push(error) });
    const provider = `bg-${unique()}`;
    const decision = routingDecision(Date.now(), [[provider, 'success']]);
    writer.append(decision);
    expect(writer.pending).toBe(1);
    await waitFor(async () => (await reader.list({ provider })).length === 1, 2_000);
    expect(writer.pending).toBe(0);
    expect(await reader.list({ provider })).toEqual([decision]);
    await Promise.all([writer.close(), reader.close()]);
    expect(errors).toEqual([]);
  });

  it('decisions: the buffer is bounded (the oldest are dropped and counted), and invalid decisions are reported, not thrown', async () => {
    const errors: unknown[] = [];
    const history = new DrizzleDecisionHistoryStore(store().db, { maxBuffered: 3, flushDelayMs: 60_000, onError: (error) => errors.push(error) });
    const provider = `bounded-${unique()}`;
    const start = Date.now();
    const decisions = Array.from({ length: 5 }, (_, index) => routingDecision(start + index, [[provider, 'success']]));
    for (const decision of decisions) history.append(decision);
    expect([history.pending, history.dropped]).toEqual([3, 2]);
    expect(() => history.append({ ...decisions[0]!, startedAt: Number.NaN })).not.toThrow();
    expect(() => history.append({ ...decisions[0]!, attempts: [{ provider: 7 }] } as unknown as RoutingDecision)).not.toThrow();
    expect(errors).toEqual([expect.objectContaining({ field: 'decision.startedAt' }), expect.objectContaining({ field: 'decision.attempts[0].provider' })]);
    expect([history.pending, history.dropped]).toEqual([3, 4]);
    expect((await history.list({ provider })).map((decision) => decision.startedAt)).toEqual([start + 4, start + 3, start + 2]);
    await history.close();
  });

  it('decisions: text PostgreSQL refuses (U+0000, a lone surrogate) is stored as U+FFFD instead of blocking the buffer', async () => {
    const provider = `odd-${unique()}`;
    const decision = routingDecision(Date.now(), [[provider, 'failure']], { requestId: 'r\u0000x', error: { name: 'Error', message: 'bad \uD800 byte \u0000' } });
    store().decisions.append(decision);
    const [listed] = await store().decisions.list({ provider });
    expect(listed).toMatchObject({ id: decision.id, requestId: 'r\uFFFDx', error: { message: 'bad \uFFFD byte \uFFFD' } });
    expect(store().decisions.pending).toBe(0);
  });

  it('decisions: retention prunes rows older than retentionMs in flushes that write, at most once a minute', async () => {
    let now = Date.now();
    const errors: unknown[] = [];
    const history = new DrizzleDecisionHistoryStore(store().db, { retentionMs: hour, now: () => now, onError: (error) => errors.push(error) });
    const provider = `retained-${unique()}`;
    const fresh = routingDecision(now - 60_000, [[provider, 'success']]);
    history.append(routingDecision(now - 2 * hour, [[provider, 'success']]));
    history.append(fresh);
    await history.flush();
    expect(await history.list({ provider })).toEqual([fresh]);
    // Within the minute: written, not pruned yet.
    const late = routingDecision(now - 3 * hour, [[provider, 'success']]);
    history.append(late);
    await history.flush();
    expect(await history.list({ provider })).toEqual([fresh, late]);
    // A minute later, the next flush that writes prunes.
    now += 60_000;
    const next = routingDecision(now, [[provider, 'success']]);
    history.append(next);
    await history.flush();
    expect(await history.list({ provider })).toEqual([next, fresh]);
    await history.close();
    expect(errors).toEqual([]);
  });

  it('trends: a point round-trips exactly, an upsert replaces it, the range is half-open and prune counts what it deleted', async () => {
    const trends = store().healthTrends;
    const [provider, other] = [`t-${unique()}`, `u-${unique()}`];
    // Early in 1970, so nothing else in the database is older (prune counts every provider's rows).
    const base = 10 * hour;
    const point = (hourStart: number, extra: Partial<HealthTrendPoint> = {}): HealthTrendPoint => ({
      provider,
      hourStart,
      volume: 120,
      successes: 117,
      failures: 3,
      latencyMs: { p50: 1.5, p95: 20.251, p99: 99.125 },
      uptime: 0.987654321012345,
      score: 0.8765432101,
      ...extra,
    });
    const points = [point(base), point(base + hour, { volume: 0, successes: 0, failures: 0, latencyMs: null, uptime: 1, score: 1 }), point(base + 2 * hour)];
    await trends.upsert(points);
    await trends.upsert([{ ...point(base), provider: other }]);
    expect(await trends.query(provider, { from: base, to: base + 3 * hour })).toEqual(points);
    expect(await trends.query(provider, { from: base + hour, to: base + 2 * hour })).toEqual([points[1]]);
    expect(await trends.query(provider, { from: base + 3 * hour, to: base + 9 * hour })).toEqual([]);

    // The same hour twice in one batch: the last wins, as in memory.
    const replaced = point(base, { volume: 5, successes: 5, failures: 0, latencyMs: null, uptime: 0.5, score: 0.25 });
    await trends.upsert([point(base, { volume: 99 }), replaced]);
    expect(await trends.query(provider, { from: base, to: base + hour })).toEqual([replaced]);

    expect(await trends.prune(base + 2 * hour)).toBe(3);
    expect(await trends.query(provider, { from: 0, to: base + 9 * hour })).toEqual([points[2]]);
    expect(await trends.query(other, { from: 0, to: base + 9 * hour })).toEqual([]);
    expect(await trends.prune(base + 2 * hour)).toBe(0);
  });

  it('trends: writers (replicas, or a process restarted within the hour) keep their own rows and a query adds them up', async () => {
    const db = store().db;
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new DrizzleHealthTrendStore(db, { writer: `${name}-${unique()}` })) as [DrizzleHealthTrendStore, DrizzleHealthTrendStore, DrizzleHealthTrendStore];
    const reader = store().healthTrends;
    const provider = `w-${unique()}`;
    // Before the round-trip test's hours, and after it ran: its prune left nothing this old, so this prune counts only these rows.
    const [shared, alone, idle] = [2 * hour, 3 * hour, 4 * hour];
    const point = (hourStart: number, extra: Partial<HealthTrendPoint>): HealthTrendPoint => ({ provider, hourStart, volume: 0, successes: 0, failures: 0, latencyMs: null, uptime: 1, score: 1, ...extra });
    const aloneView = point(alone, { volume: 7, successes: 7, latencyMs: { p50: 1.1, p95: 2.2, p99: 3.3 }, uptime: 0.1, score: 0.7 });
    await a.upsert([point(shared, { volume: 100, successes: 90, failures: 10, latencyMs: { p50: 10, p95: 50, p99: 100 }, uptime: 1, score: 0.9 }), aloneView, point(idle, { uptime: 1, score: 1 })]);
    await b.upsert([point(shared, { volume: 300, successes: 285, failures: 15, latencyMs: { p50: 20, p95: 80, p99: 200 }, uptime: 0.5, score: 0.6 }), point(idle, { uptime: 0, score: 0.5 })]);
    // Only failures: no latency of its own, but its volume weighs on uptime and score.
    await c.upsert([point(shared, { volume: 100, successes: 0, failures: 100, latencyMs: null, uptime: 0, score: 0 })]);

    const range = { from: shared, to: idle + hour };
    const [merged, lone, quiet] = await reader.query(provider, range);
    expect(merged).toMatchObject({ provider, hourStart: shared, volume: 500, successes: 375, failures: 125 });
    // Volume-weighted: (100·1 + 300·0.5 + 100·0) / 500 and (100·0.9 + 300·0.6 + 100·0) / 500.
    expect(merged!.uptime).toBeCloseTo(0.5, 12);
    expect(merged!.score).toBeCloseTo(0.54, 12);
    // Successes-weighted over the writers with latency: (90·10 + 285·20) / 375, and so on.
    expect(merged!.latencyMs!.p50).toBeCloseTo(17.6, 9);
    expect(merged!.latencyMs!.p95).toBeCloseTo(72.8, 9);
    expect(merged!.latencyMs!.p99).toBeCloseTo(176, 9);
    // One writer's hour comes back exactly as written.
    expect(lone).toEqual(aloneView);
    // No calls anywhere: plain means, and no latency.
    expect(quiet).toMatchObject({ hourStart: idle, volume: 0, successes: 0, failures: 0, latencyMs: null, uptime: 0.5, score: 0.75 });

    // A writes its view of the hour again: only its own row changes.
    await a.upsert([point(shared, { volume: 200, successes: 190, failures: 10, latencyMs: { p50: 10, p95: 50, p99: 100 }, uptime: 1, score: 1 })]);
    const [again] = await b.query(provider, range);
    expect(again).toMatchObject({ volume: 600, successes: 475, failures: 125 });
    expect(again!.uptime).toBeCloseTo(350 / 600, 12);
    expect(again!.score).toBeCloseTo(380 / 600, 12);
    expect(again!.latencyMs!.p50).toBeCloseTo(7600 / 475, 9);

    // Every writer's rows go, counted as rows: 3 writers at `shared`, 1 at `alone`, 2 at `idle`.
    expect(await c.prune(idle + hour)).toBe(6);
    expect(await reader.query(provider, range)).toEqual([]);
    expect(await a.prune(idle + hour)).toBe(0);
  });

  it('trends: refuses a point the table cannot hold, by field', async () => {
    const valid: HealthTrendPoint = { provider: 'p', hourStart: 20 * hour, volume: 1, successes: 1, failures: 0, latencyMs: null, uptime: 1, score: 1 };
    await expect(store().healthTrends.upsert([valid, { ...valid, volume: -1 }])).rejects.toMatchObject({ field: 'points[1].volume' });
    await expect(store().healthTrends.upsert([{ ...valid, hourStart: Number.NaN }])).rejects.toMatchObject({ field: 'points[0].hourStart' });
    await expect(store().healthTrends.upsert([{ ...valid, latencyMs: { p50: 1, p95: Number.POSITIVE_INFINITY, p99: 3 } }])).rejects.toMatchObject({ field: 'points[0].latencyMs.p95' });
    await expect(store().healthTrends.query('p', { from: 0, to: Number.NaN })).rejects.toMatchObject({ field: 'to' });
    expect(await store().healthTrends.query('p', { from: 0, to: 100 * hour })).toEqual([]);
    // '' is the writer of the rows written before writers existed: no store writes as it.
    expect(() => new DrizzleHealthTrendStore(store().db, { writer: '' })).toThrow(expect.objectContaining({ field: 'writer' }));
  });

  it('trends: the health monitor keeps the same hourly trends through the store as in memory', async () => {
    const provider = `monitored-${unique()}`;
    const errors: unknown[] = [];
    const run = async (trendStore: HealthTrendStore): Promise<HealthTrendPoint[]> => {
      // In 2015, later than the other trend tests' hours: this monitor's pruning leaves theirs alone.
      const clock = createManualClock(400_000 * hour);
      const monitor = createHealthMonitor({ clock, trendStore, trendRetentionMs: 3 * hour, trendFlushIntervalMs: hour, onError: (error) => errors.push(error) });
      for (let h = 0; h < 6; h += 1) {
        for (let index = 0; index < 10; index += 1) monitor.observe(provider, index < 9 ? { latencyMs: 10 * (h + 1) } : { error: new Error('refused') });
        await clock.advance(hour);
      }
      await monitor.flushTrends();
      const points = await monitor.trends(provider, { from: 0, to: 500_000 * hour });
      await monitor.close();
      return points;
    };
    const inMemory = await run(createInMemoryHealthTrendStore());
    const stored = await run(store().healthTrends);
    expect(stored.map((point) => point.hourStart / hour - 400_000)).toEqual([3, 4, 5]);
    expect(stored[0]).toMatchObject({ provider, volume: 10, successes: 9, failures: 1 });
    expect(stored).toEqual(inMemory);
    expect(errors).toEqual([]);
  });

  it('decisions: append never throws when the database is closed; the failure goes to onError and the decisions wait for a retry', async () => {
    const db = await closedDatabase();
    const errors: unknown[] = [];
    const history = new DrizzleDecisionHistoryStore(db, { flushDelayMs: 10, onError: (error) => errors.push(error) });
    const provider = `closed-${unique()}`;
    expect(() => history.append(routingDecision(Date.now(), [[provider, 'success']]))).not.toThrow();
    expect(history.append(routingDecision(Date.now(), [[provider, 'success']]))).toBeUndefined();
    await waitFor(() => errors.length > 0, 2_000);
    expect(history.pending).toBe(2);
    await expect(history.flush()).rejects.toThrow();
    await expect(history.list({ provider })).rejects.toThrow();
    const reported = errors.length;
    // Closing gives up on what it cannot write: dropped, counted and reported.
    await history.close();
    expect([history.pending, history.dropped, errors.length > reported]).toEqual([0, 2, true]);
    expect(() => history.append(routingDecision(Date.now(), [[provider, 'success']]))).not.toThrow();
    expect(history.dropped).toBe(3);
  });
}
