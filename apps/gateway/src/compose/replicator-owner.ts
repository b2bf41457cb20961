import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The replicator's lease owner id for this data directory, kept across restarts in
 * `<dataDir>/replicator-owner`. A gateway SIGKILLed in the middle of a replay left its claims leased
 * (30 s); restarted on the same data directory it is the same owner, so it takes them back at once
 * instead of waiting for the leases to run out. Replicas have data directories of their own, hence owners of their own.
 */
export async function replicatorOwnerFor(dataDir: string): Promise<string> {
  const file = join(dataDir, 'replicator-owner');
  const kept = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => '',
  );
  if (/^[0-9a-f-]{36}$/.test(kept)) return kept;
  const owner = randomUUID();
  await writeFile(file, `${owner}\n`, { mode: 0o600 });
  return owner;
}
