/**
 * What `memgate serve` adds to a memory call, as users run it (`pnpm bench serve`): the real CLI in a
 * child process (see serve-cases.ts) against the same backend called directly, side by side in one run,
 * under an open-model load at a fixed rate (open-model-load.ts: latency from the scheduled send time, no
 * coordinated omission; undici keep-alive pool).
 *
 * "Direct" is the provider's own time. Two views of it are printed:
 * - per request, the time the gateway's providers took for that very request (`server-timing:
 *   provider;dur=`, the router's attempt durations, the same clock `memgate_provider_attempt_duration_seconds`
 *   uses): added = client latency − that, and its p50/p99 are percentiles of the per-request differences;
 * - the same provider opened in this process and called at the same rate (for the embedded default an
 *   in-process PGlite of its own, seeded alike, since the gateway's directory cannot be shared).
 * The issue's own method (client mean − the mean provider time the gateway's `/metrics` reports) is
 * printed too.
 *
 * Environment: MEMGATE_BENCH_SERVE_RATES (default `1000`, comma-separated), MEMGATE_BENCH_SERVE_SECONDS
 * (per measured run, default 10), MEMGATE_BENCH_SERVE_CASES (default `pg1,pg2,embedded`).
 */
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';
import { runOpenLoad, type OpenLoadAnswer, type OpenLoadResult } from './open-model-load.js';
import { cpuSpent, serveCaseLabels, startServeCase, type ServeCase, type ServeCaseKind } from './serve-cases.js';

const rates = (process.env.MEMGATE_BENCH_SERVE_RATES ?? '1000').split(',').map(Number).filter((rate) => rate > 0);
const seconds = Number(process.env.MEMGATE_BENCH_SERVE_SECONDS ?? 10);
const kinds = (process.env.MEMGATE_BENCH_SERVE_CASES ?? 'pg1,pg2,embedded').split(',').filter((kind): kind is ServeCaseKind => kind in serveCaseLabels);

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

interface Row {
  readonly label: string;
  readonly operation: 'add' | 'search';
  readonly rate: number;
  readonly gateway: OpenLoadResult;
  readonly direct: OpenLoadResult;
  /** Client mean − the mean provider time of /metrics (ms). */
  readonly addedMeanByMetrics: number;
  /** CPU per answered request (ms) during the gateway run: the gateway's process, the PostgreSQL backends of the case's databases, this process (the load generator). */
  readonly gatewayCpu: CpuPerRequest;
  /** The same during the direct run (this process is then the load generator plus the provider). */
  readonly directCpu: CpuPerRequest;
}

interface CpuPerRequest {
  readonly gatewayMs: number;
  readonly postgresMs: number;
  readonly benchMs: number;
}

const perRequest = (spent: ReturnType<typeof cpuSpent>, answered: number): CpuPerRequest => ({
  gatewayMs: spent.gatewayMs / Math.max(1, answered),
  postgresMs: spent.postgresMs / Math.max(1, answered),
  benchMs: spent.benchMs / Math.max(1, answered),
});

function added(result: OpenLoadResult): number[] {
  const differences: number[] = [];
  result.latencyMs.forEach((latency, index) => {
    const provider = result.providerMs[index]!;
    if (Number.isFinite(provider)) differences.push(latency - provider);
  });
  return differences;
}

async function measureOperation(serveCase: ServeCase, operation: 'add' | 'search', rate: number): Promise<Row> {
  const gatewaySend = operation === 'add' ? serveCase.gatewayAdd : serveCase.gatewaySearch;
  const directSend = operation === 'add' ? serveCase.directAdd : serveCase.directSearch;
  let offset = 1_000_000 * (operation === 'add' ? 1 : 2) * rate;
  const next = (send: (index: number) => Promise<OpenLoadAnswer>) => ({ index }: { index: number }) => send(offset + index);
  // Warm-up at the same rate, not kept: JIT, connection pools, plan caches.
  await runOpenLoad({ rate, durationMs: 2_000, send: next(gatewaySend) });
  offset += 100_000;
  await runOpenLoad({ rate, durationMs: 1_000, send: next(directSend) });
  offset += 100_000;
  const before = await serveCase.providerTime(operation);
  const gatewayCpuBefore = await serveCase.cpu();
  const gateway = await runOpenLoad({ rate, durationMs: seconds * 1000, send: next(gatewaySend) });
  const gatewayCpu = perRequest(cpuSpent(gatewayCpuBefore, await serveCase.cpu()), gateway.completed);
  const after = await serveCase.providerTime(operation);
  offset += 100_000;
  const directCpuBefore = await serveCase.cpu();
  const direct = await runOpenLoad({ rate, durationMs: seconds * 1000, send: next(directSend) });
  const directCpu = perRequest(cpuSpent(directCpuBefore, await serveCase.cpu()), direct.completed);
  const count = after.count - before.count;
  const providerMean = count > 0 ? ((after.sumSeconds - before.sumSeconds) * 1000) / count : Number.NaN;
  return { label: serveCaseLabels[serveCase.kind], operation, rate, gateway, direct, addedMeanByMetrics: mean(gateway.latencyMs) - providerMean, gatewayCpu, directCpu };
}

