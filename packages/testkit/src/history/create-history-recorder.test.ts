import { scopeFilter, ValidationError, type MemoryProviderV1 } from '@memgate/core';
import { describe, expect, it } from 'vitest';
import { createInMemoryMemoryProvider } from '../in-memory/create-in-memory-memory-provider.js';
import { checkHistory } from './check-history.js';
import { createHistoryRecorder } from './create-history-recorder.js';

/** Three clients add memories and read them back; the final read lists everything in the scope. */
async function workload(provider: MemoryProviderV1) {
  const recorder = createHistoryRecorder();
  const scope = { userId: 'drill' };
  const readAll = async () => (await provider.list(scopeFilter(scope), { page: 1, pageSize: 1000 })).items.map((record) => record.memory);
  await Promise.all(
    ['c1', 'c2', 'c3'].map(async (client) => {
      for (let index = 0; index < 10; index += 1) {
        const element = `${client}-${index}`;
        await recorder.run(client, 'add', element, () => provider.add([{ ...scope, memory: element }]), ValidationError.isInstance).catch(() => undefined);
        if (index % 3 === 2) await recorder.read(client, readAll);
      }
    }),
  );
  return checkHistory(recorder.history(), { provider: await readAll() });
}

describe('createHistoryRecorder', () => {
  it('records invoke and completion with times from the clock, and only the first completion', () => {
    let clock = 0;
    const recorder = createHistoryRecorder(() => (clock += 1));
    const add = recorder.invoke('c1', 'add', 'a');
    add.ok();
    add.fail(new Error('late'));
    recorder.invoke('c1', 'read').ok(['a']);
    expect(recorder.history()).toEqual([
      { id: 0, process: 'c1', type: 'invoke', f: 'add', value: 'a', time: 1 },
      { id: 0, process: 'c1', type: 'ok', f: 'add', value: 'a', time: 2 },
      { id: 1, process: 'c1', type: 'invoke', f: 'read', time: 3 },
      { id: 1, process: 'c1', type: 'ok', f: 'read', value: ['a'], time: 4 },
    ]);
  });

  it('run() records fail for a definite error, info for any other, and rethrows', async () => {
    const recorder = createHistoryRecorder();
    await expect(recorder.run('c1', 'add', 'a', () => Promise.reject(new ValidationError({ message: 'bad' })), ValidationError.isInstance)).rejects.toThrow('bad');
    await expect(recorder.run('c1', 'add', 'b', () => Promise.reject(new Error('socket hang up')))).rejects.toThrow('socket hang up');
    expect(recorder.history().filter((operation) => operation.type !== 'invoke').map((operation) => [operation.value, operation.type, operation.error])).toEqual([
      ['a', 'fail', 'Memory_ValidationError: bad'],
      ['b', 'info', 'Error: socket hang up'],
    ]);
  });

  it('a workload against the reference provider checks valid: every acknowledged write present', async () => {
    const result = await workload(createInMemoryMemoryProvider());
    expect(result.valid).toBe(true);
    expect(result.counts).toMatchObject({ acknowledged: 30, present: 30 });
  });

  it('the same workload against a provider that acknowledges and then drops every seventh add finds those writes lost', async () => {
    const inner = createInMemoryMemoryProvider();
    let adds = 0;
    const lossy: MemoryProviderV1 = { ...inner, add: async (records, options) => ((adds += 1) % 7 === 0 ? records.map((record) => ({ ...record, id: 'x', metadata: {}, createdAt: '', updatedAt: '' })) : inner.add(records, options)) };
    const result = await workload(lossy);
    expect(result.valid).toBe(false);
    expect(result.counts.lost).toBe(4);
    expect(result.counts.stale).toBe(0);
  });
});
