import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeAuditHash, createAuditCheckpointSigner, createAuditLog, generateApiKey, type AuditEntry } from '@memgate/security';
import { createStateStore, type StateStore } from '@memgate/state';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-command.js';
import { runCli } from '../main.js';

const databases: TestDatabase[] = [];
const stores: StateStore[] = [];
afterAll(async () => {
  await Promise.allSettled(stores.map((store) => store.close()));
  await Promise.allSettled(databases.map((database) => database.drop()));
});

/** The gateway's checkpoint signing key, as `memgate serve` keeps it in `<data-dir>/audit-signing-key.pem`. */
const signingKey = generateKeyPairSync('ed25519');
const privatePem = signingKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A key that must never reach the export in plain text (the audit log redacts it before hashing). */
const plaintextKey = generateApiKey('live').key;

interface Chain {
  readonly url: string;
  readonly store: StateStore;
  readonly dataDir: string;
  readonly entries: readonly AuditEntry[];
}

/** A fresh state store on its own database, with `count` entries written through the audit log (checkpoints signed). */
async function chain(count: number, { startMs = Date.parse('2026-03-01T00:00:00.000Z') } = {}): Promise<Chain> {
  const database = await createTestDatabase({ prefix: 'memgate_cli_audit' });
  databases.push(database);
  const store = await createStateStore({ url: database.url });
  stores.push(store);
  let tick = 0;
  // One entry a minute from `startMs`, so --since/--until select known entries.
  const log = createAuditLog({ store: store.audit, batchSize: 7, now: () => startMs + 60_000 * tick++, checkpoint: { signer: createAuditCheckpointSigner({ privateKeyPem: privatePem }), everyEntries: 5 } });
  for (let index = 0; index < count; index += 1) {
    await log.record(
      index === 3
        ? { action: 'key.create', actor: 'admin', outcome: 'success', resourceType: 'api_key', resourceId: 'k-3', details: { key: plaintextKey, note: `issued ${plaintextKey}` } }
        : { action: index % 2 ? 'provider.activate' : 'auth.failure', actor: `actor-${index}`, outcome: index % 2 ? 'success' : 'denied', status: index % 2 ? 200 : 401, requestId: `request-${index}` },
    );
  }
  await log.flush();
  const dataDir = mkdtempSync(join(tmpdir(), 'memgate-audit-'));
  writeFileSync(join(dataDir, 'audit-signing-key.pem'), privatePem);
  return { url: database.url, store, dataDir, entries: await store.audit.list({ limit: 1000 }) };
}

/** Runs `memgate audit …` against the chain's store, capturing output. */
async function audit(target: Chain, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = { out: '', err: '', env: { MEMGATE_STATE_URL: target.url, ...env }, cwd: target.dataDir };
  const capture: CliIo = { ...io, stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text) };
  const code = await runCli(['audit', ...args, ...(args[0] === 'verify' || args[0] === 'export' ? ['--data-dir', target.dataDir] : [])], capture);
  return { code, out: io.out, err: io.err };
}

/**
 * Runs SQL as a superuser tampering with the log would: the append-only trigger is bypassed by
 * `session_replication_role = replica`, for this transaction only.
 */
async function tamper(target: Chain, ...statements: string[]): Promise<void> {
  await target.store.db.transaction(async (tx) => {
    await tx.execute('SET LOCAL session_replication_role = replica');
    for (const statement of statements) await tx.execute(statement);
  });
}

const columns = 'seq, ts, ts_instant, prev_hash, hash, action, actor, auth_method, actor_ip, resource_type, resource_id, tenant, outcome, status, request_id, details';

