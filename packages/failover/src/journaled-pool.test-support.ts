import { matchAllFilter, ProviderUnavailableError, type MemoryProviderV1 } from '@memgate/core';
import { createFailoverPool, type FailoverPoolOptions } from './create-failover-pool.js';
import type { FailoverPool } from './failover-pool.js';
import { faultyMembersOf, type FaultSwitch } from './faulty-provider.test-support.js';
import { createInMemoryWriteJournal } from './in-memory-write-journal.js';
import type { WriteJournal } from './write-journal.js';

/** A member that refuses every call, as a stopped server would. */
export const down = (): Error => new ProviderUnavailableError({ message: 'connection refused' });

/** A journaled pool over in-memory providers behind fault switches, with short breaker cooldowns. Test support only. */
export function journaledPoolOf(
  names: string[],
  options: Partial<FailoverPoolOptions> = {},
): { pool: FailoverPool; journal: WriteJournal; faults: Record<string, FaultSwitch>; members: Record<string, MemoryProviderV1> } {
  const { providers, faults, members } = faultyMembersOf(names);
  const journal = options.journal ?? createInMemoryWriteJournal();
  const pool = createFailoverPool({ name: 'pool', providers, journal, breaker: { consecutiveFailures: 1, cooldownMs: 20, soloCooldownMs: 20 }, retry: { attemptTimeoutMs: 1000 }, onError: () => {}, ...options });
  return { pool, journal, faults, members };
}

/** Every memory text one provider holds, read from it alone (duplicates kept). */
export async function textsOn(provider: MemoryProviderV1): Promise<string[]> {
  const listed = await provider.list(matchAllFilter, { page: 1, pageSize: 1000 });
  return listed.items.map((record) => record.memory);
}
