import { randomUUID } from 'node:crypto';
import { validateKeyQuota, type KeyQuota } from '../quota/key-quota.js';
import { validateKeyRateLimit, type KeyRateLimit } from '../rate-limit/key-rate-limit.js';
import { NotFoundError, ValidationError } from '@memgate/core';
import type { AuditLog } from '../audit/create-audit-log.js';
import { createRoleRegistry, type RoleRegistry } from '../rbac/create-role-registry.js';
import { tenantScopeSchema, type TenantScope } from '../scope/tenant-scope.js';
import type { SecurityPrincipal } from '../security-principal.js';
import { createIpAllowList } from '../ip/create-ip-allow-list.js';
import { digestsEqual, generateApiKey, hashApiKey, parseApiKey } from './api-key-format.js';
import type { ApiKeyRecord } from './api-key-record.js';
import type { KeyStore } from './key-store.js';

/** Options of {@link createKeyManager}. */
export interface KeyManagerOptions {
  /** Where records live. */
  store: KeyStore;
  /** Resolves role names; default the built-in roles only. */
  roles?: RoleRegistry;
  /** Environment label of new keys. Default `live`. */
  environment?: string;
  /**
   * How long a verified key is served from this replica's cache, in ms. Default 5000. This is the
   * revocation SLA when the store's revocation notifications are lost; with them, revocation is immediate.
   */
  cacheTtlMs?: number;
  /** Cached keys at most (oldest evicted first). Default 10000. */
  cacheMaxEntries?: number;
  /** Clock in epoch ms; injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Where key lifecycle events (`key.create`, `key.update`, `key.rotate`, `key.revoke`) are chained. Default none. */
  audit?: AuditLog;
  /**
   * The bootstrap key: the deployment's admin key, known by the hex SHA-256 of any string of 32+
   * characters (it need not be in the `mg_<env>_…` format). It authenticates as `id` (default
   * `bootstrap`) holding `*`, the only principal that does. It is never stored, listed or rotated.
   */
  bootstrap?: { hash: string; id?: string };
}

/** Who performs a management call, for the audit log. */
export interface KeyActionContext {
  /** Principal id of the caller. Default `system`. */
  actor?: string;
  requestId?: string;
}

/** What a new key is made with. */
export interface CreateApiKeyInput {
  name: string;
  /** Role names. Default `['reader']`. */
  roles?: readonly string[];
  /** Extra permissions beside the roles'. */
  permissions?: readonly string[];
  scope?: TenantScope;
  allowedIps?: readonly string[];
  /** The key's own rate limit (whole numbers from 1). */
  rateLimit?: KeyRateLimit;
  /** The key's quotas on what it writes (whole numbers from 1). */
  quota?: KeyQuota;
  /** Lifetime in ms from now; absent for no expiry. */
  ttlMs?: number;
  /** Expiry as an instant (epoch ms), instead of `ttlMs`; must be in the future. */
  expiresAt?: number;
}

/** What {@link KeyManager.update} may change. */
export interface UpdateApiKeyInput {
  name?: string;
  roles?: readonly string[];
  permissions?: readonly string[];
}

/** Why a key was refused (for audit; callers see one generic message). */
export type KeyRejection = 'malformed' | 'unknown' | 'expired' | 'revoked';

/** The outcome of {@link KeyManager.verify}. */
export type KeyVerification =
  | { readonly ok: true; readonly principal: SecurityPrincipal; readonly record: ApiKeyRecord }
  | { readonly ok: false; readonly reason: KeyRejection; readonly prefix?: string };

/** Creates, verifies, rotates and revokes API keys. Also an `ApiKeyAuthenticator` (`authenticate`). */
export interface KeyManager {
  /**
   * Creates a key. The returned `key` is the only copy of the secret.
   * @throws ValidationError naming the field for a bad name, role, scope, CIDR or ttl
   */
  create(input: CreateApiKeyInput, context?: KeyActionContext): Promise<{ key: string; record: ApiKeyRecord }>;
  /** The record with this id (revoked and expired ones included), or `null`. */
  get(id: string): Promise<ApiKeyRecord | null>;
  /** Every stored record, newest first (never the bootstrap key). */
  list(): Promise<readonly ApiKeyRecord[]>;
  /**
   * Changes a key's name, roles or extra permissions; every replica drops the key from its cache.
   * @throws NotFoundError for an unknown id; ValidationError naming the field for a bad name or role
   */
  update(id: string, input: UpdateApiKeyInput, context?: KeyActionContext): Promise<ApiKeyRecord>;
  /** Checks a presented key: the bootstrap key first, then the checksum (no lookup for junk), then the store by digest, then expiry and revocation. */
  verify(key: string): Promise<KeyVerification>;
  /** The principal of a valid key, or `null`. Never throws for a bad key. Matches the gateway's `ApiKeyAuthenticator`. */
  authenticate(key: string): Promise<SecurityPrincipal | null>;
  /**
   * Revokes a key at once, on every replica that listens to the store.
   * @throws NotFoundError for an unknown id
   */
  revoke(id: string, context?: KeyActionContext): Promise<ApiKeyRecord>;
  /**
   * Issues a replacement with the same name, roles, scope and allow-list; the old key keeps working
   * for `graceMs` (default 24 h, 0 for none) and then expires.
   * @throws NotFoundError for an unknown id; ValidationError when the key is revoked, expired or the bootstrap key
   */
  rotate(id: string, options?: { graceMs?: number }, context?: KeyActionContext): Promise<{ key: string; record: ApiKeyRecord; previous: ApiKeyRecord }>;
  /** Stops listening to the store. */
  close(): void;
}