describe('memgate audit verify', () => {
  it('reports an intact chain with its head and signed checkpoints, and exits 0', async () => {
    const target = await chain(20);
    const checkpoints = await target.store.audit.listCheckpoints();
    expect(checkpoints.length).toBeGreaterThan(0);
    const result = await audit(target, ['verify']);
    expect(result).toEqual({ code: 0, out: `audit chain OK: 20 entries, head ${target.entries.at(-1)!.hash}, ${checkpoints.length} signed checkpoints\n`, err: '' });
    const json = await audit(target, ['verify', '--json', '--public-key', writePem(target, publicPem)]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, count: 20, headHash: target.entries.at(-1)!.hash, checkpoints: checkpoints.length, signaturesChecked: true });
  }, 60_000);

  it('refuses the tampering without the bypass: the table is append-only', async () => {
    const target = await chain(3);
    const refused = await target.store.db.execute("UPDATE memgate.audit_entries SET actor = 'mallory' WHERE seq = 2").then(
      () => undefined,
      (error: Error & { cause?: Error }) => error.cause ?? error,
    );
    expect(refused?.message).toMatch(/append-only: UPDATE refused/);
  }, 60_000);

  it('names an edited entry (hash-mismatch) and exits 1', async () => {
    const target = await chain(20);
    await tamper(target, "UPDATE memgate.audit_entries SET actor = 'mallory' WHERE seq = 9");
    const result = await audit(target, ['verify']);
    expect(result).toMatchObject({ code: 1, out: 'audit chain BROKEN at seq 9 (entry 9 of 20 read): hash-mismatch\n' });
  }, 60_000);

  it('names the entry after a deleted one (broken-link) and exits 1', async () => {
    const target = await chain(20);
    await tamper(target, 'DELETE FROM memgate.audit_entries WHERE seq = 9');
    const result = await audit(target, ['verify']);
    expect(result).toMatchObject({ code: 1, out: 'audit chain BROKEN at seq 10 (entry 9 of 19 read): broken-link\n' });
  }, 60_000);

  it('names the first of two entries whose seq were swapped and exits 1', async () => {
    const target = await chain(20);
    await tamper(
      target,
      'UPDATE memgate.audit_entries SET seq = -5 WHERE seq = 5',
      'UPDATE memgate.audit_entries SET seq = 5 WHERE seq = 6',
      'UPDATE memgate.audit_entries SET seq = 6 WHERE seq = -5',
    );
    const result = await audit(target, ['verify']);
    expect(result).toMatchObject({ code: 1, out: 'audit chain BROKEN at seq 5 (entry 5 of 20 read): broken-link\n' });
  }, 60_000);

  it('names the entry after one inserted with a correctly computed hash, and exits 1', async () => {
    const target = await chain(20);
    const before = target.entries[6]!; // seq 7
    const forged: Omit<AuditEntry, 'hash'> = { seq: 8, ts: before.ts, prevHash: before.hash, action: 'key.revoke', actor: 'mallory', outcome: 'success' };
    const hash = computeAuditHash(forged);
    await tamper(
      target,
      // Make room at seq 8 (two steps: seq is unique), then put the forged entry there.
      'UPDATE memgate.audit_entries SET seq = seq + 1000 WHERE seq >= 8',
      'UPDATE memgate.audit_entries SET seq = seq - 999 WHERE seq >= 1000',
      `INSERT INTO memgate.audit_entries (${columns}) VALUES (8, '${forged.ts}', '${forged.ts}', '${forged.prevHash}', '${hash}', 'key.revoke', 'mallory', NULL, NULL, NULL, NULL, NULL, 'success', NULL, NULL, NULL)`,
    );
    const result = await audit(target, ['verify']);
    expect(result).toMatchObject({ code: 1, out: 'audit chain BROKEN at seq 9 (entry 9 of 21 read): broken-link\n' });
  }, 60_000);

  it('exits 1 naming the directory when the data directory holds no state store (PGlite is not created)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memgate-audit-empty-'));
    const io = { out: '', err: '' };
    const capture: CliIo = { env: { MEMGATE_STATE_URL: '' }, cwd: dataDir, stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text) };
    expect(await runCli(['audit', 'verify', '--data-dir', dataDir], capture)).toBe(1);
    expect(io.err).toBe(`memgate audit: no state store at ${dataDir}/state (check --data-dir, or set MEMGATE_STATE_URL)\n`);
    expect(existsSync(join(dataDir, 'state'))).toBe(false);
  });

  it('exits 2 for a public key file that is not an Ed25519 key', async () => {
    const target = await chain(1);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const result = await audit(target, ['verify', '--public-key', writePem(target, rsa)]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--public-key .*: not an Ed25519 key in PEM/);
  }, 60_000);
});

describe('memgate audit export', () => {
  it('prints every stored entry as one JSON line, exactly as stored, with no plaintext key', async () => {
    const target = await chain(12);
    const result = await audit(target, ['export']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const lines = result.out.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(target.entries);
    expect(lines).toEqual(target.entries.map((entry) => JSON.stringify(entry)));
    const random = plaintextKey.slice('mg_live_'.length);
    expect(result.out).not.toContain(random);
    expect(result.out).not.toContain(plaintextKey);
    expect(result.out).toContain('mg_live_[redacted]');
  }, 60_000);

  it('selects entries by --since and --until, and writes to --out', async () => {
    const target = await chain(12);
    // One entry a minute from 00:00: [00:03, 00:07) is seq 4 to 7.
    const out = join(target.dataDir, 'export.jsonl');
    const result = await audit(target, ['export', '--since', '2026-03-01T00:03:00Z', '--until', '2026-03-01T00:07:00Z', '--out', 'export.jsonl']);
    expect(result).toEqual({ code: 0, out: '', err: `exported 4 audit entries to ${out}\n` });
    expect(readFileSync(out, 'utf8')).toBe(target.entries.slice(3, 7).map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }, 60_000);

  it('exits 2 for a date that is not ISO 8601, and for an unknown action', async () => {
    const target = await chain(1);
    const bad = await audit(target, ['export', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since: expected an ISO 8601 date or date-time, got "yesterday"/);
    const unknown = await audit(target, ['replay']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown action "replay" \(expected verify or export\)/);
  }, 60_000);
});

function writePem(target: Chain, pem: string): string {
  const file = join(target.dataDir, `key-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, pem);
  return file;
}
