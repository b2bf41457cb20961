import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * This data directory's lease owner id in the write journal, kept across restarts in
 * `<dataDir>/lease-owner`: the replicator claims under it, the write path leases its own entries under
 * `writePathLeaseOwner(id)`. A gateway SIGKILLed in the middle of a replay left its claims leased (30 s);
 * restarted on the same data directory it is the same owner, so it takes them back at once instead of
 * waiting for the leases to run out. Replicas have data directories of their own, hence owners of their own.
 */
export async function leaseOwnerFor(dataDir: string): Promise<string> {
  const file = join(dataDir, 'lease-owner');
  const kept = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  if (/^[0-9a-f-]{36}$/.test(kept)) return kept;
  const owner = randomUUID();
  await writeFile(file, `${owner}\n`, { mode: 0o600 });
  return owner;
}
