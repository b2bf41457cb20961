import { connect, type Socket } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../compose/gateway-metrics.js';
import type { LiveFailoverPool } from '../compose/live-failover-pool.js';
import { createEventLoopDelayMonitor } from './event-loop-delay-monitor.js';
import { isDataPlanePath } from './is-data-plane-path.js';
import { shedWhenOverloaded } from './shed-when-overloaded.js';
import { startServer, type RunningServer } from './start-server.js';

/** Keeps this thread busy for `milliseconds`: the event loop runs nothing meanwhile. */
function blockEventLoop(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {
    // spin
  }
}

/** Opens a TCP connection and resolves once it is established. */
const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });

/** Writes a raw request and resolves once it is handed to the kernel, so the server can read it even while this thread is blocked. */
const send = (socket: Socket, path: string): Promise<void> => new Promise((resolve, reject) => socket.write(`GET ${path} HTTP/1.1\r\nHost: memgate\r\nConnection: close\r\n\r\n`, (error) => (error ? reject(error) : resolve())));

/** Reads a `Connection: close` answer to the end: its status, headers (lower case) and body. */
function answer(socket: Socket): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  let raw = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (raw += chunk));
  return new Promise((resolve) =>
    socket.once('end', () => {
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    }),
  );
}

/** Just enough of a pool for `createGatewayMetrics`: nothing to report. */
const quietPool = {
  onDecision: () => ({ dispose: () => undefined }),
  onBreakerStateChange: () => ({ dispose: () => undefined }),
  health: { onAlert: () => ({ dispose: () => undefined }), snapshot: () => ({ providers: {} }), objectiveStatus: () => [], firingAlerts: () => [] },
  statistics: () => ({ members: [] }),
  replicator: () => undefined,
} as unknown as LiveFailoverPool;

const tinyApp = (): Hono => {
  const app = new Hono();
  app.get('/v1/ping', (c) => c.json({ message: 'ok' }));
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  return app;
};

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('shedding over a real socket with a real event-loop delay monitor', () => {
  it('answers a data-plane request that arrives while the event loop stays behind with 503 overloaded, still serves /healthz, counts it, and serves again once the loop catches up', async () => {
    const metrics = createGatewayMetrics(quietPool);
    server = await startServer(tinyApp(), { port: 0, shedEventLoopDelayMs: 100, onShed: (reason) => metrics.recordShed(reason) });
    const [dataPlane, health] = await Promise.all([open(server.port), open(server.port)]);
    const answers = Promise.all([answer(dataPlane), answer(health)]);
    // Sustained overload: the loop is busy 150 ms at every turn, so the lag timer is late time after time.
    const saturate = setInterval(() => blockEventLoop(150), 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await Promise.all([send(dataPlane, '/v1/ping'), send(health, '/healthz')]);
    const [shed, healthy] = await answers.finally(() => clearInterval(saturate));
    expect(shed.status).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(JSON.parse(shed.body)).toMatchObject({ reason: 'overloaded', error: expect.stringMatching(/^memgate is overloaded \(event loop \d+ ms behind\)/) });
    expect(healthy.status).toBe(200);
    expect(await metrics.registry.metrics()).toMatch(/^memgate_http_requests_shed_total\{reason="overloaded"\} 1$/m);

    // The lag timer fires once the loop is free again and measures no delay: the next request is served.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await open(server.port);
    const served = answer(again);
    await send(again, '/v1/ping');
    expect((await served).status).toBe(200);
    metrics.dispose();
  });

  it('sheds nothing when the threshold is 0, however far behind the loop is', async () => {
    server = await startServer(tinyApp(), { port: 0, shedEventLoopDelayMs: 0 });
    const dataPlane = await open(server.port);
    const served = answer(dataPlane);
    await send(dataPlane, '/v1/ping');
    blockEventLoop(300);
    expect((await served).status).toBe(200);
  });
});

describe('createEventLoopDelayMonitor', () => {
  it('sees a second stall in a row while it lasts, ignores a single one, and forgets them once the timer has run on time again', async () => {
    const monitor = createEventLoopDelayMonitor({ sampleIntervalMs: 10 });
    try {
      blockEventLoop(150);
      expect(monitor.delayMs()).toBeLessThan(50); // one stall: not overload
      await new Promise((resolve) => setTimeout(resolve, 0)); // the lag timer runs, 150 ms late
      expect(monitor.delayMs()).toBeLessThan(50);
      blockEventLoop(150);
      expect(monitor.delayMs()).toBeGreaterThanOrEqual(130); // two in a row
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(monitor.delayMs()).toBeLessThan(50);
    } finally {
      monitor.dispose();
    }
  });
});

describe('shedWhenOverloaded', () => {
  const appWith = (delayMs: number, thresholdMs = 200): Hono => {
    const app = new Hono();
    app.use('*', shedWhenOverloaded({ monitor: { delayMs: () => delayMs }, thresholdMs }));
    app.all('*', (c) => c.json({ served: c.req.path }));
    return app;
  };

  it('sheds data-plane paths only while the delay is above the threshold, keeping the connection', async () => {
    const shed = await appWith(250).request('/v3/memories/add/', { method: 'POST' });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.headers.get('connection')).toBeNull();
    expect(await shed.json()).toEqual({ error: 'memgate is overloaded (event loop 250 ms behind); retry shortly', reason: 'overloaded' });
    expect((await appWith(200).request('/v3/memories/add/', { method: 'POST' })).status).toBe(200);
    expect((await appWith(10_000, 0).request('/v1/memories/')).status).toBe(200);
  });

  it('still serves health, readiness, metrics and the management API', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/providers/health', '/keys', '/openapi.json']) expect((await appWith(10_000).request(path)).status, path).toBe(200);
  });
});

describe('isDataPlanePath', () => {
  it("is the mem0 API's prefixes and nothing that merely starts like them", () => {
    expect(['/v1/memories/', '/v2/memories', '/v3/memories/add/', '/v1/ping', '/api/v1/memories/', '/v1'].every(isDataPlanePath)).toBe(true);
    expect(['/healthz', '/readyz', '/metrics', '/providers', '/keys/abc', '/v10/x', '/v1x', '/docs'].some(isDataPlanePath)).toBe(false);
  });
});
