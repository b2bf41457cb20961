/**
 * The entity listing (`GET /v1/entities/`) at 20,000 memories on the PostgreSQL server and on PGlite:
 * the provider's `aggregateEntities` (one GROUP BY, a grouping set per scope column) against the scan it replaces
 * (`aggregateEntitiesByScan`: 20 pages of 1000 through `list`). The memories go in through the
 * provider's `add`, in batches of 1000, and both answers must agree before anything is timed.
 */
import { randomUUID } from 'node:crypto';
import { aggregateEntitiesByScan, matchAllFilter, type MemoryProviderV1NewRecord } from '@memgate/core';
import { createPostgresMemoryProvider, type PostgresMemoryProvider } from '@memgate/postgres';
import pg from 'pg';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';

const memoryCount = 20_000;
const addBatchSize = 1000;
// 100 users, 5 agents, 2 apps and 2,000 runs of 10 memories: 2,107 entities in all.
const recordAt = (index: number): MemoryProviderV1NewRecord => ({
  userId: `user-${index % 100}`,
  agentId: `agent-${index % 5}`,
  appId: `app-${index % 2}`,
  runId: `run-${Math.floor(index / 10)}`,
  memory: `memory ${index}`,
});
const scanSamples = 5;
const aggregateSamples = 30;

const serverUrl = process.env.MEMGATE_BENCH_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function timings(samples: number, work: () => Promise<unknown>): Promise<number[]> {
  await work(); // warm the connection and the caches
  const taken: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const started = performance.now();
    await work();
    taken.push(performance.now() - started);
  }
  return taken;
}

async function benchTarget(label: string, connectionString: string): Promise<BenchFigure[]> {
  const provider: PostgresMemoryProvider = createPostgresMemoryProvider({ name: label, connectionString });
  try {
    const started = performance.now();
    for (let from = 0; from < memoryCount; from += addBatchSize) await provider.add(Array.from({ length: addBatchSize }, (_, offset) => recordAt(from + offset)));
    console.log(`  ${label}: added ${memoryCount} memories in ${round((performance.now() - started) / 1000, 1)} s`);
    const scan = () => aggregateEntitiesByScan(provider.list.bind(provider), matchAllFilter);
    const { aggregateEntities } = provider;
    if (!aggregateEntities) throw new Error(`${label}: the provider has no aggregateEntities`);
    const aggregate = () => aggregateEntities(matchAllFilter);
    const [scanned, aggregated] = [await scan(), await aggregate()];
    if (JSON.stringify(scanned) !== JSON.stringify(aggregated)) throw new Error(`${label}: aggregateEntities and the scan disagree`);
    const entities = `${aggregated.length.toLocaleString('en-US')} entities`;
    const at = memoryCount.toLocaleString('en-US');
    const figures: BenchFigure[] = [];
    for (const [how, samples, work, details] of [
      ['scan (before)', scanSamples, scan, `aggregateEntitiesByScan: ${memoryCount / 1000} list() pages of 1000, ${entities}; median of ${scanSamples}`],
      ['aggregateEntities (after)', aggregateSamples, aggregate, `one GROUP BY with a grouping set per scope column, ${entities}; median of ${aggregateSamples}`],
    ] as const) {
      figures.push({ name: `${label}: entity listing, ${how} @ ${at} memories`, value: round(percentile(await timings(samples, work), 50), 1), unit: 'ms', details });
    }
    return figures;
  } finally {
    await provider.close();
  }
}

/** Runs on a throwaway database of the local server, then on in-memory PGlite. */
export async function run(): Promise<BenchFigure[]> {
  const name = `memgate_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const figures: BenchFigure[] = [];
  try {
    figures.push(...(await benchTarget('postgres server', Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString())));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  figures.push(...(await benchTarget('pglite', 'pglite://memory')));
  return figures;
}
