import { createServer, type AddressInfo } from 'node:net';
import { createInMemoryMemoryProvider } from '@memgate/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testAdminKey, type TestGateway } from '../../testing/start-test-gateway.js';
import type { CliIo } from '../cli-command.js';
import { runCli } from '../main.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(createInMemoryMemoryProvider());
});
afterAll(async () => gateway?.close());

/** Runs `memgate keys …` against the test gateway (admin key unless `env` overrides), capturing output. */
async function keys(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = { out: '', err: '', env: { MEMGATE_URL: gateway.url, MEMGATE_KEY: testAdminKey, ...env }, cwd: process.cwd() };
  const capture: CliIo = { ...io, stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text) };
  const code = await runCli(['keys', ...args], capture);
  return { code, out: io.out, err: io.err };
}

const keyPattern = /^ {2}(mg_live_\S+)$/m;
const unique = () => `cli-${Math.random().toString(36).slice(2, 10)}`;

describe('memgate keys', () => {
  it('creates a key, prints it once with a warning, and the key works against the gateway', async () => {
    const name = unique();
    const created = await keys(['create', '--name', name, '--role', 'key-manager', '--scope', 'app_id=acme-*', '--scope', 'user_id=alice', '--allow-ip', '127.0.0.1/32']);
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toMatch(new RegExp(`^created key \\S+ "${name}"\\n`));
    expect(created.out).toMatch(/^ {2}roles +key-manager$/m);
    expect(created.out).toMatch(/^ {2}scope +user_id=alice,app_id=acme-\*$/m);
    expect(created.out).toMatch(/^ {2}allowed ips +127\.0\.0\.1\/32$/m);
    expect(created.err).toBe('This key is shown only once: store it now (a secret manager, not a file in the repository).\n');
    const key = keyPattern.exec(created.out)![1]!;
    // The new key authenticates: a key-manager may list keys.
    const listed = await keys(['list'], { MEMGATE_KEY: key });
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')[0]).toMatch(/^ID +NAME +PREFIX +ROLES +SCOPE +STATUS$/);
  });

  it('lists keys as a table, shows one, and --json prints the gateway’s JSON unchanged', async () => {
    const name = unique();
    const created = await keys(['create', '--name', name, '--permission', 'memory:read', '--expires-at', '2099-01-01T00:00:00Z', '--json']);
    expect(created.code).toBe(0);
    const record = JSON.parse(created.out);
    expect(record).toMatchObject({ name, roles: ['reader'], permissions: ['memory:read'], scope: null, allowed_ips: null, expires_at: '2099-01-01T00:00:00.000Z', revoked_at: null, replaced_by: null });
    expect(record.key).toMatch(/^mg_live_/);
    expect(created.err).toBe('');

    const list = await keys(['list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^${record.id} +${name} +${record.prefix}… +reader +any tenant +expires 2099-01-01T00:00:00.000Z$`, 'm'));
    const listJson = await keys(['list', '--json']);
    expect(listJson.out).toBe(`${JSON.stringify((await gateway.call('GET', '/keys')).body)}\n`);

    const shown = await keys(['get', record.id]);
    expect(shown).toMatchObject({ code: 0, err: '' });
    expect(shown.out).toMatch(new RegExp(`^key ${record.id} "${name}"\\n {2}prefix +${record.prefix}…\\n`));
    const { key: _secret, ...view } = record;
    expect(JSON.parse((await keys(['get', record.id, '--json'])).out)).toEqual(view);
  });

  it('rotates a key: a new key printed once, the old one expiring after the grace period', async () => {
    const created = JSON.parse((await keys(['create', '--name', unique(), '--json'])).out);
    const before = Date.now();
    const rotated = await keys(['rotate', created.id, '--grace-seconds', '60']);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatch(new RegExp(`^rotated key ${created.id} "${created.name}": the old key works until (\\S+)\\nnew key (\\S+)\\n`));
    const [, until, newId] = /works until (\S+)\nnew key (\S+)/.exec(rotated.out)!;
    expect(Date.parse(until!) - before).toBeGreaterThanOrEqual(59_000);
    expect(Date.parse(until!) - before).toBeLessThanOrEqual(61_000);
    expect(rotated.err).toMatch(/shown only once/);
    const newKey = keyPattern.exec(rotated.out)![1]!;
    expect(newKey).not.toBe(created.key);
    expect((await gateway.call('GET', `/keys/${created.id}`)).body.replaced_by).toBe(newId);
    // Both keys authenticate during the grace period (a reader may not manage keys: 403, not 401).
    for (const key of [created.key, newKey]) expect((await keys(['list'], { MEMGATE_KEY: key })).err).toMatch(/the key may not do this/);

    const json = JSON.parse((await keys(['rotate', newId!, '--json'])).out);
    expect(json).toMatchObject({ previous: { id: newId } });
    expect(json.key).toMatch(/^mg_live_/);
  });

  it('revokes a key, which then stops working at once', async () => {
    const created = JSON.parse((await keys(['create', '--name', unique(), '--role', 'key-manager', '--json'])).out);
    expect((await keys(['list'], { MEMGATE_KEY: created.key })).code).toBe(0);
    const revoked = await keys(['revoke', created.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toMatch(new RegExp(`^revoked key ${created.id} "${created.name}" \\(${created.prefix}…\\) at \\d{4}-\\d\\d-\\d\\dT`));
    const refused = await keys(['list'], { MEMGATE_KEY: created.key });
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toMatch(/^memgate keys: the key was not accepted \(check MEMGATE_KEY\): .+\n$/);
    expect((await keys(['get', created.id])).out).toMatch(/^ {2}status +revoked$/m);
  });

  it.each([
    [['create', '--name', 'x', '--expires-at', 'tomorrow'], /^memgate keys: invalid request: expires_at \(--expires-at\): expected an ISO 8601 date-time\n$/],
    [['create', '--name', 'x', '--permission', 'memory:fly'], /^memgate keys: invalid request: permissions\[0\] \(--permission\): unknown permission\n$/],
    [['create', '--name', ''], /^memgate keys: --name is required\n$/],
    [['create', '--name', 'x', '--scope', 'tenant=acme'], /--scope: expected FIELD=VALUE with FIELD one of user_id, agent_id, app_id, got "tenant=acme"/],
    [['create', '--name', 'x', '--scope', 'app_id=a', '--scope', 'app_id=b'], /--scope: app_id given twice/],
    [['create', '--name', 'x', '--colour', 'red'], /Unknown option '--colour'/],
    [['create', '--name', 'x', '--key', testAdminKey], /there is no --key flag: set MEMGATE_KEY \(a key on the command line lands in the shell history\)/],
    [['rotate', 'some-id', '--grace-seconds', 'soon'], /--grace-seconds: expected a whole number of seconds, got "soon"/],
    [['get'], /expected one key id: memgate keys get ID/],
    [['frobnicate'], /unknown action "frobnicate"/],
    [[], /expected an action: create, list, get, rotate or revoke/],
  ])('exits 2 with one line for a bad request or flag (%j)', async (args, message) => {
    const result = await keys(args);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toMatch(message);
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('exits 1 for an unknown key id, a wrong key, and a gateway that is not there', async () => {
    const missing = await keys(['get', 'no-such-key']);
    expect(missing).toMatchObject({ code: 1, out: '' });
    expect(missing.err).toMatch(/^memgate keys: not found: API key no-such-key not found\n$/);
    expect((await keys(['revoke', 'no-such-key'])).code).toBe(1);

    const wrong = await keys(['list'], { MEMGATE_KEY: 'mg_live_notarealkey0000000000000000000' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^memgate keys: the key was not accepted \(check MEMGATE_KEY\)/);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await keys(['list', '--url', `http://127.0.0.1:${port}`]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toBe(`memgate keys: cannot reach the gateway at http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('reads the key from MEMGATE_ADMIN_KEY when MEMGATE_KEY is unset, and exits 2 when neither is set', async () => {
    expect((await keys(['list'], { MEMGATE_KEY: '', MEMGATE_ADMIN_KEY: testAdminKey })).code).toBe(0);
    const none = await keys(['list'], { MEMGATE_KEY: '' });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/set MEMGATE_KEY \(or MEMGATE_ADMIN_KEY\)/);
  });

  it('says in its usage that the key comes from the environment only', async () => {
    const help = await keys(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/MEMGATE_KEY/);
    expect(help.out).toMatch(/shell history/);
  });
});
