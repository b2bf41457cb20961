import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createMem0WireServer, type Mem0WireServer } from './create-mem0-wire-server.js';

describe('mem0 wire server fault switches, over real sockets', () => {
  let server: Mem0WireServer;
  const ping = (signal?: AbortSignal) => fetch(`${server.url}/v1/ping/`, { headers: { authorization: `Token ${server.apiKey}` }, ...(signal && { signal }) });
  beforeEach(async () => {
    server ??= await createMem0WireServer();
    server.reset();
  });
  afterAll(() => server.close());

  it.each([500, 502, 503] as const)('fails with %i while the switch is on', async (status) => {
    server.faults.failWith = status;
    expect((await ping()).status).toBe(status);
    server.faults.reset();
    expect((await ping()).status).toBe(200);
  });

  it('answers 429 with Retry-After', async () => {
    server.faults.rateLimitSeconds = 7;
    const response = await ping();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('hangs without answering until the client gives up', async () => {
    server.faults.hang = true;
    const started = Date.now();
    await expect(ping(AbortSignal.timeout(150))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('closes the connection in the middle of the body', async () => {
    server.faults.closeMidBody = true;
    const response = await ping();
    await expect(response.text()).rejects.toThrow();
  });

  it('returns malformed JSON with a 200', async () => {
    server.faults.malformedJson = true;
    const response = await ping();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('adds latency', async () => {
    server.faults.latencyMs = 120;
    const started = Date.now();
    expect((await ping()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('applies request faults only to matching requests and only so many times', async () => {
    server.faults.failWith = 503;
    server.faults.only = /^GET \/v1\/ping\/$/;
    server.faults.times = 1;
    expect((await ping()).status).toBe(503);
    expect((await ping()).status).toBe(200);
  });

  it('lets the first matching requests through when told to skip them', async () => {
    server.faults.failWith = 500;
    server.faults.skip = 1;
    expect((await ping()).status).toBe(200);
    expect((await ping()).status).toBe(500);
  });

  const add = (infer = false) =>
    fetch(`${server.url}/v3/memories/add/`, {
      method: 'POST', headers: { authorization: `Token ${server.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }], user_id: 'u1', infer }),
    }).then((response) => response.json() as Promise<any>);
  const event = (id: string) => fetch(`${server.url}/v1/event/${id}/`, { headers: { authorization: `Token ${server.apiKey}` } }).then((response) => response.json() as Promise<any>);

  it('keeps async events PENDING for the delay and stores nothing until they succeed', async () => {
    server.faults.asyncAdds = true;
    server.faults.eventDelayMs = 100;
    const { event_id: id, status } = await add();
    expect(status).toBe('PENDING');
    expect((await event(id)).status).toBe('PENDING');
    expect(server.store.memories.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await event(id)).status).toBe('SUCCEEDED');
    expect(server.store.memories.size).toBe(1);
  });

  it('fails events, or succeeds them with empty results, storing nothing', async () => {
    server.faults.eventOutcome = 'FAILED';
    expect(await event((await add(true)).event_id)).toMatchObject({ status: 'FAILED', error: expect.any(String) });
    server.faults.eventOutcome = 'EMPTY';
    expect(await event((await add(true)).event_id)).toMatchObject({ status: 'SUCCEEDED', results: [] });
    expect(server.store.memories.size).toBe(0);
  });
});
