import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '@memgate/security';
import { createTestDatabase, type TestDatabase } from '@memgate/testkit';
import { pino } from 'pino';
import { resolveServeSettings } from '../cli/serve-settings.js';
import { composeGateway, type ComposedGateway } from '../compose/compose-gateway.js';
import { startServer } from '../server/start-server.js';
import { callGateway, type GatewayAnswer } from './call-gateway.js';

/** The bootstrap key of secured test gateways. */
export const securedAdminKey = 'secured-admin-key-0123456789abcdefghijklmn';


/** A composed gateway (registry, failover pool, state store on the PostgreSQL server) listening on loopback. */
export interface SecuredGateway {
  readonly url: string;
  readonly gateway: ComposedGateway;
  /** The state store's database (its URL is `MEMGATE_STATE_URL` for a second process). */
  readonly state: TestDatabase;
  /** Sends a request with `key` (`Authorization: Token`); `undefined` sends none. */
  call(key: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<GatewayAnswer>;
  /** Creates a key through `POST /keys` with the admin key; returns the key and its id. */
  mintKey(input: Record<string, unknown>): Promise<{ key: string; id: string }>;
  close(): Promise<void>;
}

/**
 * Composes `memgate serve`'s gateway in-process over one in-memory `memory` provider, with its
 * state (keys, audit chain, events, journal) in a throwaway database on the PostgreSQL server, and
 * {@link securedAdminKey} as the bootstrap key. `edge` is the config's `edge` section.
 */
export async function startSecuredGateway(options: { readonly edge?: Record<string, unknown> } = {}): Promise<SecuredGateway> {
  const state = await createTestDatabase({ prefix: 'memgate_secured' });
  const directory = mkdtempSync(join(tmpdir(), 'memgate-secured-'));
  const config = join(directory, 'memgate.json');
  writeFileSync(config, JSON.stringify({ providers: [{ name: 'mem', provider_type: 'memory', connection_string: 'memory://mem' }], ...(options.edge ? { edge: options.edge } : {}) }));
  const env = { MEMGATE_STATE_URL: state.url };
  const settings = await resolveServeSettings(['--config', config, '--data-dir', join(directory, 'data')], env, directory);
  const gateway = await composeGateway({ settings, env, cwd: directory, adminKeyHash: hashApiKey(securedAdminKey), logger: pino({ level: 'silent' }) });
  const server = await startServer(gateway.app, { port: 0 });
  const call: SecuredGateway['call'] = (key, method, path, body, headers) => callGateway(server.url, key, method, path, body, headers);
  return {
    url: server.url,
    gateway,
    state,
    call,
    async mintKey(input) {
      const created = await call(securedAdminKey, 'POST', '/keys', input);
      if (created.status !== 201) throw new Error(`POST /keys answered ${created.status}: ${created.text}`);
      return { key: created.body.key, id: created.body.id };
    },
    async close() {
      await server.close();
      await gateway.close();
      await state.drop();
    },
  };
}
