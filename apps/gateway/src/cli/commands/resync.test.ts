import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchAllFilter } from '@memgate/core';
import { createPostgresMemoryProvider } from '@memgate/postgres';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError, type CliIo } from '../cli-command.js';
import { resyncCommand } from './resync.js';

let databases: TestDatabase[] = [];
beforeAll(async () => {
  databases = await Promise.all(['memgate_resync_state', 'memgate_resync_a', 'memgate_resync_b'].map((prefix) => createTestDatabase({ prefix })));
}, 30_000);
afterAll(async () => {
  await Promise.allSettled(databases.map((database) => database.drop()));
});

function capture(env: Record<string, string>): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env, cwd: mkdtempSync(join(tmpdir(), 'memgate-resync-')) };
  return Object.assign(io, { stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) });
}

describe('memgate resync', () => {
  it('copies every memory from the caught-up provider to the named one, showing progress', async () => {
    const [state, a, b] = databases;
    const source = createPostgresMemoryProvider({ name: 'a', connectionString: a!.url });
    await source.add(Array.from({ length: 12 }, (_, index) => ({ userId: `user-${index % 3}`, memory: `remembered ${index}` })));
    await source.close();
    const io = capture({ MEMGATE_STATE_URL: state!.url });
    writeFileSync(
      join(io.cwd, 'memgate.json'),
      JSON.stringify({ providers: [{ name: 'a', provider_type: 'postgres', connection_string: a!.url, priority: 0 }, { name: 'b', provider_type: 'postgres', connection_string: b!.url, priority: 1 }] }),
    );
    expect(await resyncCommand.run(['b', '--config', 'memgate.json'], io)).toBe(0);
    expect(io.err).toMatch(/^resync b from a: 12 memories \(12 copied, 0 updated, 0 deleted\)/m);
    expect(io.out).toMatch(/^resynced b from a in [\d.]+ s: 12 copied, 0 updated, 0 unchanged, 0 deleted; 0 journal entries cleared\n$/);
    const target = createPostgresMemoryProvider({ name: 'b', connectionString: b!.url });
    expect((await target.list(matchAllFilter, { page: 1, pageSize: 100 })).items.map((record) => record.memory).sort()).toEqual(Array.from({ length: 12 }, (_, index) => `remembered ${index}`).sort());
    await target.close();
  });

  it('names the active providers when the one given is unknown', async () => {
    const [state, a] = databases;
    const io = capture({ MEMGATE_STATE_URL: state!.url });
    writeFileSync(join(io.cwd, 'memgate.json'), JSON.stringify({ providers: [{ name: 'a', provider_type: 'postgres', connection_string: a!.url }] }));
    await expect(resyncCommand.run(['nope', '--config', 'memgate.json'], io)).rejects.toSatisfy((error: unknown) => error instanceof CliUsageError && /no active provider named "nope" \(active: a[,)]/.test(error.message));
  });
});
