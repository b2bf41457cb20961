import { ValidationError } from '@memgate/core';
import type { HealthTrendPoint, HealthTrendStore } from '@memgate/health';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { StateDrizzle } from '../connection/state-database.js';
import { healthTrends, type HealthTrendRow } from '../schema/health-trends.js';

const countFields = ['volume', 'successes', 'failures'] as const;
const ratioFields = ['uptime', 'score'] as const;

/**
 * Hourly health trends in the control-plane store (`memgate.health_trends`), one row per (provider,
 * hour), shared by every gateway replica. A point written again for the same provider and hour
 * replaces the row (the current hour is written several times as it fills).
 */
export class DrizzleHealthTrendStore implements HealthTrendStore {
  constructor(private readonly db: StateDrizzle) {}

  /** @throws ValidationError naming `points[i].<field>` for a point the table cannot hold */
  async upsert(points: readonly HealthTrendPoint[]): Promise<void> {
    points.forEach(checkPoint);
    // One statement cannot update a row twice: the last point of a (provider, hour) wins, as in memory.
    const latest = new Map(points.map((point) => [`${point.provider}\u0000${point.hourStart}`, point]));
    if (latest.size === 0) return;
    await this.db
      .insert(healthTrends)
      .values([...latest.values()].map(toRow))
      .onConflictDoUpdate({
        target: [healthTrends.provider, healthTrends.hour],
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

  async query(provider: string, { from, to }: { readonly from: number; readonly to: number }): Promise<HealthTrendPoint[]> {
    checkTime(from, 'from');
    checkTime(to, 'to');
    const rows = await this.db
      .select()
      .from(healthTrends)
      .where(and(eq(healthTrends.provider, provider), gte(healthTrends.hour, new Date(from)), lt(healthTrends.hour, new Date(to))))
      .orderBy(asc(healthTrends.hour));
    return rows.map(toPoint);
  }

  async prune(before: number): Promise<number> {
    checkTime(before, 'before');
    // Counted in the database: `returning` every deleted row would ship them all back.
    const result = (await this.db.execute(
      sql`with deleted as (delete from memgate.health_trends where hour < ${new Date(before).toISOString()}::timestamptz returning 1) select count(*)::int as deleted from deleted`,
    )) as unknown as { rows: { deleted: number }[] };
    return Number(result.rows[0]?.deleted ?? 0);
  }
}

function toRow(point: HealthTrendPoint): typeof healthTrends.$inferInsert {
  return {
    provider: point.provider,
    hour: new Date(point.hourStart),
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
