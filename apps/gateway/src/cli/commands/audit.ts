import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAuditChain, type AuditEntry } from '@memgate/security';
import { createStateStore, parseStateUrl, resolveStateUrl, type StateStore } from '@memgate/state';
import { CliFailure, CliUsageError, type CliCommand, type CliIo } from '../cli-command.js';

const usage = `Usage: memgate audit verify [--data-dir DIR] [--public-key FILE] [--json]
       memgate audit export [--data-dir DIR] [--since ISO] [--until ISO] [--out FILE]

verify   re-computes the hash chain of the audit log from the first entry and checks the signed
         checkpoints; prints "audit chain OK: N entries, head <hash>, K signed checkpoints" and exits 0,
         or names the first entry that does not fit (edited, removed, inserted or reordered) and exits 1.
  --public-key FILE  the checkpoints' Ed25519 public key (PEM). Default: derived from the gateway's
                     signing key, MEMGATE_AUDIT_SIGNING_KEY (PEM) or <data-dir>/audit-signing-key.pem.
                     Without any, the checkpoints' signatures cannot be checked and verify says so.
  --json             print the verification result as JSON
export   writes the stored entries, oldest first, as JSON lines (one entry per line, as stored).
  --since ISO        entries at or after this instant
  --until ISO        entries before this instant
  --out FILE         write to FILE instead of standard output
Options of both:
  --data-dir DIR     state directory (env MEMGATE_DATA_DIR; default ./.memgate)
The log lives in the state store (MEMGATE_STATE_URL, else PGlite under the data directory). A
PGlite store can be opened by one process only: stop the gateway first, or share a PostgreSQL store.
`;

/** Entries read per round trip. */
const pageSize = 1000;

/** `memgate audit verify|export`: checks and exports the hash-chained audit log in the state store. */
export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify the audit log’s hash chain and signed checkpoints, or export it as JSON lines',
  usage,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'verify' && action !== 'export') throw new CliUsageError(action === undefined ? 'expected an action: verify or export' : `unknown action "${action}" (expected verify or export)`);
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: {
          'data-dir': { type: 'string' },
          ...(action === 'verify' ? { 'public-key': { type: 'string' }, json: { type: 'boolean' } } : { since: { type: 'string' }, until: { type: 'string' }, out: { type: 'string' } }),
        },
      });
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
    const values = parsed.values as Partial<Record<'data-dir' | 'public-key' | 'since' | 'until' | 'out', string>> & { json?: boolean };
    const dataDir = resolve(io.cwd, values['data-dir'] ?? io.env.MEMGATE_DATA_DIR ?? '.memgate');
    if (action === 'verify') {
      // Read the key before opening the store: a bad key file is a usage error, found without waiting on a database.
      const publicKeyPem = await loadPublicKey(io, dataDir, values['public-key']);
      return withStore(io, dataDir, (store) => verify(io, store, publicKeyPem, values.json === true));
    }
    const since = instant('--since', values.since);
    const until = instant('--until', values.until);
    return withStore(io, dataDir, (store) => exportEntries(io, store, { since, until, out: values.out === undefined ? undefined : resolve(io.cwd, values.out) }));
  },
};

async function withStore(io: CliIo, dataDir: string, use: (store: StateStore) => Promise<number>): Promise<number> {
  const url = resolveStateUrl(io.env, dataDir);
  let location;
  try {
    location = parseStateUrl(url);
  } catch (error) {
    throw new CliUsageError(`MEMGATE_STATE_URL: ${(error as Error).message}`);
  }
  // Opening PGlite on a directory creates an empty store there: a mistyped --data-dir would verify as "OK: 0 entries".
  if (location.driver === 'pglite' && (location.dataDir === undefined || !existsSync(location.dataDir))) throw new CliFailure(`no state store at ${location.dataDir ?? url} (check --data-dir, or set MEMGATE_STATE_URL)`);
  const store = await createStateStore({ url, onError: (error) => io.stderr(`state store: ${String(error)}\n`) });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function instant(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(ms)) throw new CliUsageError(`${flag}: expected an ISO 8601 date or date-time, got "${value}"`);
  return new Date(ms).toISOString();
}

