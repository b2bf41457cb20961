import { generateKeyPairSync } from 'node:crypto';
import { ConflictError, ProviderUnavailableError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';
import { createAuditCheckpointSigner } from './create-audit-checkpoint-signer.js';
import { createAuditLog } from './create-audit-log.js';
import { createInMemoryAuditStore } from './create-in-memory-audit-store.js';
import { verifyAuditChain } from './verify-audit-chain.js';

const event = (index: number) => ({ action: 'provider.activate', actor: 'key-1', outcome: 'success' as const, resourceId: `p${index}` });

/** A real store whose appends wait until released, standing in for a slow database. */
const gatedStore = () => {
  const inner = createInMemoryAuditStore();
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const store: AuditStore = {
    ...inner,
    append: async (entries) => {
      await gate;
      await inner.append(entries);
    },
  };
  return { store, inner, open: () => release(), close: () => (gate = new Promise<void>((resolve) => (release = resolve))) };
};

describe('createAuditLog', () => {
  it('returns before the store has written, and flush waits for the write', async () => {
    const { store, inner, open } = gatedStore();
    const log = createAuditLog({ store });
    await log.record(event(1));
    expect(await inner.list()).toHaveLength(0);
    open();
    await log.flush();
    expect(await inner.list()).toHaveLength(1);
  });

  it('applies backpressure when full: record waits for room and nothing is dropped', async () => {
    const { store, inner, open } = gatedStore();
    const problems: string[] = [];
    const log = createAuditLog({ store, capacity: 3, batchSize: 2, onProblem: (problem) => problems.push(problem.type) });
    for (let index = 0; index < 3; index += 1) await log.record(event(index));
    let fourthQueued = false;
    const fourth = log.record(event(3)).then(() => (fourthQueued = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fourthQueued).toBe(false);
    expect(log.stats()).toMatchObject({ queued: 3, waiting: 1, fullCount: 1 });
    expect(problems).toContain('queue-full');
    open();
    await fourth;
    await log.flush();
    const entries = await inner.list();
    expect(entries.map((entry) => entry.resourceId)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(verifyAuditChain(entries).ok).toBe(true);
  });

  it('with whenFull reject, refuses the event with AuditBacklogFullError instead of waiting', async () => {
    const { store } = gatedStore();
    const log = createAuditLog({ store, capacity: 1, whenFull: 'reject' });
    await log.record(event(0));
    await expect(log.record(event(1))).rejects.toMatchObject({ name: 'Security_AuditBacklogFullError', isRetryable: true });
  });

  it('retries a failing store until it recovers, keeping order and the chain', async () => {
    const inner = createInMemoryAuditStore();
    let failures = 2;
    const flaky: AuditStore = {
      ...inner,
      append: async (entries) => {
        if (failures > 0) {
          failures -= 1;
          throw new ProviderUnavailableError({ message: 'db down' });
        }
        await inner.append(entries);
      },
    };
    const log = createAuditLog({ store: flaky, retryDelayMs: 1 });
    for (let index = 0; index < 5; index += 1) await log.record(event(index));
    await log.flush();
    expect(log.stats()).toMatchObject({ written: 5, failedAppends: 2, queued: 0 });
    expect(verifyAuditChain([...(await inner.list())]).ok).toBe(true);
  });

  it('two logs (two replicas) writing one store keep a single valid chain', async () => {
    const store = createInMemoryAuditStore();
    const replicaA = createAuditLog({ store, batchSize: 3 });
    const replicaB = createAuditLog({ store, batchSize: 2 });
    for (let index = 0; index < 10; index += 1) {
      await replicaA.record(event(index));
      await replicaB.record(event(100 + index));
    }
    await Promise.all([replicaA.flush(), replicaB.flush()]);
    const entries: AuditEntry[] = [...(await store.list())];
    expect(entries).toHaveLength(20);
    expect(verifyAuditChain(entries).ok).toBe(true);
  });

  it('never stores secrets: secret-looking details and memgate keys in strings are redacted', async () => {
    const store = createInMemoryAuditStore();
    const log = createAuditLog({ store });
    const key = `mg_live_${'A'.repeat(43)}abcdef`;
    await log.record({ ...event(0), details: { apiKey: key, authorization: `Token ${key}`, note: `rotated ${key}`, keyId: 'k-1', keyPrefix: 'mg_live_AAAAAA' } });
    await log.flush();
    const [entry] = await store.list();
    expect(JSON.stringify(entry)).not.toContain('A'.repeat(43));
    expect(entry!.details).toEqual({ apiKey: '[redacted]', authorization: '[redacted]', note: 'rotated mg_live_[redacted]', keyId: 'k-1', keyPrefix: 'mg_live_AAAAAA' });
  });
});

/** A real store whose appends of entries each wait for their own `step()`, standing in for a database that answers one batch at a time. */
const steppedStore = () => {
  const inner = createInMemoryAuditStore();
  const pending: (() => void)[] = [];
  let arrived: () => void = () => undefined;
  const store: AuditStore = {
    ...inner,
    append: async (entries) => {
      await new Promise<void>((resolve) => {
        pending.push(resolve);
        arrived();
      });
      await inner.append(entries);
    },
  };
  /** Lets the oldest waiting append through (waiting for one to arrive first). */
  const step = async () => {
    while (pending.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
    pending.shift()!();
    await settle();
  };
  return { store, inner, step, pendingAppends: () => pending.length };
};

/** Lets queued promise callbacks and timers of 0 ms run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

const newSigner = () => createAuditCheckpointSigner({ privateKeyPem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });

describe('AuditLog.recordDurable', () => {
  it('resolves with the stored entry only once its batch is in the store', async () => {
    const { store, inner, step } = steppedStore();
    const log = createAuditLog({ store });
    let resolved = false;
    const durable = log.recordDurable({ ...event(1), details: { path: '/v1/providers/p1' } }).then((entry) => {
      resolved = true;
      return entry;
    });
    await settle();
    expect(resolved).toBe(false);
    expect(await inner.list()).toHaveLength(0);
    await step();
    const entry = await durable;
    const [stored] = await inner.list();
    expect(entry).toEqual(stored);
    expect(entry).toMatchObject({ seq: 1, resourceId: 'p1', details: { path: '/v1/providers/p1' } });
    expect(verifyAuditChain([entry]).ok).toBe(true);
  });

  it('waits for the events queued before it, not for those queued after it', async () => {
    const { store, inner, step } = steppedStore();
    const log = createAuditLog({ store, batchSize: 2 });
    await log.record(event(0)); // in flight alone: the writer took it before the rest arrived
    let durableSeq: number | undefined;
    const durable = log.recordDurable(event(1)).then((entry) => (durableSeq = entry.seq));
    for (let index = 2; index < 8; index += 1) await log.record(event(index));
    await step(); // [p0]
    expect(durableSeq).toBeUndefined();
    await step(); // [p1, p2]
    await durable;
    expect(durableSeq).toBe(2);
    // Answered while five data-plane events are still queued behind it.
    expect((await inner.list()).map((entry) => entry.resourceId)).toEqual(['p0', 'p1', 'p2']);
    expect(log.stats().queued).toBe(5);
    await step();
    await step();
    await step();
    await log.flush();
    expect(verifyAuditChain([...(await inner.list())])).toMatchObject({ ok: true, count: 8 });
  });

  it('does not hold up record: data-plane events queue at once while a durable one waits on the store', async () => {
    const { store, step, pendingAppends } = steppedStore();
    const log = createAuditLog({ store });
    const durable = log.recordDurable(event(0));
    await settle();
    expect(pendingAppends()).toBe(1);
    const started = performance.now();
    for (let index = 1; index <= 50; index += 1) await log.record(event(index));
    expect(performance.now() - started).toBeLessThan(100);
    expect(log.stats()).toMatchObject({ queued: 51, written: 0 });
    await step();
    await expect(durable).resolves.toMatchObject({ seq: 1 });
    await step();
    await log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 51 });
  });

  it('keeps waiting through failed appends and resolves once the store recovers', async () => {
    const inner = createInMemoryAuditStore();
    let failures = 3;
    const flaky: AuditStore = {
      ...inner,
      append: async (entries) => {
        if (failures > 0) {
          failures -= 1;
          throw new ProviderUnavailableError({ message: 'db down' });
        }
        await inner.append(entries);
      },
    };
    const log = createAuditLog({ store: flaky, retryDelayMs: 1 });
    await expect(log.recordDurable(event(0))).resolves.toMatchObject({ seq: 1, resourceId: 'p0' });
    expect(log.stats()).toMatchObject({ failedAppends: 3, written: 1 });
  });

  it('forces no checkpoint (the thresholds decide); flush does', async () => {
    const store = createInMemoryAuditStore();
    const log = createAuditLog({ store, checkpoint: { signer: newSigner(), everyEntries: 3 } });
    await log.recordDurable(event(0));
    await log.recordDurable(event(1));
    expect(await store.listCheckpoints()).toHaveLength(0);
    await log.recordDurable(event(2));
    await settle();
    expect((await store.listCheckpoints()).map((checkpoint) => checkpoint.seq)).toEqual([3]);
    await log.recordDurable(event(3));
    await log.flush();
    expect((await store.listCheckpoints()).map((checkpoint) => checkpoint.seq)).toEqual([3, 4]);
  });

  it('refuses the event with AuditBacklogFullError when full and told to reject', async () => {
    const { store } = gatedStore();
    const log = createAuditLog({ store, capacity: 1, whenFull: 'reject' });
    await log.record(event(0));
    await expect(log.recordDurable(event(1))).rejects.toMatchObject({ name: 'Security_AuditBacklogFullError' });
    expect(log.stats().queued).toBe(1);
  });

  it('replaces U+0000 in every string of the event, fields and details at any depth, before hashing', async () => {
    const store = createInMemoryAuditStore();
    const log = createAuditLog({ store });
    const entry = await log.recordDurable({
      action: 'GET /v1/\u0000x',
      actor: 'anon\u0000ymous',
      outcome: 'denied',
      requestId: 'r\u0000',
      details: { route: 'GET /v1/a\u0000b', nested: { list: ['\u0000', 1, { 'k\u0000': 'v\u0000' }] } },
    });
    expect(JSON.stringify(entry)).not.toContain('\\u0000'); // how JSON writes U+0000
    expect(entry).toMatchObject({ actor: 'anon\uFFFDymous', requestId: 'r\uFFFD', details: { route: 'GET /v1/a\uFFFDb', nested: { list: ['\uFFFD', 1, { 'k\uFFFD': 'v\uFFFD' }] } } });
    expect(entry.action).toBe('GET /v1/\uFFFDx');
    expect(verifyAuditChain([...(await store.list())])).toMatchObject({ ok: true, count: 1 });
  });
});

describe('createAuditLog writer', () => {
  it('writes an event recorded while the final checkpoint of a drain is being signed, without waiting for another record', async () => {
    const inner = createInMemoryAuditStore();
    let openCheckpoints: () => void = () => undefined;
    const checkpointGate = new Promise<void>((resolve) => (openCheckpoints = resolve));
    const store: AuditStore = {
      ...inner,
      appendCheckpoint: async (checkpoint) => {
        await checkpointGate;
        await inner.appendCheckpoint(checkpoint);
      },
    };
    const log = createAuditLog({ store, checkpoint: { signer: newSigner(), everyEntries: 1000 } });
    await log.record(event(0));
    const flushed = log.flush();
    await settle(); // p0 is written; the checkpoint for the flush waits
    await log.record(event(1));
    openCheckpoints();
    await flushed;
    expect((await inner.list()).map((entry) => entry.resourceId)).toEqual(['p0', 'p1']);
    expect(log.stats().queued).toBe(0);
  });

  it('a checkpoint the store already holds (a conflict) counts as written', async () => {
    const inner = createInMemoryAuditStore();
    const problems: string[] = [];
    const store: AuditStore = {
      ...inner,
      appendCheckpoint: async (checkpoint) => {
        await inner.appendCheckpoint(checkpoint);
        throw new ConflictError({ message: 'already there' });
      },
    };
    const log = createAuditLog({ store, checkpoint: { signer: newSigner(), everyEntries: 1000 }, onProblem: (problem) => problems.push(problem.type) });
    await log.recordDurable(event(0));
    await log.flush();
    await log.flush();
    expect((await inner.listCheckpoints()).map((checkpoint) => checkpoint.seq)).toEqual([1]);
    expect(problems).toEqual([]);
  });
});
