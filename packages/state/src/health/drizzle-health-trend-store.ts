import { ValidationError } from '@memgate/core';
import type { HealthTrendPoint, HealthTrendStore, LatencyQuantiles } from '@memgate/health';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';
import { healthTrends, type HealthTrendRow } from '../schema/health-trends.js';

const countFields = ['volume', 'successes', 'failures'] as const;
const ratioFields = ['uptime', 'score'] as const;

/** Options of {@link DrizzleHealthTrendStore}. */
export interface DrizzleHealthTrendStoreOptions {
  /**
   * Who this store writes as: one id per process (`createStateStore` draws a random UUID per store), so
   * replicas and a process restarted within the hour each keep their own row instead of overwriting
   * another's. Never reuse one id in two live processes: they would overwrite each other again.
   */
  readonly writer: string;
}

/**
 * Hourly health trends in the control-plane store (`memgate.health_trends`), shared by every gateway
 * replica. Each writer (process) keeps its own row per (provider, hour), replaced when it writes the hour
 * again (the current hour is written several times as it fills); {@link DrizzleHealthTrendStore.query}
 * merges the rows of an hour into one point, so the counts add up across replicas and restarts.
 */
export class DrizzleHealthTrendStore implements HealthTrendStore {
  /** The writer id this store upserts as. */
  readonly writer: string;

  /** @throws ValidationError naming `writer` when it is not a non-empty string ('' is the rows written before writers existed) */
  constructor(
    private readonly db: StateDrizzle,
    { writer }: DrizzleHealthTrendStoreOptions,
  ) {
    if (typeof writer !== 'string' || writer === '') throw new ValidationError({ message: 'writer must be a non-empty string', field: 'writer' });
    this.writer = writer;
  }

  /**
   * Inserts or replaces this writer's rows; other writers' rows of the same hours are left alone.
   * @throws ValidationError naming `points[i].<field>` for a point the table cannot hold
   */
  async upsert(points: readonly HealthTrendPoint[]): Promise<void> {
    points.forEach(checkPoint);
    // One statement cannot update a row twice: the last point of a (provider, hour) wins, as in memory.
    const latest = new Map(points.map((point) => [`${point.provider}\u0000${point.hourStart}`, point]));
    if (latest.size === 0) return;
    await this.db
      .insert(healthTrends)
      .values([...latest.values()].map((point) => toRow(point, this.writer)))
      .onConflictDoUpdate({
        target: [healthTrends.provider, healthTrends.hour, healthTrends.writer],
        // Every column a point carries; `timeouts` and `latency_avg_ms` are not (they keep their values).
        set: {
          requests: sql`excluded.requests`,
          successes: sql`excluded.successes`,
          failures: sql`excluded.failures`,
          latencyP50Ms: sql`excluded.latency_p_50_ms`,
          latencyP95Ms: sql`excluded.latency_p_95_ms`,
          latencyP99Ms: sql`excluded.latency_p_99_ms`,
          availability: sql`excluded.availability`,
          uptime: sql`excluded.uptime`,
          score: sql`excluded.score`,
        },
      });
  }

  /**
   * One point per hour with rows, merged across writers: volume, successes and failures are summed;
   * uptime and score are volume-weighted means (plain means when no writer counted a call); the latency
   * quantiles are successes-weighted means of the quantiles of the writers that have latency (null when
   * none has). That last part is an approximation: quantiles do not merge exactly (the writers' latency
   * sketches are not stored); the true quantile of the hour lies between the lowest and the highest of the
   * writers' ones, and so does the weighted mean, but it can be anywhere in between. An hour written by one
   * writer only comes back exactly as written.
   */
  async query(provider: string, { from, to }: { readonly from: number; readonly to: number }): Promise<HealthTrendPoint[]> {
    checkTime(from, 'from');
    checkTime(to, 'to');
    const rows = await this.db
      .select()
      .from(healthTrends)
      .where(and(eq(healthTrends.provider, provider), gte(healthTrends.hour, new Date(from)), lt(healthTrends.hour, new Date(to))))
      // By writer within an hour: the same rows always merge in the same order (float sums depend on it).
      .orderBy(asc(healthTrends.hour), asc(healthTrends.writer));
    const hours = new Map<number, [HealthTrendPoint, ...HealthTrendPoint[]]>();
    for (const row of rows) {
      const point = toPoint(row);
      const hour = hours.get(point.hourStart);
      if (hour) hour.push(point);
      else hours.set(point.hourStart, [point]);
    }
    return [...hours.values()].map(mergeWriters);
  }

