import { ConflictError, NotFoundError } from '@memgate/core';
import type { Disposable } from './disposable.js';
import type { ProviderRecord, ProviderRecordChange, ProviderRecordInput } from './provider-record.js';
import type { ProviderRegistryStore } from './provider-registry-store.js';

/** A {@link ProviderRegistryStore} in a `Map`: for tests and for a registry used alone, in one process. */
export class InMemoryProviderRegistryStore implements ProviderRegistryStore {
  private readonly records = new Map<string, ProviderRecord>();
  private readonly listeners = new Set<(change: ProviderRecordChange) => void>();

  async list(): Promise<ProviderRecord[]> {
    return [...this.records.values()].sort((left, right) => left.name.localeCompare(right.name));
  }

  async get(name: string): Promise<ProviderRecord | null> {
    return this.records.get(name) ?? null;
  }

  async insert(input: ProviderRecordInput): Promise<ProviderRecord> {
    const name = input.config.name;
    if (this.records.has(name)) throw new ConflictError({ message: `provider '${name}' already exists` });
    const now = new Date().toISOString();
    const record: ProviderRecord = { ...input, name, version: 1, createdAt: now, updatedAt: now };
    this.records.set(name, record);
    this.emit({ name, version: 1 });
    return record;
  }

  async update(name: string, expectedVersion: number, input: ProviderRecordInput): Promise<ProviderRecord> {
    const current = this.current(name, expectedVersion);
    const record: ProviderRecord = { ...input, name, version: current.version + 1, createdAt: current.createdAt, updatedAt: new Date().toISOString() };
    this.records.set(name, record);
    this.emit({ name, version: record.version });
    return record;
  }

  async remove(name: string, expectedVersion: number): Promise<void> {
    this.current(name, expectedVersion);
    this.records.delete(name);
    this.emit({ name, version: null });
  }

  onChange(listener: (change: ProviderRecordChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private current(name: string, expectedVersion: number): ProviderRecord {
    const current = this.records.get(name);
    if (!current) throw new NotFoundError({ message: `provider '${name}' does not exist` });
    if (current.version !== expectedVersion) {
      throw new ConflictError({ message: `provider '${name}' was changed concurrently (version ${current.version}, expected ${expectedVersion})` });
    }
    return current;
  }

  private emit(change: ProviderRecordChange): void {
    // Asynchronous like a real change feed, so listeners never run inside the writer's call.
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(change);
    });
  }
}
