import type { MemoryProviderV1, MemoryProviderV1NewRecord, MemoryRecord, MemoryScope } from '@memgate/core';

/** Five memories of one user that differ in every field a filter can look at. */
export function filterFixtureRecords(scope: MemoryScope): MemoryProviderV1NewRecord[] {
  return [
    { ...scope, agentId: 'agent-1', runId: 'run-1', memory: 'I love red foxes in the forest', createdAt: '2024-01-01T00:00:00.000Z', metadata: { colour: 'red', size: 3, tags: ['x', 'y'], nested: { a: 1 }, flag: true, label: 'Alpha' } },
    { ...scope, agentId: 'agent-2', runId: 'run-1', memory: 'Blue whales are enormous', createdAt: '2024-02-01T00:00:00.000Z', metadata: { colour: 'blue', size: 10, tags: ['y'], label: 'beta' } },
    { ...scope, agentId: 'agent-1', appId: 'app-1', memory: 'Green tea every morning', createdAt: '2024-03-01T00:00:00.000Z', metadata: { colour: 'green', size: 1, flag: false } },
    { ...scope, agentId: 'agent-3', runId: 'run-2', appId: 'app-2', memory: 'The RED planet is Mars', createdAt: '2024-04-01T00:00:00.000Z', metadata: { size: 7, tags: [], nested: { a: 2 }, label: 'ALPHABET' } },
    { ...scope, runId: 'run-2', memory: 'Coffee at noon', createdAt: '2024-05-01T00:00:00.000Z', metadata: {} },
  ];
}

/** Adds the fixture and updates the second memory at a known time, so `updated_at` differs too. */
export async function addFilterFixture(provider: MemoryProviderV1, scope: MemoryScope, whenVisible: (id: string) => Promise<void>): Promise<MemoryRecord[]> {
  const records = await provider.add(filterFixtureRecords(scope));
  await whenVisible(records[1]!.id);
  records[1] = await provider.update(records[1]!.id, { memory: 'Blue whales are enormous', updatedAt: '2025-06-01T00:00:00.000Z' });
  return records;
}

/** One filter case: a name for the test and the mem0 filter JSON (which may use the stored ids). */
export interface FilterCase {
  readonly name: string;
  readonly filter: (records: readonly MemoryRecord[]) => unknown;
}

const fixed = (filter: unknown): FilterCase => ({ name: JSON.stringify(filter), filter: () => filter });

/** Every operator of the grammar on every kind of field, and the boolean combinators. */
export const filterCases: readonly FilterCase[] = [
  fixed({ agent_id: 'agent-1' }),
  fixed({ agent_id: { eq: 'agent-2' } }),
  fixed({ agent_id: { ne: 'agent-1' } }),
  fixed({ agent_id: { in: ['agent-2', 'agent-3'] } }),
  fixed({ run_id: '*' }),
  fixed({ app_id: { ne: 'app-1' } }),
  fixed({ session_id: 'run-2' }),
  fixed({ created_at: { gt: '2024-02-01T00:00:00Z' } }),
  fixed({ created_at: { gte: '2024-02-01T00:00:00Z' } }),
  fixed({ created_at: { lt: '2024-03-01T00:00:00Z' } }),
  fixed({ created_at: { lte: '2024-03-01T00:00:00Z' } }),
  fixed({ created_at: { gte: '2024-02-01', lt: '2024-04-01' } }),
  fixed({ created_at: '2024-04-01T00:00:00.000Z' }),
  fixed({ created_at: { ne: '2024-04-01T00:00:00.000Z' } }),
  fixed({ created_at: { in: ['2024-01-01T00:00:00Z', '2024-05-01T00:00:00Z'] } }),
  fixed({ updated_at: { gt: '2025-01-01T00:00:00Z' } }),
  fixed({ text: { contains: 'RED' } }),
  fixed({ text: { icontains: 'red' } }),
  fixed({ text: 'Coffee at noon' }),
  fixed({ text: { ne: 'Coffee at noon' } }),
  fixed({ metadata: { colour: 'red' } }),
  fixed({ metadata: { colour: { ne: 'red' } } }),
  fixed({ metadata: { colour: { in: ['red', 'green'] } } }),
  fixed({ metadata: { size: { gt: 3 } } }),
  fixed({ metadata: { size: { gte: 3 } } }),
  fixed({ metadata: { size: { lt: 7 } } }),
  fixed({ metadata: { size: { lte: 7 } } }),
  fixed({ metadata: { size: { gt: 1, lt: 10 } } }),
  fixed({ metadata: { size: 10 } }),
  fixed({ metadata: { tags: { contains: 'y' } } }),
  fixed({ metadata: { label: { contains: 'lpha' } } }),
  fixed({ metadata: { label: { icontains: 'ALPHA' } } }),
  fixed({ metadata: { colour: '*' } }),
  fixed({ metadata: { nested: { a: 1 } } }),
  fixed({ metadata: { flag: true } }),
  fixed({ metadata: { flag: false } }),
  fixed({ metadata: { colour: 'blue', size: 10 } }),
  { name: 'memory_ids of the first and third memory and an unknown id', filter: (records) => ({ memory_ids: [records[0]!.id, records[2]!.id, '00000000-0000-7000-8000-000000000000'] }) },
  fixed({ AND: [{ agent_id: 'agent-1' }, { metadata: { size: { gt: 2 } } }] }),
  fixed({ OR: [{ agent_id: 'agent-2' }, { run_id: 'run-2' }] }),
  fixed({ NOT: { agent_id: 'agent-1' } }),
  fixed({ NOT: { metadata: { colour: 'red' } } }),
  fixed({ OR: [{ AND: [{ agent_id: 'agent-1' }, { NOT: { run_id: '*' } }] }, { metadata: { label: { icontains: 'beta' } } }] }),
];
