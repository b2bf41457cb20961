/**
 * The write journal (issue 6): replay throughput into a recovered PostgreSQL member, the time a
 * 10,000-write backlog takes to converge, and the write path's extra latency for the journal
 * (p50, p99) against the same single-record add without it. Local PostgreSQL (createTestDatabase)
 * for the state store and both members; the journal is `@memgate/state`'s.
 */
import { ProviderUnavailableError, type MemoryProviderV1 } from '@memgate/core';
import { createFailoverPool, createReplicator } from '@memgate/failover';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createStateStore } from '@memgate/state';
import { createTestDatabase } from '@memgate/testkit';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';

const backlogSize = 10_000;
const latencySamples = 400;

/** A member that can be switched off, as a stopped server would be. */
function switchable(provider: MemoryProviderV1): { provider: MemoryProviderV1; down: { value: boolean } } {
  const down = { value: false };
  const guard =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      down.value ? Promise.reject(new ProviderUnavailableError({ message: 'connection refused', providerId: provider.name })) : operation(...args);
  return {
    down,
    provider: {
      ...provider,
      add: guard(provider.add.bind(provider)),
      get: guard(provider.get.bind(provider)),
      list: guard(provider.list.bind(provider)),
      update: guard(provider.update.bind(provider)),
      delete: guard(provider.delete.bind(provider)),
      probe: guard(provider.probe.bind(provider)),
    },
  };
}

export async function run(): Promise<BenchFigure[]> {
  const databases = await Promise.all([createTestDatabase({ prefix: 'bench_journal_state' }), createTestDatabase({ prefix: 'bench_journal_a' }), createTestDatabase({ prefix: 'bench_journal_b' })]);
  const [stateDb, primaryDb, recoveringDb] = databases;
  const state = await createStateStore({ url: stateDb!.url });
  const primary = createPostgresMemoryProvider({ name: 'primary', connectionString: primaryDb!.url });
  const recovering = switchable(createPostgresMemoryProvider({ name: 'recovering', connectionString: recoveringDb!.url }));
  const plain = createFailoverPool({ name: 'plain', providers: [{ provider: primary }], closeMembers: false, onError: () => {} });
  const journaled = createFailoverPool({
    name: 'journaled',
    providers: [{ provider: primary }, { provider: recovering.provider }],
    journal: state.journal,
    breaker: { cooldownMs: 100, soloCooldownMs: 100 },
    backlogLimit: { entries: backlogSize * 2 },
    closeMembers: false,
    onError: () => {},
  });
  const figures: BenchFigure[] = [];
  try {
    await primary.probe();
    await recovering.provider.probe();
    // Warm both paths (connections, prepared plans), then interleave so drift hits both alike.
    for (let index = 0; index < 50; index += 1) {
      await plain.add([{ userId: 'warm', memory: `warm plain ${index}` }]);
      await journaled.add([{ userId: 'warm', memory: `warm journaled ${index}` }]);
    }
    const replicator = createReplicator({ pool: journaled, batchSize: 1000, ratePerSecond: 50_000, idleMs: 5, onError: () => {} });
    await replicator.drain(60_000);

    const without: number[] = [];
    const withJournal: number[] = [];
    for (let index = 0; index < latencySamples; index += 1) {
      let started = performance.now();
      await plain.add([{ userId: 'latency', memory: `plain write ${index}` }]);
      without.push(performance.now() - started);
      started = performance.now();
      await journaled.add([{ userId: 'latency', memory: `journaled write ${index}` }]);
      withJournal.push(performance.now() - started);
    }
    await replicator.drain(60_000);
    const details = `${latencySamples} single-record adds each, interleaved; the same PostgreSQL member; journal in PostgreSQL (local server)`;
    for (const p of [50, 99]) {
      figures.push({ name: `journal: add p${p} without journal`, value: round(percentile(without, p)), unit: 'ms', details });
      figures.push({ name: `journal: add p${p} with journal`, value: round(percentile(withJournal, p)), unit: 'ms', details });
      figures.push({ name: `journal: extra write latency p${p}`, value: round(percentile(withJournal, p) - percentile(without, p)), unit: 'ms', details });
    }

    // The outage: the member is down while 10,000 writes are acknowledged by the other.
    recovering.down.value = true;
    for (let batch = 0; batch < backlogSize / 100; batch += 1) await journaled.add(Array.from({ length: 100 }, (_, offset) => ({ userId: `backlog-${batch % 20}`, memory: `backlog write ${batch}-${offset}` })));
    const backlog = (await state.journal.backlog('journaled')).find((figures) => figures.member === 'recovering');
    recovering.down.value = false;
    const started = performance.now();
    replicator.start();
    for (let waited = 0; waited < 6000 && journaled.replication!.tracker.behind('recovering') > 0; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const convergedMs = performance.now() - started;
    await replicator.stop();
    // No row at all: every entry was delivered and pruned.
    const left = (await state.journal.backlog('journaled')).find((figures) => figures.member === 'recovering')?.entries ?? 0;
    const replayDetails = `backlog of ${backlog?.entries ?? 0} entries (${backlog?.bytes ?? 0} bytes), batch 1000, rate limit 50,000/s; ${left} left at the end; into PostgreSQL (local server)`;
    figures.push({ name: 'journal: 10,000-write backlog converged', value: round(convergedMs / 1000, 3), unit: 's', details: `${replayDetails}; from the member's return to an empty backlog` });
    figures.push({ name: 'journal: replay throughput into a recovered PostgreSQL', value: Math.round(((backlog?.entries ?? 0) / convergedMs) * 1000), unit: 'writes/s', details: replayDetails });
  } finally {
    await Promise.allSettled([plain.close(), journaled.close()]);
    await Promise.allSettled([primary.close(), recovering.provider.close()]);
    await state.close();
    await Promise.allSettled(databases.map((database) => database.drop()));
  }
  return figures;
}
