import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { scopeFilter } from '@memgate/core';
import { memoryProviderTestSuite } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresMemoryProvider } from './create-postgres-memory-provider.js';
import { journalEntries } from './migration-journal.test-support.js';

// One PGlite per file: opening one costs seconds and hundreds of MB.
let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create({ extensions: { vector } });
}, 60_000);
afterAll(async () => pglite?.close());

// The conformance suite comes first (STYLE.md rule 9), each test on a new provider over the shared PGlite.
memoryProviderTestSuite(it, () => createPostgresMemoryProvider({ name: 'postgres-pglite', pglite }), { timeoutMs: 30_000 });

/**
 * A deterministic embedder speaking OpenAI's /v1/embeddings wire format: a hashed bag of "concepts",
 * where synonyms share a concept, so it knows that an automobile is a car and full-text search does not.
 */
const synonyms: Record<string, string> = { automobile: 'car', vehicle: 'car', car: 'car', cars: 'car', own: 'have', owns: 'have', drive: 'have' };
const dimensions = 32;
function embed(text: string): number[] {
  const vectorValue = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    const concept = synonyms[word] ?? word;
    vectorValue[createHash('md5').update(concept).digest().readUInt32BE(0) % dimensions]! += 1;
  }
  return vectorValue;
}

describe('postgres provider on PGlite', () => {
  let server: Server;
  let url: string;
  const requests: { model: string; input: string[] }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const parsed = JSON.parse(body) as { model: string; input: string[] };
        requests.push(parsed);
        const ok = request.url === '/v1/embeddings' && request.headers.authorization === 'Bearer test-key';
        response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        response.end(JSON.stringify(ok ? { object: 'list', model: parsed.model, data: parsed.input.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })) } : { error: 'no' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/embeddings`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('applies both migration sets through the migrator: pgvector is on', async () => {
    const provider = createPostgresMemoryProvider({ pglite });
    const { driver, vector: hasVector } = await provider.getClient();
    const base = await pglite.query<{ n: number }>('select count(*)::int as n from drizzle.__memgate_postgres_migrations');
    const vectorSet = await pglite.query<{ n: number }>('select count(*)::int as n from drizzle.__memgate_postgres_vector_migrations');
    expect({ driver, hasVector, base: base.rows[0]?.n, vectorSet: vectorSet.rows[0]?.n }).toEqual({ driver: 'pglite', hasVector: true, base: journalEntries('migrations'), vectorSet: journalEntries('migrations-vector') });
    expect(provider.capabilities.vectorSearch).toBe(true);
    await provider.close();
  });

  it('hybrid ranking puts the semantically matching memory first where full text alone finds nothing', async () => {
    const userId = `hybrid-${Date.now()}`;
    const provider = createPostgresMemoryProvider({ pglite, embedder: { url, model: 'hash-bow', apiKey: 'test-key', dimensions } });
    const [car] = await provider.add(['I drive a red car to work', 'I like green apples', 'The weather is cold in winter'].map((memory) => ({ userId, memory })));
    const query = { query: 'Which automobile do I own?', filter: scopeFilter({ userId }) };

    const hybrid = await provider.search(query);
    expect(hybrid[0]?.id).toBe(car!.id);
    expect(requests.at(-1)).toEqual({ model: 'hash-bow', input: ['Which automobile do I own?'], encoding_format: 'float' });

    const textOnly = createPostgresMemoryProvider({ pglite });
    expect((await textOnly.search(query)).map((result) => result.id)).not.toContain(car!.id);
    await Promise.all([provider.close(), textOnly.close()]);
  });

  it('a memory that matches by words and by meaning outranks one that matches by meaning only', async () => {
    const userId = `fusion-${Date.now()}`;
    const provider = createPostgresMemoryProvider({ pglite, embedder: { url, model: 'hash-bow', apiKey: 'test-key', dimensions } });
    // By meaning alone 'vehicle' is the closer of the two; fusion with the full-text list must still put the other first.
    const [meaningOnly, both] = await provider.add([{ userId, memory: 'vehicle' }, { userId, memory: 'my automobile is blue and shiny' }]);
    const results = await provider.search({ query: 'blue automobile', filter: scopeFilter({ userId }) });
    expect(results.map((result) => result.id)).toEqual([both!.id, meaningOnly!.id]);
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    await provider.close();
  });

  it('caller-given embeddings are used without an embedder', async () => {
    const userId = `given-${Date.now()}`;
    const provider = createPostgresMemoryProvider({ pglite });
    const [target] = await provider.add([
      { userId, memory: 'alpha', embedding: [1, 0, 0] },
      { userId, memory: 'beta', embedding: [0, 1, 0] },
    ]);
    const results = await provider.search({ query: 'something unrelated', filter: scopeFilter({ userId }), embedding: [0.9, 0.1, 0] });
    expect(results[0]?.id).toBe(target!.id);
    await provider.close();
  });

  it('an embedder that refuses the key fails the add with an AuthError and stores nothing', async () => {
    const userId = `auth-${Date.now()}`;
    const provider = createPostgresMemoryProvider({ pglite, embedder: { url, model: 'hash-bow', apiKey: 'wrong', dimensions } });
    await expect(provider.add([{ userId, memory: 'nothing' }])).rejects.toMatchObject({ name: 'Memory_AuthError', isRetryable: false });
    expect((await provider.list(scopeFilter({ userId }), { page: 1, pageSize: 10 })).total).toBe(0);
    await provider.close();
  });
});
