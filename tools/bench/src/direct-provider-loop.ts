/**
 * The PostgreSQL provider called directly, sequentially, in this process: wall time and this process's
 * CPU per call for searches (100 memories of one user) and one-memory adds, twice each (the first pass
 * warms up). A throwaway database on the local server, dropped after. For quick before/after figures of
 * a provider change without the gateway: `npx tsx src/direct-provider-loop.ts [calls per pass, 2000]`.
 */
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase } from '@memgate/testkit';
const db = await createTestDatabase({ prefix: 'memgate_bench', container: false });
const p = createPostgresMemoryProvider({ name: 'd', connectionString: db.url });
const filter = { type: 'condition', field: { kind: 'scope', name: 'userId' }, operator: 'eq', value: 'u1' } as const;
await p.add(Array.from({ length: 100 }, (_, i) => ({ userId: 'u1', memory: `note ${i} about foxes and hiking` })));
const n = Number(process.argv[2] ?? 2000);
for (const op of ['search', 'add', 'search', 'add']) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (op === 'search') await p.search({ query: 'foxes', filter, topK: 10 });
    else await p.add([{ userId: 'u2', memory: `note ${i}` }]);
  }
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  console.log(op, `wall/call ${(t / n).toFixed(3)} ms, cpu/call ${((c.user + c.system) / 1000 / n).toFixed(3)} ms (user ${(c.user/1000/n).toFixed(3)} sys ${(c.system/1000/n).toFixed(3)})`);
}
await p.close(); await db.drop();
