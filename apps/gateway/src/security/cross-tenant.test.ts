import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedAdminKey, startSecuredGateway, type SecuredGateway } from '../testing/start-secured-gateway.js';

/**
 * Ten thousand generated attempts by scoped keys to reach other tenants' memories: by id, by
 * filter (`*`, `ne`, `in`, OR, NOT), by batch, by entity and by event. None may return a foreign
 * memory or change one.
 */

interface Seeded {
  readonly id: string;
  readonly text: string;
  readonly userId: string;
  readonly appId: string;
  readonly agentId: string;
}

/** The scoped keys under attack and what each may see. */
const tenants = [
  { name: 'app acme', scope: { app_id: 'acme' }, owns: (memory: Seeded) => memory.appId === 'acme' },
  { name: 'users acme-*', scope: { user_id: 'acme-*' }, owns: (memory: Seeded) => memory.userId.startsWith('acme-') },
  { name: 'app globex, agent bot', scope: { app_id: 'globex', agent_id: 'bot' }, owns: (memory: Seeded) => memory.appId === 'globex' && memory.agentId === 'bot' },
] as const;

const users = ['acme-1', 'acme-2', 'acmex', 'globex-1', 'initech'];
const apps = ['acme', 'globex', 'initech'];
const agents = ['bot', 'helper'];

let secured: SecuredGateway;
const seeded: Seeded[] = [];
const keys: string[] = [];
const foreignEvents: string[] = [];

beforeAll(async () => {
  secured = await startSecuredGateway();
  for (const userId of users) {
    for (const appId of apps) {
      for (const agentId of agents) {
        const text = `secret of ${userId}/${appId}/${agentId}`;
        const added = await secured.call(securedAdminKey, 'POST', '/v3/memories/add/', { messages: [{ role: 'user', content: text }], user_id: userId, app_id: appId, agent_id: agentId, infer: false });
        seeded.push({ id: added.body.results[0].id, text, userId, appId, agentId });
        foreignEvents.push(added.body.event_id);
      }
    }
  }
  for (const tenant of tenants) keys.push((await secured.mintKey({ name: tenant.name, roles: ['editor'], scope: tenant.scope })).key);
}, 60_000);

afterAll(async () => secured?.close());

const value = fc.constantFrom(...users, ...apps, ...agents, 'acme-*', '*');
const field = fc.constantFrom('user_id', 'app_id', 'agent_id');
const condition = fc.oneof(
  fc.record({ field, value }).map(({ field: name, value: wanted }) => ({ [name]: wanted })),
  fc.record({ field, value }).map(({ field: name, value: wanted }) => ({ [name]: { ne: wanted } })),
  fc.record({ field, values: fc.array(value, { minLength: 1, maxLength: 3 }) }).map(({ field: name, values }) => ({ [name]: { in: values } })),
  field.map((name) => ({ [name]: '*' })),
);
const filter = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, condition, fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((filters) => ({ OR: filters })), fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((filters) => ({ AND: filters })), tie('node').map((inner) => ({ NOT: inner }))),
})).node;

/** One attempt: a request a scoped key sends. */
const attempt = (foreign: () => fc.Arbitrary<Seeded>) =>
  fc.oneof(
    foreign().chain((memory) => fc.constantFrom({ method: 'GET', path: `/v1/memories/${memory.id}/` }, { method: 'GET', path: `/v1/memories/${memory.id}/history/` }, { method: 'PUT', path: `/v1/memories/${memory.id}/`, body: { text: 'overwritten' } }, { method: 'DELETE', path: `/v1/memories/${memory.id}/` })),
    fc.tuple(filter, fc.constantFrom('/v3/memories/search/', '/v2/memories/search/', '/v3/memories/', '/v2/memories/')).map(([filters, path]) => ({ method: 'POST', path, body: path.includes('search') ? { query: 'secret', filters, top_k: 100 } : { filters } })),
    fc.array(foreign(), { minLength: 1, maxLength: 3 }).chain((memories) => fc.constantFrom({ method: 'PUT', path: '/v1/batch/', body: { memories: memories.map((memory) => ({ memory_id: memory.id, text: 'overwritten' })) } }, { method: 'DELETE', path: '/v1/batch/', body: { memories: memories.map((memory) => ({ memory_id: memory.id })) } })),
    fc.tuple(fc.constantFrom('user', 'app', 'agent'), value).map(([type, id]) => ({ method: 'DELETE', path: `/v2/entities/${type}/${encodeURIComponent(id)}/` })),
    fc.constant({ method: 'GET', path: '/v1/entities/' }),
    fc.tuple(field, value).map(([name, id]) => ({ method: 'DELETE', path: `/v1/memories/?${name}=${encodeURIComponent(id)}` })),
    fc.tuple(field, value).map(([name, id]) => ({ method: 'GET', path: `/v1/memories/?${name}=${encodeURIComponent(id)}` })),
    fc.constantFrom(...foreignEvents).map((id) => ({ method: 'GET', path: `/v1/event/${id}/` })),
  );

describe('cross-tenant attempts by scoped keys', () => {
  it('return no foreign memory and change none, over 10,000 generated attempts', async () => {
    const snapshot = async (): Promise<Map<string, string>> => {
      const seen = new Map<string, string>();
      for (const memory of seeded) {
        const stored = await secured.call(securedAdminKey, 'GET', `/v1/memories/${memory.id}/`);
        seen.set(memory.id, stored.status === 200 ? stored.body.memory : `status ${stored.status}`);
      }
      return seen;
    };
    let attempts = 0;
    for (const [index, tenant] of tenants.entries()) {
      const foreignMemories = seeded.filter((memory) => !tenant.owns(memory));
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(attempt(() => fc.constantFrom(...foreignMemories)), async (request) => {
          attempts += 1;
          const response = await secured.call(keys[index], request.method, request.path, 'body' in request ? request.body : undefined);
          const described = `${tenant.name}: ${request.method} ${request.path} ${JSON.stringify('body' in request ? request.body : '')}`;
          expect(response.status, described).toBeLessThan(500);
          // A refusal may echo the id the caller sent; an answer must hold nothing foreign.
          if (response.status >= 300) return;
          const leaked = foreignMemories.filter((memory) => response.text.includes(memory.id) || response.text.includes(`"${memory.text}"`));
          expect(leaked, described).toEqual([]);
        }),
        { numRuns: Math.ceil(10_000 / tenants.length), seed: 20261204 + index },
      );
      // Nothing foreign changed: every memory outside this tenant is as it was before its attempts.
      const after = await snapshot();
      const changed = foreignMemories.filter((memory) => after.get(memory.id) !== before.get(memory.id));
      expect(changed, tenant.name).toEqual([]);
    }
    expect(attempts).toBeGreaterThanOrEqual(10_000);
  }, 300_000);
});
