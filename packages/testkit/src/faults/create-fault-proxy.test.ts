import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultProxy, type FaultProxy } from './create-fault-proxy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real TCP server on a free port; `onSocket` decides what it does with each connection. */
async function startServer(onSocket: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, server };
}
const echo = (socket: Socket): void => void socket.pipe(socket);

async function proxyTo(port: number): Promise<FaultProxy> {
  const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port } });
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A client socket with everything it received, how it ended, and when. */
async function connect(port: number) {
  const socket = createConnection({ host: '127.0.0.1', port });
  const seen = { data: Buffer.alloc(0), ended: false, error: undefined as NodeJS.ErrnoException | undefined, closedAt: 0 };
  socket.on('data', (chunk: Buffer) => (seen.data = Buffer.concat([seen.data, chunk])));
  socket.on('end', () => (seen.ended = true));
  socket.on('error', (error) => (seen.error = error));
  socket.on('close', () => (seen.closedAt = Date.now()));
  cleanups.push(async () => void socket.destroy());
  await new Promise((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  return { socket, seen };
}
/** Waits until `condition` holds, polling every 5 ms, for at most `ms`. */
async function waitFor(condition: () => boolean, ms = 2_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  return condition();
}
const roundTrip = async (client: Awaited<ReturnType<typeof connect>>, text: string): Promise<number> => {
  const started = Date.now();
  const expected = client.seen.data.length + text.length;
  client.socket.write(text);
  expect(await waitFor(() => client.seen.data.length >= expected, 3_000)).toBe(true);
  return Date.now() - started;
};

describe('createFaultProxy', () => {
  it('forwards bytes both ways unchanged when no fault is set', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    const client = await connect(proxy.port);
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, index) => index % 251));
    client.socket.write(payload);
    expect(await waitFor(() => client.seen.data.length === payload.length)).toBe(true);
    expect(client.seen.data.equals(payload)).toBe(true);
    expect(proxy.openConnections()).toBe(1);
  });

  it('setLatency delays each round trip by at least the latency minus the jitter, and 0 removes it', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    const client = await connect(proxy.port);
    proxy.setLatency(120, 40);
    const times = [];
    for (let index = 0; index < 5; index += 1) times.push(await roundTrip(client, `ping ${index}`));
    for (const time of times) expect(time).toBeGreaterThanOrEqual(78);
    proxy.setLatency(0);
    expect(await roundTrip(client, 'fast again')).toBeLessThan(78);
  });

  it('setBandwidth caps throughput: 40 KB at 80 KB/s takes about half a second', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    const client = await connect(proxy.port);
    proxy.setBandwidth(80_000);
    const elapsed = await roundTrip(client, 'x'.repeat(40_000));
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(client.seen.data.toString()).toBe('x'.repeat(40_000));
  });

  it('blackhole swallows data but keeps the connection open; heal lets data flow again', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    const client = await connect(proxy.port);
    proxy.blackhole();
    client.socket.write('lost');
    expect(await waitFor(() => client.seen.data.length > 0, 300)).toBe(false);
    expect(client.socket.destroyed).toBe(false);
    const newcomer = await connect(proxy.port);
    newcomer.socket.write('also lost');
    expect(await waitFor(() => newcomer.seen.data.length > 0, 200)).toBe(false);
    await proxy.heal();
    await roundTrip(client, 'back');
    expect(client.seen.data.toString()).toBe('back');
  });

  it('reset sends RST on open connections and on new ones until heal', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    const client = await connect(proxy.port);
    proxy.reset();
    expect(await waitFor(() => client.seen.error !== undefined)).toBe(true);
    expect(client.seen.error?.code).toBe('ECONNRESET');
    const refused = await connect(proxy.port);
    expect(await waitFor(() => refused.seen.error !== undefined || refused.seen.closedAt > 0)).toBe(true);
    expect(refused.seen.data.length).toBe(0);
    await proxy.heal();
    const healed = await connect(proxy.port);
    await roundTrip(healed, 'ok');
    expect(healed.seen.data.toString()).toBe('ok');
  });

  it('slowClose delays the close of the server side by the given time', async () => {
    const { port } = await startServer((socket) => socket.end('bye'));
    const proxy = await proxyTo(port);
    proxy.slowClose(300);
    const started = Date.now();
    const client = await connect(proxy.port);
    expect(await waitFor(() => client.seen.ended)).toBe(true);
    expect(client.seen.data.toString()).toBe('bye');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('closeAfterBytes closes the connection after exactly that many bytes', async () => {
    const { port } = await startServer((socket) => socket.write(Buffer.alloc(1_000, 7)));
    const proxy = await proxyTo(port);
    proxy.closeAfterBytes(300);
    const client = await connect(proxy.port);
    expect(await waitFor(() => client.seen.closedAt > 0)).toBe(true);
    expect(client.seen.data.length).toBe(300);
  });

  it('down refuses new connections and closes open ones; heal listens again on the same port', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    const client = await connect(proxy.port);
    await proxy.down();
    expect(await waitFor(() => client.seen.closedAt > 0)).toBe(true);
    const refused = await connect(proxy.port);
    expect(refused.seen.error?.code).toBe('ECONNREFUSED');
    await proxy.heal();
    const again = await connect(proxy.port);
    await roundTrip(again, 'up');
    expect(again.seen.data.toString()).toBe('up');
  });

  it('passes a dead target on to the client as a closed connection', async () => {
    const { port, server } = await startServer(echo);
    await new Promise((resolve) => server.close(resolve));
    const proxy = await proxyTo(port);
    const client = await connect(proxy.port);
    expect(await waitFor(() => client.seen.closedAt > 0)).toBe(true);
    expect(proxy.openConnections()).toBe(0);
  });

  it('rewriteUrl points a URL of the target at the proxy', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    expect(proxy.rewriteUrl('postgres://postgres@127.0.0.1:5432/test?sslmode=disable')).toBe(`postgres://postgres@127.0.0.1:${proxy.port}/test?sslmode=disable`);
  });

  it('close frees the port and is idempotent', async () => {
    const proxy = await proxyTo((await startServer(echo)).port);
    await proxy.close();
    await proxy.close();
    const client = await connect(proxy.port);
    expect(client.seen.error?.code).toBe('ECONNREFUSED');
  });
});
