import { ProviderUnavailableError } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';
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
