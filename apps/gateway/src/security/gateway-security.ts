import { createAuditLog, createInMemoryAuditStore, createInMemoryKeyStore, createKeyManager, createRoleRegistry, type AuditLog, type AuditStore, type KeyManager, type KeyStore, type RoleRegistry } from '@memgate/security';

/** Who may call the gateway and where what they did is written: the keys, the roles and the audit trail. */
export interface GatewaySecurity {
  /** Verifies keys (the bootstrap admin key included) and creates, rotates and revokes them. */
  readonly keys: KeyManager;
  /** Role names to permissions. */
  readonly roles: RoleRegistry;
  /** The hash-chained audit log every refusal and change is recorded in. */
  readonly audit: AuditLog;
  /** Where the audit log is kept (read by `GET /providers/security/audit`). */
  readonly auditStore: AuditStore;
}

/** Options of {@link createGatewaySecurity}. */
export interface CreateGatewaySecurityOptions {
  /** Hex SHA-256 of the bootstrap (admin) key: the one key that holds `*`. */
  readonly adminKeyHash: string;
  /** Where keys live. Default: in memory (a single process, lost on exit). */
  readonly keyStore?: KeyStore;
  /** Where the audit chain lives. Default: in memory. */
  readonly auditStore?: AuditStore;
  /** Extra options of the audit log (signed checkpoints, problem reports). */
  readonly auditOptions?: Omit<Parameters<typeof createAuditLog>[0], 'store'>;
  /** Environment label of new keys (`mg_<env>_…`). Default `live`. */
  readonly environment?: string;
}

/**
 * Builds the gateway's security from the security package's parts. The admin key is the key
 * manager's bootstrap key (id `admin`), so one code path verifies every key.
 */
export function createGatewaySecurity({ adminKeyHash, keyStore = createInMemoryKeyStore(), auditStore = createInMemoryAuditStore(), auditOptions = {}, environment = 'live' }: CreateGatewaySecurityOptions): GatewaySecurity {
  const roles = createRoleRegistry();
  return {
    keys: createKeyManager({ store: keyStore, roles, environment, bootstrap: { hash: adminKeyHash, id: 'admin' } }),
    roles,
    audit: createAuditLog({ store: auditStore, ...auditOptions }),
    auditStore,
  };
}