/**
 * The checkpoints' public key as SPKI PEM: from `--public-key` (a public key, or a private key to
 * derive it from), else derived from the gateway's signing key; `undefined` when there is none.
 */
async function loadPublicKey(io: CliIo, dataDir: string, file: string | undefined): Promise<string | undefined> {
  let pem: string | undefined;
  let source: string;
  if (file !== undefined) {
    source = `--public-key ${file}`;
    pem = await readFile(resolve(io.cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CliUsageError(`${source}: cannot read it (${error.code ?? error.message})`);
    });
  } else if (io.env.MEMGATE_AUDIT_SIGNING_KEY) {
    source = 'MEMGATE_AUDIT_SIGNING_KEY';
    pem = io.env.MEMGATE_AUDIT_SIGNING_KEY;
  } else {
    source = join(dataDir, 'audit-signing-key.pem');
    pem = await readFile(source, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new CliFailure(`${source}: cannot read it (${error.code ?? error.message})`);
    });
  }
  if (pem === undefined) return undefined;
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType ?? 'unknown'} key, expected Ed25519`);
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    throw new CliUsageError(`${source}: not an Ed25519 key in PEM (${(error as Error).message})`);
  }
}

async function verify(io: CliIo, store: StateStore, publicKeyPem: string | undefined, json: boolean): Promise<number> {
  const entries: AuditEntry[] = [];
  // By seq, page after page: the chain is verified whole, from the genesis hash.
  for (let page = await store.audit.list({ afterSeq: 0, limit: pageSize }); page.length > 0; page = await store.audit.list({ afterSeq: page.at(-1)!.seq, limit: pageSize })) entries.push(...page);
  const checkpoints = await store.audit.listCheckpoints();
  const result = verifyAuditChain(entries, { checkpoints, ...(publicKeyPem === undefined ? {} : { publicKeyPem }) });
  const signaturesChecked = publicKeyPem !== undefined;
  if (json) io.stdout(`${JSON.stringify({ ...result, checkpoints: checkpoints.length, signaturesChecked })}\n`);
  if (!result.ok) {
    if (!json) io.stdout(`audit chain BROKEN at seq ${result.seq ?? '?'}${result.index === undefined ? '' : ` (entry ${result.index + 1} of ${entries.length} read)`}: ${result.reason}\n`);
    return 1;
  }
  if (!json) io.stdout(`audit chain OK: ${result.count} entries, head ${result.headHash}, ${checkpoints.length} signed checkpoints\n`);
  if (!signaturesChecked && checkpoints.length > 0) io.stderr('the checkpoints’ signatures were not checked: no signing key found (pass --public-key FILE)\n');
  return 0;
}

async function exportEntries(io: CliIo, store: StateStore, { since, until, out }: { since: string | undefined; until: string | undefined; out: string | undefined }): Promise<number> {
  const file = out === undefined ? undefined : await open(out, 'w').catch((error: NodeJS.ErrnoException) => {
    throw new CliFailure(`--out ${out}: cannot write it (${error.code ?? error.message})`);
  });
  let count = 0;
  try {
    let afterSeq = 0;
    for (;;) {
      const page = await store.audit.query({ ...(since ? { since } : {}), ...(until ? { until } : {}), afterSeq, limit: pageSize });
      if (page.length === 0) break;
      const lines = page.map((entry) => `${JSON.stringify(entry)}\n`).join('');
      if (file) await file.write(lines);
      else io.stdout(lines);
      count += page.length;
      afterSeq = page.at(-1)!.seq;
    }
  } finally {
    await file?.close();
  }
  if (out !== undefined) io.stderr(`exported ${count} audit entries to ${out}\n`);
  return 0;
}