function figuresOf(row: Row): BenchFigure[] {
  const { label, operation, rate, gateway, direct } = row;
  const name = `serve (${label}): ${operation} @ ${rate}/s`;
  const difference = added(gateway);
  const health = (result: OpenLoadResult): string => `${result.completed}/${result.scheduled} answered, ${result.failed} failed, ${result.shed} shed, ${result.unanswered} unanswered, achieved ${round(result.achievedRate, 0)}/s; send lag p50 ${round(percentile(result.sendLagMs, 50), 3)} ms p99 ${round(percentile(result.sendLagMs, 99), 3)} ms${result.errors.length > 0 ? `; errors: ${result.errors.join(' | ')}` : ''}`;
  const common = `open model, ${seconds} s at ${rate}/s after warm-up; gateway: ${health(gateway)}`;
  return [
    { name: `${name}: added p50`, value: round(percentile(difference, 50), 3), unit: 'ms', details: `per request: client latency − the providers' own time (server-timing); ${common}` },
    { name: `${name}: added p99`, value: round(percentile(difference, 99), 3), unit: 'ms', details: `per request, as p50; ${common}` },
    { name: `${name}: added mean (/metrics)`, value: round(row.addedMeanByMetrics, 3), unit: 'ms', details: `client mean − mean memgate_provider_attempt_duration_seconds of the run (the issue's method); ${common}` },
    { name: `${name}: client p50`, value: round(percentile(gateway.latencyMs, 50), 3), unit: 'ms', details: common },
    { name: `${name}: client p99`, value: round(percentile(gateway.latencyMs, 99), 3), unit: 'ms', details: common },
    { name: `${name}: provider time in the gateway p50`, value: round(percentile(gateway.providerMs.filter(Number.isFinite), 50), 3), unit: 'ms', details: common },
    { name: `${name}: direct p50`, value: round(percentile(direct.latencyMs, 50), 3), unit: 'ms', details: `the provider in this process at the same rate; ${health(direct)}` },
    { name: `${name}: direct p99`, value: round(percentile(direct.latencyMs, 99), 3), unit: 'ms', details: `as direct p50; ${health(direct)}` },
    { name: `${name}: achieved rate`, value: round(gateway.achievedRate, 0), unit: 'req/s', details: common },
    { name: `${name}: gateway CPU per request`, value: round(row.gatewayCpu.gatewayMs, 3), unit: 'ms', details: `user + system time of the memgate serve process (/proc, 10 ms ticks) over the run ÷ answered requests; ${common}` },
    { name: `${name}: PostgreSQL CPU per request, through the gateway`, value: round(row.gatewayCpu.postgresMs, 3), unit: 'ms', details: `the backends serving the case's databases (state store and members); ${common}` },
    { name: `${name}: PostgreSQL CPU per request, direct`, value: round(row.directCpu.postgresMs, 3), unit: 'ms', details: `the backends serving the case's databases during the direct run; ${health(direct)}` },
    { name: `${name}: load generator CPU per request`, value: round(row.gatewayCpu.benchMs, 3), unit: 'ms', details: `this process during the gateway run (undici client and the open-model scheduler); ${common}` },
    { name: `${name}: direct provider CPU per request`, value: round(row.directCpu.benchMs, 3), unit: 'ms', details: `this process during the direct run (scheduler plus the provider's client side; for the embedded default PGlite itself); ${health(direct)}` },
  ];
}

function printSummary(rows: readonly Row[]): void {
  console.log('| case | op | rate offered → achieved | client p50 / p99 | direct p50 / p99 | added p50 / p99 (per request) | added mean (/metrics) | failed / shed | CPU/request: gateway, its PostgreSQL, load generator | CPU/request direct: provider process, PostgreSQL |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const difference = added(row.gateway);
    const ms = (value: number): string => value.toFixed(2);
    console.log(
      `| ${row.label} | ${row.operation} | ${row.rate} → ${row.gateway.achievedRate.toFixed(0)} | ${ms(percentile(row.gateway.latencyMs, 50))} / ${ms(percentile(row.gateway.latencyMs, 99))} | ${ms(percentile(row.direct.latencyMs, 50))} / ${ms(percentile(row.direct.latencyMs, 99))} | ${ms(percentile(difference, 50))} / ${ms(percentile(difference, 99))} | ${ms(row.addedMeanByMetrics)} | ${row.gateway.failed} / ${row.gateway.shed} | ${ms(row.gatewayCpu.gatewayMs)}, ${ms(row.gatewayCpu.postgresMs)}, ${ms(row.gatewayCpu.benchMs)} ms | ${ms(row.directCpu.benchMs)}, ${ms(row.directCpu.postgresMs)} ms |`,
    );
  }
}

/** Every case at every rate, search first (before the adds grow the store), then add. */
export async function run(): Promise<BenchFigure[]> {
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const kind of kinds) {
    try {
      const serveCase = await startServeCase(kind);
      try {
        for (const rate of rates) {
          for (const operation of ['search', 'add'] as const) {
            rows.push(await measureOperation(serveCase, operation, rate));
            printSummary(rows.slice(-1));
          }
        }
      } finally {
        await serveCase.close();
      }
    } catch (error) {
      // One case that cannot run must not hide the others' figures.
      failures.push(`${kind}: ${(error as Error).message.slice(0, 500)}`);
      console.error(`# serve case ${kind} failed:`, error);
    }
  }
  printSummary(rows);
  if (failures.length > 0 && rows.length === 0) throw new Error(failures.join('\n'));
  return rows.flatMap(figuresOf);
}