  /** Deletes every writer's rows of the hours before `before`. @returns how many rows were deleted (one per writer and hour) */
  async prune(before: number): Promise<number> {
    checkTime(before, 'before');
    // Counted in the database: `returning` every deleted row would ship them all back.
    const result = (await this.db.execute(
      sql`with deleted as (delete from memgate.health_trends where hour < ${new Date(before).toISOString()}::timestamptz returning 1) select count(*)::int as deleted from deleted`,
    )) as unknown as { rows: { deleted: number }[] };
    return Number(result.rows[0]?.deleted ?? 0);
  }
}

function toRow(point: HealthTrendPoint, writer: string): typeof healthTrends.$inferInsert {
  return {
    provider: point.provider,
    hour: new Date(point.hourStart),
    writer,
    requests: point.volume,
    successes: point.successes,
    failures: point.failures,
    latencyP50Ms: point.latencyMs?.p50 ?? null,
    latencyP95Ms: point.latencyMs?.p95 ?? null,
    latencyP99Ms: point.latencyMs?.p99 ?? null,
    availability: point.volume > 0 ? point.successes / point.volume : null,
    uptime: point.uptime,
    score: point.score,
  };
}

function toPoint(row: HealthTrendRow): HealthTrendPoint {
  const { latencyP50Ms: p50, latencyP95Ms: p95, latencyP99Ms: p99 } = row;
  return {
    provider: row.provider,
    hourStart: row.hour.getTime(),
    volume: row.requests,
    successes: row.successes,
    failures: row.failures,
    // The table's check keeps the three together.
    latencyMs: p50 === null || p95 === null || p99 === null ? null : { p50, p95, p99 },
    uptime: row.uptime,
    score: row.score,
  };
}

/** The writers' points of one (provider, hour) as one point (see {@link DrizzleHealthTrendStore.query}). */
function mergeWriters(points: readonly [HealthTrendPoint, ...HealthTrendPoint[]]): HealthTrendPoint {
  const [first] = points;
  // A mean of one value can differ from it in the last bit: a lone writer's point is returned as written.
  if (points.length === 1) return first;
  const latencies = points.flatMap(({ latencyMs, successes }) => (latencyMs === null ? [] : [{ latencyMs, successes }]));
  const latencyMean = (quantile: keyof LatencyQuantiles): number => weightedMean(latencies.map(({ latencyMs, successes }) => [latencyMs[quantile], successes]));
  return {
    provider: first.provider,
    hourStart: first.hourStart,
    volume: sum(points.map((point) => point.volume)),
    successes: sum(points.map((point) => point.successes)),
    failures: sum(points.map((point) => point.failures)),
    latencyMs: latencies.length === 0 ? null : { p50: latencyMean('p50'), p95: latencyMean('p95'), p99: latencyMean('p99') },
    uptime: weightedMean(points.map((point) => [point.uptime, point.volume])),
    score: weightedMean(points.map((point) => [point.score, point.volume])),
  };
}

/** The mean of the values by their weights; the plain mean when every weight is 0. */
function weightedMean(values: readonly (readonly [value: number, weight: number])[]): number {
  const totalWeight = sum(values.map(([, weight]) => weight));
  if (totalWeight === 0) return sum(values.map(([value]) => value)) / values.length;
  return sum(values.map(([value, weight]) => value * weight)) / totalWeight;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function checkPoint(point: HealthTrendPoint, index: number): void {
  const at = (field: string): string => `points[${index}].${field}`;
  if (typeof point.provider !== 'string' || point.provider === '') throw new ValidationError({ message: `${at('provider')} must be a non-empty string`, field: at('provider') });
  checkTime(point.hourStart, at('hourStart'));
  for (const field of countFields) {
    const value = point[field];
    if (!Number.isSafeInteger(value) || value < 0 || value > 2_147_483_647) throw new ValidationError({ message: `${at(field)} must be a whole number between 0 and 2147483647`, field: at(field) });
  }
  for (const field of ratioFields) {
    if (!Number.isFinite(point[field])) throw new ValidationError({ message: `${at(field)} must be a finite number`, field: at(field) });
  }
  if (point.latencyMs !== null) {
    for (const quantile of ['p50', 'p95', 'p99'] as const) {
      if (!Number.isFinite(point.latencyMs?.[quantile])) throw new ValidationError({ message: `${at(`latencyMs.${quantile}`)} must be a finite number`, field: at(`latencyMs.${quantile}`) });
    }
  }
}

/** A time the database can hold exactly: whole epoch milliseconds within `Date`'s range. */
function checkTime(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || Number.isNaN(new Date(value).getTime())) throw new ValidationError({ message: `${field} must be whole epoch milliseconds`, field });
}
