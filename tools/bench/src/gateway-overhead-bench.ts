/**
 * The gateway's added latency: the same add and search, once as a direct provider call and once
 * as a mem0 HTTP request through memgate (`/v3/memories/add/`, `/v3/memories/search/`) to the same
 * provider on 127.0.0.1, with a keep-alive client. Direct and HTTP samples are interleaved so that
 * drift (GC, other processes) hits both alike. Added latency = HTTP percentile − direct percentile.
 * Requests carry the bootstrap (admin) key, so security costs its least here (see security-bench.ts
 * for a minted, tenant-bound key).
 */
import { Agent } from 'node:http';
import type { MemoryProviderV1 } from '@memgate/core';
import { createApp, createGatewaySecurity, startServer } from '@memgate/gateway';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { hashApiKey } from '@memgate/security';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { postJson, timeMs as time } from './post-json.js';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';

const adminKey = 'bench-admin-key-0123456789abcdefghijkl';

const post = (agent: Agent, url: string, body: string): Promise<void> => postJson(agent, url, adminKey, body);

async function measure(label: string, provider: MemoryProviderV1, samples: number): Promise<BenchFigure[]> {
  await provider.probe();
  const server = await startServer(createApp({ memory: provider, security: createGatewaySecurity({ adminKeyHash: hashApiKey(adminKey) }) }), { port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const userId = `bench-${Date.now()}`;
  const topics = ['foxes', 'hiking', 'cello', 'coffee', 'berlin', 'marathon', 'gardening', 'chess'];
  const text = (index: number): string => `Note ${index} about ${topics[index % topics.length]} and ${topics[(index * 3) % topics.length]}`;
  const timings = { directAdd: [] as number[], httpAdd: [] as number[], directSearch: [] as number[], httpSearch: [] as number[] };
  try {
    // Searches read a fixed set of 100 memories; adds go to another user so the searched set never grows.
    await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId, memory: text(index) })));
    const writer = `${userId}-writes`;
    const warmup = Math.min(100, samples);
    for (let index = 0; index < samples + warmup; index += 1) {
      const keep = index >= warmup;
      const directAdd = await time(() => provider.add([{ userId: writer, memory: text(index) }]));
      const httpAdd = await time(() => post(agent, `${server.url}/v3/memories/add/`, JSON.stringify({ messages: [{ role: 'user', content: text(index) }], user_id: writer, infer: false })));
      const query = topics[index % topics.length]!;
      const directSearch = await time(() => provider.search({ query, filter: { type: 'condition', field: { kind: 'scope', name: 'userId' }, operator: 'eq', value: userId }, topK: 10 }));
      const httpSearch = await time(() => post(agent, `${server.url}/v3/memories/search/`, JSON.stringify({ query, filters: { user_id: userId }, top_k: 10 })));
      if (keep) {
        timings.directAdd.push(directAdd);
        timings.httpAdd.push(httpAdd);
        timings.directSearch.push(directSearch);
        timings.httpSearch.push(httpSearch);
      }
    }
  } finally {
    agent.destroy();
    await server.close();
    await provider.close();
  }
  const details = `${samples} interleaved samples per operation after warm-up; one keep-alive connection; search over 100 memories of one user, adds to another; requests carry the bootstrap admin key (createGatewaySecurity, in-memory key and audit stores)`;
  const figures: BenchFigure[] = [];
  for (const [operation, direct, http] of [['add', timings.directAdd, timings.httpAdd], ['search', timings.directSearch, timings.httpSearch]] as const) {
    for (const p of [50, 99]) {
      figures.push({ name: `gateway overhead (${label}): ${operation} p${p} added latency`, value: round(percentile(http, p) - percentile(direct, p), 3), unit: 'ms', details: `HTTP p${p} ${round(percentile(http, p), 3)} ms − direct p${p} ${round(percentile(direct, p), 3)} ms; ${details}` });
    }
  }
  return figures;
}

/** Gateway overhead over the in-memory reference provider and over PGlite. */
export async function run(): Promise<BenchFigure[]> {
  return [
    ...(await measure('in-memory provider', createInMemoryMemoryProvider({ name: 'bench-memory' }), 1000)),
    ...(await measure('PGlite', createPostgresMemoryProvider({ name: 'bench-pglite', connectionString: 'pglite://memory' }), 500)),
  ];
}
