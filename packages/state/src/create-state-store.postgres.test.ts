import { readFileSync } from 'node:fs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ProviderRegistry, type ProviderChangeEvent } from '@memgate/registry';
import { createTestDatabase, inMemoryProviderPlugin, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateStore, type StateStore } from './create-state-store.js';
import { auditStoreTests, eventStoreTests, keyStoreTests } from './test-support/identity-store-tests.js';
import { historyStoreTests, routingDecision } from './test-support/history-store-tests.js';
import { providerStoreTests, waitFor } from './test-support/provider-store-tests.js';
import { quotaCounterStoreTests } from './test-support/quota-counter-store-tests.js';

let database: TestDatabase;
let first: StateStore;
let second: StateStore;
beforeAll(async () => {
  database = await createTestDatabase({ prefix: 'memgate_state' });
  // Two stores opened at once also prove the migration lock: both must come up.
  [first, second] = await Promise.all([createStateStore({ url: database.url }), createStateStore({ url: database.url })]);
}, 30_000);
afterAll(async () => {
  await Promise.allSettled([first?.close(), second?.close()]);
  await database?.drop();
});

const entry = (name: string) => ({ name, provider_type: 'memory', connection_string: `memory://${name}` });

describe('createStateStore on a PostgreSQL server', () => {
  providerStoreTests(() => first);
  keyStoreTests(() => first);
  auditStoreTests(() => first);
  eventStoreTests(() => first);
  quotaCounterStoreTests(() => first, () => second);

  historyStoreTests(() => first, {
    closedDatabase: async () => {
      const closed = await createStateStore({ url: database.url });
      await closed.close();
      return closed.db;
    },
  });

  it('shares decisions between replicas: a store lists what another wrote, after its flush', async () => {
    const provider = `shared-${Math.random().toString(36).slice(2)}`;
    const flushed = routingDecision(Date.now() - 1000, [[provider, 'success']]);
    first.decisions.append(flushed);
    await first.decisions.flush();
    expect(await second.decisions.list({ provider })).toEqual([flushed]);
    // Without an explicit flush, the background one (within ~200 ms) carries it.
    const later = routingDecision(Date.now(), [[provider, 'success']]);
    first.decisions.append(later);
    await waitFor(async () => (await second.decisions.list({ provider })).length === 2, 2_000);
    expect(await second.decisions.list({ provider })).toEqual([later, flushed]);
  });

  it('shares health trends between replicas', async () => {
    const point = { provider: `shared-${Math.random().toString(36).slice(2)}`, hourStart: 30 * 3_600_000, volume: 3, successes: 2, failures: 1, latencyMs: { p50: 4, p95: 5, p99: 6 }, uptime: 0.75, score: 0.5 };
    await first.healthTrends.upsert([point]);
    expect(await second.healthTrends.query(point.provider, { from: point.hourStart, to: point.hourStart + 1 })).toEqual([point]);
  });

  it('migrates once however many stores open the database', async () => {
    const result = (await first.db.execute('select count(*)::text as count from drizzle.__memgate_state_migrations')) as unknown as { rows: { count: string }[] };
    const committed = (JSON.parse(readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }).entries.length;
    expect(result.rows[0]?.count).toBe(String(committed));
  });

  it('carries a change made through one store to a registry on another store within a second', async () => {
    const writer = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], store: first.providers, env: {} });
    const reader = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], store: second.providers, env: {} });
    await reader.start();
    const seen: (ProviderChangeEvent & { at: number })[] = [];
    reader.onChange((event) => seen.push({ ...event, at: Date.now() }));

    const steps: [string, () => Promise<unknown>, ProviderChangeEvent['type'], boolean][] = [
      ['register', () => writer.register(entry('shared')), 'provider-registered', true],
      ['deactivate', () => writer.deactivate('shared'), 'provider-deactivated', false],
      ['delete', () => writer.delete('shared'), 'provider-deleted', false],
    ];
    for (const [, step, type, active] of steps) {
      const started = Date.now();
      await step();
      await waitFor(() => seen.some((event) => event.type === type), 1_000);
      expect(seen.find((event) => event.type === type)!.at - started).toBeLessThan(1_000);
      expect(reader.provider('shared') !== undefined).toBe(active);
    }
    expect(seen.map((event) => event.origin)).toEqual(['remote', 'remote', 'remote']);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('catches up after its listening connection is cut, including the changes made meanwhile', async () => {
    const reader = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], store: second.providers, env: {} });
    await reader.start();
    const writer = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], store: first.providers, env: {} });
    const cut = (await first.db.execute(
      "select pg_terminate_backend(pid) as cut from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()",
    )) as unknown as { rows: { cut: boolean }[] };
    expect(cut.rows.length).toBe(2);
    await writer.register(entry('after-cut'));
    await waitFor(() => reader.provider('after-cut') !== undefined, 2_000);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('carries changes to a registry in another operating-system process within a second', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./test-support/registry-follower.ts', import.meta.url)), database.url], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    try {
      const lines = collectLines(child);
      await waitFor(() => lines.some((line) => line.type === 'ready'), 20_000);
      const writer = new ProviderRegistry({ plugins: [inMemoryProviderPlugin], store: first.providers, env: {} });
      const started = Date.now();
      await writer.register(entry('crossing'));
      await waitFor(() => lines.some((line) => line.type === 'provider-registered'), 1_000);
      await writer.deactivate('crossing');
      // A follower re-reads the record, so changes that land together may collapse into the last one.
      await waitFor(() => lines.some((line) => line.type === 'provider-deactivated'), 1_000);
      await writer.delete('crossing');
      await waitFor(() => lines.some((line) => line.type === 'provider-deleted'), 1_000);
      const events = lines.filter((line) => line.type !== 'ready');
      expect(events.map(({ type, name, origin, active }) => ({ type, name, origin, active }))).toEqual([
        { type: 'provider-registered', name: 'crossing', origin: 'remote', active: true },
        { type: 'provider-deactivated', name: 'crossing', origin: 'remote', active: false },
        { type: 'provider-deleted', name: 'crossing', origin: 'remote', active: false },
      ]);
      expect((events[0]!.at as number) - started).toBeLessThan(1_000);
      await writer.close();
    } finally {
      child.stdin.end();
      await new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.on('exit', () => resolve(clearTimeout(timer)));
      });
    }
  }, 30_000);
});

function collectLines(child: ChildProcessWithoutNullStreams): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Not one of ours (a warning from a library).
    }
  });
  return lines;
}
