/**
 * @memgate/postgres on the PostgreSQL server and on PGlite: add throughput through the provider
 * (batched adds), and search latency p50/p95/p99 at 10,000 and 100,000 memories; where pgvector is
 * on (PGlite), hybrid search latency at 100,000 too. The corpus is bulk-loaded beside the provider
 * (multi-row INSERTs in one transaction, indexes rebuilt after) and analysed before searching.
 */
import { createHash, randomUUID } from 'node:crypto';
import { generateMemoryId, scopeFilter, type MemoryProviderV1NewRecord } from '@memgate/core';
import { createPostgresMemoryProvider, memories, type PostgresMemoryProvider } from '@memgate/postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';
import { seededRandom, sentence, vocabulary } from './synthetic-memories.js';

const users = 100;
const addBatches = 40;
const addBatchSize = 100;
const searchSamples = 400;
const sizes = [10_000, 100_000];

const serverUrl = process.env.MEMGATE_BENCH_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function measureAdds(provider: PostgresMemoryProvider, label: string, words: string[], random: () => number): Promise<BenchFigure> {
  const started = performance.now();
  for (let batch = 0; batch < addBatches; batch += 1) {
    await provider.add(Array.from({ length: addBatchSize }, (): MemoryProviderV1NewRecord => ({ userId: `add-user-${batch % 10}`, memory: sentence(words, random), metadata: { batch } })));
  }
  const seconds = (performance.now() - started) / 1000;
  return { name: `${label}: add throughput`, value: round((addBatches * addBatchSize) / seconds, 0), unit: 'memories/s', details: `${addBatches} add() calls of ${addBatchSize} memories each, one transaction per call, with history` };
}

/**
 * Tops the table up to `target` rows: secondary indexes are dropped, rows go in as multi-row INSERTs
 * inside one transaction, then the indexes are rebuilt (faster than maintaining them row by row)
 * and the table analysed.
 */
async function bulkLoad(provider: PostgresMemoryProvider, target: number, words: string[], random: () => number): Promise<number> {
  const { db } = await provider.getClient();
  const [current] = await db.select({ n: sql<number>`count(*)::int` }).from(memories);
  const started = performance.now();
  const base = Date.now() - target * 1000;
  const indexes = (await db.execute(sql`select indexname, indexdef from pg_indexes where tablename = 'memories' and indexname not like '%pkey'`)) as unknown as { rows: { indexname: string; indexdef: string }[] };
  await db.transaction(async (tx) => {
    for (const index of indexes.rows) await tx.execute(sql.raw(`drop index ${index.indexname}`));
    for (let loaded = current!.n; loaded < target; loaded += 1000) {
      const rows = Array.from({ length: Math.min(1000, target - loaded) }, (_, offset) => {
        const memory = sentence(words, random);
        const createdAt = new Date(base + (loaded + offset) * 1000);
        return { id: generateMemoryId(), userId: `user-${(loaded + offset) % users}`, memory, metadata: { n: loaded + offset }, hash: createHash('md5').update(memory).digest('hex'), createdAt, updatedAt: createdAt };
      });
      await tx.insert(memories).values(rows);
    }
    for (const index of indexes.rows) await tx.execute(sql.raw(index.indexdef));
  });
  await db.execute(sql`analyze memories`);
  return performance.now() - started;
}

async function measureSearch(provider: PostgresMemoryProvider, label: string, size: number, words: string[], random: () => number): Promise<BenchFigure[]> {
  const query = () => ({ query: `${words[Math.floor(words.length * random() ** 2)]} ${words[Math.floor(words.length * random())]} ${words[Math.floor(words.length * random())]}`, filter: scopeFilter({ userId: `user-${Math.floor(random() * users)}` }), topK: 10 });
  for (let warm = 0; warm < 30; warm += 1) await provider.search(query());
  const samples: number[] = [];
  let hits = 0;
  for (let sample = 0; sample < searchSamples; sample += 1) {
    const started = performance.now();
    hits += (await provider.search(query())).length;
    samples.push(performance.now() - started);
  }
  const details = `${searchSamples} sequential full-text searches (3 words, topK 10, one of ${users} users, ~${size / users} memories each); mean ${round(hits / searchSamples, 1)} results`;
  const at = size.toLocaleString('en-US');
  return [50, 95, 99].map((p) => ({ name: `${label}: search p${p} @ ${at} memories`, value: round(percentile(samples, p), 2), unit: 'ms', details }));
}

/**
 * Where pgvector is on (PGlite): gives every memory a random 64-dimension embedding in one
 * INSERT … SELECT, then times hybrid searches (full text fused with exact cosine ranking) that pass
 * a query embedding, as a caller with its own embedder would.
 */
async function measureHybridSearch(provider: PostgresMemoryProvider, label: string, size: number, words: string[], random: () => number): Promise<BenchFigure[]> {
  const { db, vector } = await provider.getClient();
  if (!vector) return [];
  const dimensions = 64;
  const started = performance.now();
  await db.execute(sql`insert into memory_embeddings (memory_id, dimensions, embedding)
    select m.id, ${dimensions}, (select array_agg(random())::real[] from generate_series(1, ${dimensions}) where m.id is not null)::vector from memories m
    on conflict do nothing`);
  await db.execute(sql`analyze memory_embeddings`);
  console.log(`  ${label}: embedded ${size} memories in ${round((performance.now() - started) / 1000, 1)} s`);
  const embedding = () => Array.from({ length: dimensions }, () => random());
  const query = () => ({ query: `${words[Math.floor(words.length * random() ** 2)]} ${words[Math.floor(words.length * random())]}`, filter: scopeFilter({ userId: `user-${Math.floor(random() * users)}` }), topK: 10, embedding: embedding() });
  for (let warm = 0; warm < 20; warm += 1) await provider.search(query());
  const samples: number[] = [];
  for (let sample = 0; sample < searchSamples / 2; sample += 1) {
    const begun = performance.now();
    await provider.search(query());
    samples.push(performance.now() - begun);
  }
  const details = `${searchSamples / 2} sequential hybrid searches (full text + exact cosine over ~${size / users} ${dimensions}-d vectors of one user, RRF), caller-given query embedding`;
  const at = size.toLocaleString('en-US');
  return [50, 95, 99].map((p) => ({ name: `${label}: hybrid search p${p} @ ${at} memories`, value: round(percentile(samples, p), 2), unit: 'ms', details }));
}

async function benchTarget(label: string, connectionString: string): Promise<BenchFigure[]> {
  const random = seededRandom(20_261_125);
  const words = vocabulary(5000, random);
  const provider = createPostgresMemoryProvider({ name: label, connectionString });
  const figures: BenchFigure[] = [];
  try {
    await provider.probe();
    figures.push(await measureAdds(provider, label, words, random));
    for (const size of sizes) {
      const loadMs = await bulkLoad(provider, size, words, random);
      console.log(`  ${label}: loaded to ${size} memories in ${round(loadMs / 1000, 1)} s`);
      figures.push(...(await measureSearch(provider, label, size, words, random)));
    }
    figures.push(...(await measureHybridSearch(provider, label, sizes.at(-1)!, words, random)));
  } finally {
    await provider.close();
  }
  return figures;
}

/** Runs the PostgreSQL benchmarks on a throwaway database of the local server, then on in-memory PGlite. */
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
