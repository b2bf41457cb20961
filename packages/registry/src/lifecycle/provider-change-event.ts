import type { ProviderRecord } from './provider-record.js';

/** The event names of the registry, noun then verb. */
export type ProviderChangeType = 'provider-registered' | 'provider-configured' | 'provider-activated' | 'provider-deactivated' | 'provider-deleted';

/** Emitted by `ProviderRegistry.onChange` once a change is stored and applied in this process. */
export interface ProviderChangeEvent {
  readonly type: ProviderChangeType;
  readonly name: string;
  /** The record after the change; `null` after a delete. */
  readonly record: ProviderRecord | null;
  /** `local` when made through this registry, `remote` when learned from the store's change feed. */
  readonly origin: 'local' | 'remote';
}
