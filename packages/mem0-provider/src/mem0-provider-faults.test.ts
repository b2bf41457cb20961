import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortedError, AuthError, NotFoundError, ProviderTimeoutError, ProviderUnavailableError, RateLimitedError, scopeFilter, type MemoryProviderV1 } from '@memgate/core';
import { createMem0WireServer, type Mem0WireServer } from '@memgate/testkit/mem0-server';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMem0MemoryProvider } from './create-mem0-memory-provider.js';
import type { Mem0ProviderSettings } from './mem0-provider-settings.js';

/** Awaits a rejection and returns the error with how long it took. */
async function failure(promise: Promise<unknown>): Promise<{ error: any; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}

describe('mem0 provider under every fault of the wire server (platform)', () => {
  let server: Mem0WireServer;
  let provider: MemoryProviderV1;
  const make = (settings: Partial<Mem0ProviderSettings> = {}) =>
    createMem0MemoryProvider({ mode: 'platform', baseUrl: server.url, apiKey: server.apiKey, pollIntervalMs: 5, timeoutMs: 400, ...settings });
  const scope = { userId: 'fault-user' };
  const add = () => provider.add([{ ...scope, memory: 'a memory under fault' }]);

  beforeAll(async () => {
    server = await createMem0WireServer();
  });
  beforeEach(() => {
    server.reset();
    provider = make();
  });
  afterEach(() => provider.close());
  afterAll(() => server.close());

  it.each([500, 502, 503] as const)('a %i is a retryable ProviderUnavailableError', async (status) => {
    server.faults.failWith = status;
    const { error } = await failure(provider.probe());
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain(String(status));
  });

  it('a 429 is a RateLimitedError carrying Retry-After in milliseconds', async () => {
    server.faults.rateLimitSeconds = 7;
    const { error } = await failure(provider.list(scopeFilter(scope), { page: 1, pageSize: 10 }));
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
  });

  it('a server that hangs is a retryable ProviderTimeoutError at the per-call timeout', async () => {
    server.faults.hang = true;
    const { error, ms } = await failure(provider.get('01900000-0000-7000-8000-000000000000'));
    expect(ProviderTimeoutError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(380);
    expect(ms).toBeLessThan(1500);
  });

  it("a hung call ends promptly with AbortedError when the caller's signal aborts", async () => {
    server.faults.hang = true;
    const { error, ms } = await failure(provider.probe({ signal: AbortSignal.timeout(100) }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(ms).toBeLessThan(380);
  });

  it("the caller's deadline wins when it is sooner than the per-call timeout", async () => {
    server.faults.latencyMs = 300;
    const { error, ms } = await failure(provider.probe({ deadline: Date.now() + 80 }));
    expect(ProviderTimeoutError.isInstance(error)).toBe(true);
    expect(ms).toBeLessThan(300);
  });

  it('added latency within the timeout only slows the call down', async () => {
    server.faults.latencyMs = 60;
    const probe = await provider.probe();
    expect(probe.latencyMs).toBeGreaterThanOrEqual(55);
  });

  it('a connection closed mid-body is a retryable ProviderUnavailableError and reports no memory', async () => {
    server.faults.closeMidBody = true;
    server.faults.only = /\/v3\/memories\/add\/$/;
    const { error } = await failure(add());
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
  });

  it('an add whose answer is lost is taken back, so a failed add leaves nothing stored', async () => {
    server.faults.malformedJson = true;
    server.faults.only = /\/v3\/memories\/add\/$/;
    server.faults.times = 1;
    const { error } = await failure(provider.add([{ ...scope, memory: 'first' }, { ...scope, memory: 'second' }]));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(server.store.memories.size).toBe(0);
    const stored = await provider.add([{ ...scope, memory: 'after the fault' }]);
    expect(stored).toHaveLength(1);
  });

  it('a partly failed batch add takes back the records it stored (all or none)', async () => {
    server.faults.failWith = 503;
    server.faults.only = /\/v3\/memories\/add\/$/;
    server.faults.skip = 1;
    const { error } = await failure(provider.add([{ ...scope, memory: 'one' }, { ...scope, memory: 'two' }]));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(server.store.memories.size).toBe(0);
    expect(server.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });

  it('a retry of a timed-out batch add waits for its undo: the retried memory is stored, not taken back after the retry found it', async () => {
    // The second record's add hangs until the caller's deadline; the undo then removes the first while
    // the replicator retries that first record at once.
    provider = make({ timeoutMs: 5000 });
    Object.assign(server.faults, { hang: true, only: /\/v3\/memories\/add\/$/, skip: 1, times: 1 });
    const [first, second] = [{ ...scope, id: 'canonical-retried-1', memory: 'one' }, { ...scope, id: 'canonical-retried-2', memory: 'two' }];
    const { error } = await failure(provider.add([first, second], { deadline: Date.now() + 300 }));
    expect(ProviderTimeoutError.isInstance(error)).toBe(true);
    // A slow undo: its lookups and removals take 100 ms each, the retry's would win the race without the lock.
    Object.assign(server.faults, { hang: false, latencyMs: 100, only: /^(POST \/v3\/memories\/|DELETE )/, skip: 0, times: undefined });
    const retried = await provider.add([first]);
    expect(retried.map((record) => record.id)).toEqual(['canonical-retried-1']);
    server.faults.reset();
    await new Promise((resolve) => setTimeout(resolve, 500)); // any undo still running has ended
    expect(await provider.get('canonical-retried-1')).toMatchObject({ id: 'canonical-retried-1', memory: 'one' });
    expect(await provider.get('canonical-retried-2')).toBeNull();
  });

  it('malformed JSON is a retryable ProviderUnavailableError, never a crash or a half-made record', async () => {
    server.faults.malformedJson = true;
    for (const call of [() => add(), () => provider.list(scopeFilter(scope), { page: 1, pageSize: 5 }), () => provider.probe()]) {
      const { error } = await failure(call());
      expect(ProviderUnavailableError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/not JSON/);
    }
  });

  it('an async add is reported only after its event SUCCEEDED, and then it is stored', async () => {
    server.faults.asyncAdds = true;
    server.faults.eventDelayMs = 120;
    const started = Date.now();
    const [record] = await add();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect([...server.store.memories.values()].map((memory) => memory.metadata.memgate_id)).toEqual([record!.id]);
    expect(server.requests.some((request) => request.path.startsWith('/v1/event/'))).toBe(true);
  });

  it.each(['FAILED', 'EMPTY'] as const)('an add whose event ends %s is a retryable error and stores nothing', async (outcome) => {
    server.faults.asyncAdds = true;
    server.faults.eventOutcome = outcome;
    const { error } = await failure(add());
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    expect(server.store.memories.size).toBe(0);
  });

  it('an event that stays PENDING past the deadline is a ProviderTimeoutError, not a success', async () => {
    server.faults.asyncAdds = true;
    server.faults.eventDelayMs = 5_000;
    const { error, ms } = await failure(add());
    expect(ProviderTimeoutError.isInstance(error)).toBe(true);
    expect(ms).toBeLessThan(1500);
  });

  it('deleteAll waits for the queued delete to finish', async () => {
    await provider.add([{ ...scope, memory: 'one' }, { ...scope, memory: 'two' }]);
    server.faults.eventDelayMs = 80;
    expect(await provider.deleteAll(scope)).toEqual({ deleted: 2 });
    expect(server.store.memories.size).toBe(0);
  });

  it('a wrong key is a non-retryable AuthError; a missing memory is null for get and NotFoundError for update', async () => {
    const wrong = make({ apiKey: 'not-the-key' });
    const { error } = await failure(wrong.probe());
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(false);
    await wrong.close();
    expect(await provider.get('01900000-0000-7000-8000-000000000001')).toBeNull();
    expect(NotFoundError.isInstance((await failure(provider.update('01900000-0000-7000-8000-000000000001', { memory: 'x' }))).error)).toBe(true);
  });

  it('a response over maxResponseBytes is refused', async () => {
    const small = make({ maxResponseBytes: 64 });
    await provider.add([{ ...scope, memory: 'x'.repeat(200) }]);
    const { error } = await failure(small.list(scopeFilter(scope), { page: 1, pageSize: 5 }));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/over 64 bytes/);
    await small.close();
  });

  it('a refused connection is a retryable ProviderUnavailableError', async () => {
    const closed = await createMem0WireServer();
    await closed.close();
    const dead = make({ baseUrl: closed.url });
    const { error } = await failure(dead.probe());
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.isRetryable).toBe(true);
    await dead.close();
  });

  it('sends Token auth, maps ids through metadata and replays an existing canonical id idempotently', async () => {
    const [first] = await provider.add([{ ...scope, id: 'canonical-1', memory: 'replayed memory', metadata: { a: 1 } }]);
    const fresh = make();
    const [again] = await fresh.add([{ ...scope, id: 'canonical-1', memory: 'replayed memory', metadata: { a: 1 } }]);
    expect(again).toEqual(first);
    expect(server.store.memories.size).toBe(1);
    const stored = [...server.store.memories.values()][0]!;
    expect(stored.metadata).toMatchObject({ a: 1, memgate_id: 'canonical-1', memgate_created_at: first!.createdAt });
    expect(server.requests.every((request) => request.headers.authorization === `Token ${server.apiKey}`)).toBe(true);
    expect((await fresh.history('canonical-1')).map((event) => event.event)).toEqual(['ADD']);
    await fresh.close();
  });
});

describe('mem0 provider construction and transport', () => {
  it('does no I/O and reads no secret at construction; a missing key is an AuthError at the first call', async () => {
    delete process.env.MEM0_TEST_UNSET_KEY;
    const provider = createMem0MemoryProvider({ mode: 'platform', baseUrl: 'http://127.0.0.1:9', apiKey: '${MEM0_TEST_UNSET_KEY}' });
    const { error } = await failure(provider.probe());
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.message).toContain('MEM0_TEST_UNSET_KEY');
    await provider.close();
  });

  it('uses an injected undici dispatcher and leaves it open on close', async () => {
    const server = await createMem0WireServer({ mode: 'oss' });
    let dispatched = 0;
    class CountingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched += 1;
        return super.dispatch(options, handler);
      }
    }
    const dispatcher = new CountingAgent();
    const provider = createMem0MemoryProvider({ mode: 'oss', baseUrl: server.url, bearerToken: server.apiKey, dispatcher });
    await provider.probe();
    await provider.close();
    expect(dispatched).toBe(1);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(dispatcher.closed).toBe(false);
    await dispatcher.close();
    await server.close();
  });

  it('a body that is JSON but not a mem0 answer is a ProviderUnavailableError naming the field', async () => {
    const liar = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ results: [{ id: 'x', memory: 42 }] }));
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    const provider = createMem0MemoryProvider({ mode: 'oss', baseUrl: `http://127.0.0.1:${(liar.address() as AddressInfo).port}`, apiKey: 'k' });
    const { error } = await failure(provider.list(scopeFilter({ userId: 'u' }), { page: 1, pageSize: 1 }));
    expect(ProviderUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toContain('results[0].memory');
    await provider.close();
    liar.closeAllConnections();
    await new Promise((resolve) => liar.close(resolve));
  });
});
