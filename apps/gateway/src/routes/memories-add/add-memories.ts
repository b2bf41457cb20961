import type { JsonValue } from '@memgate/core';
import { generateMemoryId } from '@memgate/core';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/app-env.js';
import { callOptions } from '../../mem0/call-options.js';
import { type Mem0AddInput, toNewRecords } from '../../mem0/to-new-records.js';

/** What an add produced, before it is shaped for a route version. */
export interface AddOutcome {
  readonly eventId: string;
  readonly message: string;
  readonly results: { id: string; memory: string; event: 'ADD'; data: { memory: string } }[];
}

/**
 * Stores a mem0 add request through the provider and records its event. `infer: true` (mem0's
 * default) is stored verbatim too, and the message says so: the contract has no inference, and
 * verbatim records keep every member of a pool identical.
 */
export async function addMemories(c: Context<AppEnv>, body: Mem0AddInput & { infer?: boolean }): Promise<AddOutcome> {
  const startedAt = new Date().toISOString();
  const records = await c.var.memory.add(toNewRecords(body), callOptions(c));
  const results = records.map((record) => ({ id: record.id, memory: record.memory, event: 'ADD' as const, data: { memory: record.memory } }));
  const eventId = generateMemoryId();
  const message =
    body.infer === false
      ? `Stored ${results.length} memories.`
      : `Stored ${results.length} memories verbatim: memgate does not run inference (infer: true was treated as infer: false).`;
  await c.var.events.save({
    id: eventId,
    type: 'ADD',
    status: 'SUCCEEDED',
    payload: body as JsonValue,
    results: results as JsonValue[],
    startedAt,
    completedAt: new Date().toISOString(),
    owner: c.var.principal?.id ?? 'anonymous',
  });
  return { eventId, message, results };
}
