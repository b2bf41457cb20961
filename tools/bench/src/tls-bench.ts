/**
 * TLS at the edge: the handshake rate of `startServer` with TLS and with mTLS (a client certificate
 * asked for and verified), and the gateway's added latency for a search with TLS off, on, and mTLS,
 * side by side in one run. Every sample set is interleaved (direct, HTTP, HTTPS, mTLS in turn) so
 * drift hits all alike; added latency = transport percentile − direct provider call percentile.
 * Certificates come from the openssl CLI (a CA, a server and a client certificate, P-256).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect } from 'node:tls';
import { createApp, createGatewaySecurity, startServer, type RunningServer } from '@memgate/gateway';
import { createMtlsServerOptions, hashApiKey } from '@memgate/security';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import type { BenchFigure } from './bench-figure.js';
import { percentile, round } from './latency-percentiles.js';
import { makeBenchPki, type Pem } from './make-bench-pki.js';
import { postJson, timeMs as time } from './post-json.js';

const adminKey = 'bench-tls-admin-key-0123456789abcdefghij';
const handshakes = 300;
const samples = 1000;


/** Handshakes per second: `count` fresh TLS connections, one after another, each closed once secure. */
async function handshakeRate(url: string, ca: string, client: Pem | undefined, count: number): Promise<number> {
  const { port } = new URL(url);
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port), ca, ...(client ?? {}) }, () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
  }
  return count / ((performance.now() - started) / 1000);
}

type Send = (body: string) => Promise<void>;

function sender(url: string, agent: HttpAgent | HttpsAgent): Send {
  return (body) => postJson(agent, `${url}/v3/memories/search/`, adminKey, body);
}

/** TLS handshake rates, and search added latency with TLS off, on and mTLS, in one run. */
export async function run(): Promise<BenchFigure[]> {
  const { ca, server, client } = await makeBenchPki();
  const provider = createInMemoryMemoryProvider({ name: 'bench-tls' });
  const userId = `bench-tls-${Date.now()}`;
  await provider.add(Array.from({ length: 100 }, (_, index) => ({ userId, memory: `Note ${index} about foxes and hiking` })));
  const app = (mtls: boolean) => createApp({ memory: provider, security: createGatewaySecurity({ adminKeyHash: hashApiKey(adminKey) }), ...(mtls ? { clientCertificates: { required: true, identities: [] } } : {}) });
  const servers: RunningServer[] = [];
  const agents: (HttpAgent | HttpsAgent)[] = [];
  try {
    const plain = await startServer(app(false), { port: 0 });
    const tls = await startServer(app(false), { port: 0, tls: { cert: server.cert, key: server.key } });
    const mtls = await startServer(app(true), { port: 0, tls: createMtlsServerOptions({ cert: server.cert, key: server.key, clientCa: ca, rejectAtHandshake: false }) });
    servers.push(plain, tls, mtls);
    const tlsRate = await handshakeRate(tls.url, ca, undefined, handshakes);
    const mtlsRate = await handshakeRate(mtls.url, ca, client, handshakes);
    const plainAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const tlsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 1, ca });
    const mtlsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 1, ca, cert: client.cert, key: client.key });
    agents.push(plainAgent, tlsAgent, mtlsAgent);
    const transports = { 'TLS off': sender(plain.url, plainAgent), 'TLS on': sender(tls.url, tlsAgent), mTLS: sender(mtls.url, mtlsAgent) };
    const timings: Record<string, number[]> = { direct: [], 'TLS off': [], 'TLS on': [], mTLS: [] };
    const body = JSON.stringify({ query: 'foxes', filters: { user_id: userId }, top_k: 10 });
    const warmup = 100;
    for (let index = 0; index < samples + warmup; index += 1) {
      const direct = await time(() => provider.search({ query: 'foxes', filter: { type: 'condition', field: { kind: 'scope', name: 'userId' }, operator: 'eq', value: userId }, topK: 10 }));
      const measured = [['direct', direct]] as [string, number][];
      for (const [label, send] of Object.entries(transports)) measured.push([label, await time(() => send(body))]);
      if (index >= warmup) for (const [label, value] of measured) timings[label]!.push(value);
    }
    const details = `${samples} interleaved samples after ${warmup} warm-up (direct, TLS off, TLS on, mTLS in turn); one keep-alive connection each; search over 100 memories, in-memory provider, bootstrap admin key; P-256 certificates, Node ${process.version}`;
    const figures: BenchFigure[] = [
      { name: 'TLS: handshakes per second (server certificate only)', value: round(tlsRate, 1), unit: 'handshakes/s', details: `${handshakes} sequential fresh connections to startServer with TLS, closed once secure; client and server on one machine` },
      { name: 'TLS: handshakes per second (mTLS, client certificate verified)', value: round(mtlsRate, 1), unit: 'handshakes/s', details: `${handshakes} sequential fresh connections presenting a CA-signed client certificate` },
    ];
    for (const p of [50, 99]) {
      for (const label of Object.keys(transports)) {
        figures.push({ name: `TLS: search p${p} added latency, ${label}`, value: round(percentile(timings[label]!, p) - percentile(timings.direct!, p), 3), unit: 'ms', details: `${label} p${p} ${round(percentile(timings[label]!, p), 3)} ms − direct p${p} ${round(percentile(timings.direct!, p), 3)} ms; ${details}` });
      }
    }
    return figures;
  } finally {
    for (const agent of agents) agent.destroy();
    for (const running of servers) await running.close(1000);
    await provider.close();
  }
}
