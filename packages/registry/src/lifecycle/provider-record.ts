import type { ProviderConfig } from '../config/provider-config-schema.js';

/** `active` serves traffic (an instance exists); `inactive` is registered but closed. */
export type ProviderState = 'active' | 'inactive';

/** Where a provider came from: a config file, the management API, or environment discovery. */
export type ProviderSource = 'config' | 'api' | 'discovered';

/** A provider as the registry stores it. */
export interface ProviderRecord {
  /** Unique name; equals `config.name`. */
  readonly name: string;
  /** The entry as configured, secrets kept as written (`${ENV_VAR}` references stay references). `config.enabled` mirrors `state`. */
  readonly config: ProviderConfig;
  readonly state: ProviderState;
  readonly source: ProviderSource;
  /** Why discovery found it (only for `source: 'discovered'`). */
  readonly reason?: string;
  /** 1 when inserted, +1 on every change; used for optimistic concurrency between gateway processes. */
  readonly version: number;
  /** ISO-8601 timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The fields a caller supplies when inserting or updating a record. */
export type ProviderRecordInput = Pick<ProviderRecord, 'config' | 'state' | 'source' | 'reason'>;

/** Announces that a record changed; `version` is `null` when it was removed. */
export interface ProviderRecordChange {
  readonly name: string;
  readonly version: number | null;
}