const defaultGraceMs = 24 * 60 * 60 * 1000;

/** Builds a {@link KeyManager} over a store. */
export function createKeyManager({
  store,
  roles = createRoleRegistry(),
  environment = 'live',
  cacheTtlMs = 5000,
  cacheMaxEntries = 10_000,
  now = Date.now,
  audit,
  bootstrap,
}: KeyManagerOptions): KeyManager {
  const bootstrapPrincipal: SecurityPrincipal | undefined = bootstrap && {
    id: bootstrap.id ?? 'bootstrap',
    keyId: bootstrap.id ?? 'bootstrap',
    roles: ['admin'],
    permissions: ['*'],
    authMethods: ['api_key'],
  };
  const bootstrapRecord: ApiKeyRecord | undefined = bootstrap && {
    id: bootstrapPrincipal!.id,
    hash: bootstrap.hash,
    prefix: 'bootstrap',
    environment,
    name: 'bootstrap (admin) key',
    roles: ['admin'],
    permissions: ['*'],
    createdAt: 0,
  };
  const record = async (action: string, key: ApiKeyRecord, context: KeyActionContext = {}): Promise<void> =>
    audit?.record({
      action,
      actor: context.actor ?? 'system',
      resourceType: 'api_key',
      resourceId: key.id,
      outcome: 'success',
      ...(context.requestId ? { requestId: context.requestId } : {}),
      details: { keyPrefix: key.prefix, name: key.name, roles: [...key.roles] },
    });
  const cache = new Map<string, { record: ApiKeyRecord; until: number }>();
  // `*`: the store's notices may have been missed (a reconnect): forget every cached key.
  const unsubscribe = store.onRevocation(({ hash }) => (hash === '*' ? cache.clear() : cache.delete(hash)));

  const lookup = async (hash: string): Promise<ApiKeyRecord | null> => {
    const cached = cache.get(hash);
    if (cached && cached.until > now()) return cached.record;
    cache.delete(hash);
    const record = await store.findByHash(hash);
    // Defence in depth: a store must match the full digest; compare again in constant time.
    if (!record || !digestsEqual(record.hash, hash)) return null;
    if (cache.size >= cacheMaxEntries) cache.delete(cache.keys().next().value!);
    cache.set(hash, { record, until: now() + cacheTtlMs });
    return record;
  };

  const toPrincipal = (record: ApiKeyRecord): SecurityPrincipal => ({
    id: record.id,
    keyId: record.id,
    keyPrefix: record.prefix,
    roles: record.roles,
    permissions: roles.resolve(record.roles, record.permissions),
    authMethods: ['api_key'],
    ...(record.scope ? { scope: record.scope } : {}),
    ...(record.allowedIps ? { allowedIps: record.allowedIps } : {}),
    ...(record.rateLimit ? { rateLimit: record.rateLimit } : {}),
    ...(record.quota ? { quota: record.quota } : {}),
  });

  const build = (input: CreateApiKeyInput, createdAt: number): { key: string; record: ApiKeyRecord } => {
    const name = input.name?.trim();
    if (!name || name.length > 128) throw new ValidationError({ message: 'name must be 1-128 characters', field: 'name' });
    const roleNames = input.roles ?? ['reader'];
    roles.resolve(roleNames, []); // throws for an unknown role, naming roles[i]
    const scope = input.scope === undefined ? undefined : tenantScopeSchema.safeParse(input.scope);
    if (scope && !scope.success) throw new ValidationError({ message: `scope: ${scope.error.issues[0]?.message}`, field: `scope.${scope.error.issues[0]?.path.join('.')}` });
    if (input.allowedIps) createIpAllowList(input.allowedIps, 'allowedIps');
    if (input.rateLimit) validateKeyRateLimit(input.rateLimit);
    if (input.quota) validateKeyQuota(input.quota);
    if (input.ttlMs !== undefined && !(Number.isFinite(input.ttlMs) && input.ttlMs > 0)) {
      throw new ValidationError({ message: 'ttlMs must be a positive number of milliseconds', field: 'ttlMs' });
    }
    if (input.expiresAt !== undefined && !(Number.isFinite(input.expiresAt) && input.expiresAt > createdAt)) {
      throw new ValidationError({ message: 'expires_at must be in the future', field: 'expires_at' });
    }
    const expiresAt = input.expiresAt ?? (input.ttlMs !== undefined ? createdAt + input.ttlMs : undefined);
    const generated = generateApiKey(environment);
    const record: ApiKeyRecord = {
      id: randomUUID(),
      hash: generated.hash,
      prefix: generated.prefix,
      environment,
      name,
      roles: [...roleNames],
      permissions: [...(input.permissions ?? [])],
      createdAt,
      ...(scope?.data ? { scope: scope.data } : {}),
      ...(input.allowedIps ? { allowedIps: [...input.allowedIps] } : {}),
      ...(input.rateLimit ? { rateLimit: { rpm: input.rateLimit.rpm, burst: input.rateLimit.burst } } : {}),
      ...(input.quota ? { quota: copyQuota(input.quota) } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    return { key: generated.key, record };
  };

  const manager: KeyManager = {
    async create(input, context) {
      const created = build(input, now());
      await store.insert(created.record);
      await record('key.create', created.record, context);
      return created;
    },
    get: (id) => (bootstrapRecord && id === bootstrapRecord.id ? Promise.resolve(null) : store.findById(id)),
    list: () => store.list(),
    async update(id, input, context) {
      const current = await store.findById(id);
      if (!current) throw new NotFoundError({ message: `API key ${id} not found` });
      const name = input.name === undefined ? undefined : input.name.trim();
      if (name !== undefined && (!name || name.length > 128)) throw new ValidationError({ message: 'name must be 1-128 characters', field: 'name' });
      if (input.roles) roles.resolve(input.roles, []);
      const updated = await store.update(id, {
        ...(name === undefined ? {} : { name }),
        ...(input.roles ? { roles: [...input.roles] } : {}),
        ...(input.permissions ? { permissions: [...input.permissions] } : {}),
      });
      cache.delete(updated.hash);
      await record('key.update', updated, context);
      return updated;
    },
    async verify(key) {
      if (bootstrap && bootstrapPrincipal && bootstrapRecord && digestsEqual(hashApiKey(key), bootstrap.hash)) {
        return { ok: true, principal: bootstrapPrincipal, record: bootstrapRecord };
      }
      const parsed = parseApiKey(key);
      if (!parsed) return { ok: false, reason: 'malformed' };
      const record = await lookup(hashApiKey(key));
      if (!record) return { ok: false, reason: 'unknown', prefix: parsed.prefix };
      const at = now();
      if (record.revokedAt !== undefined && record.revokedAt <= at) return { ok: false, reason: 'revoked', prefix: parsed.prefix };
      if (record.expiresAt !== undefined && record.expiresAt <= at) return { ok: false, reason: 'expired', prefix: parsed.prefix };
      return { ok: true, principal: toPrincipal(record), record };
    },
    async authenticate(key) {
      const result = await manager.verify(key);
      return result.ok ? result.principal : null;
    },
    async revoke(id, context) {
      if (!(await store.findById(id))) throw new NotFoundError({ message: `API key ${id} not found` });
      const revoked = await store.update(id, { revokedAt: now() });
      await record('key.revoke', revoked, context);
      return revoked;
    },
    async rotate(id, { graceMs = defaultGraceMs } = {}, context) {
      const current = await store.findById(id);
      if (!current) throw new NotFoundError({ message: `API key ${id} not found` });
      if (current.revokedAt !== undefined) throw new ValidationError({ message: `API key ${id} is revoked and cannot be rotated`, field: 'id' });
      const at = now();
      if (current.expiresAt !== undefined && current.expiresAt <= at) throw new ValidationError({ message: `API key ${id} has expired and cannot be rotated; create a new key`, field: 'id' });
      const created = build(
        {
          name: current.name,
          roles: current.roles,
          permissions: current.permissions,
          ...(current.scope ? { scope: current.scope } : {}),
          ...(current.allowedIps ? { allowedIps: current.allowedIps } : {}),
          ...(current.rateLimit ? { rateLimit: current.rateLimit } : {}),
          ...(current.quota ? { quota: current.quota } : {}),
          ...(current.expiresAt !== undefined && current.expiresAt > at ? { ttlMs: current.expiresAt - current.createdAt } : {}),
        },
        at,
      );
      await store.insert(created.record);
      const graceEnd = at + Math.max(0, graceMs);
      const expiresAt = current.expiresAt === undefined ? graceEnd : Math.min(current.expiresAt, graceEnd);
      const previous = await store.update(id, { expiresAt, replacedBy: created.record.id });
      await record('key.rotate', previous, context);
      return { ...created, previous };
    },
    close: () => {
      unsubscribe();
    },
  };
  return manager;
}

/** The quota's own members only (a caller's object may carry others). */
function copyQuota(quota: KeyQuota): KeyQuota {
  return {
    ...(quota.memoriesPerDay !== undefined ? { memoriesPerDay: quota.memoriesPerDay } : {}),
    ...(quota.storedMemories !== undefined ? { storedMemories: quota.storedMemories } : {}),
  };
}
