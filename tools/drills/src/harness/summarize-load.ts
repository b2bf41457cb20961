import { isClientError, type LoadRecord } from './load-record.js';
import { percentile } from './percentile.js';

/** Figures of a load run around one fault. Latencies in milliseconds. */
export interface LoadSummary {
  readonly requests: number;
  readonly clientErrors: number;
  /** Up to five errors, for failure messages. */
  readonly errorSamples: readonly LoadRecord[];
  /** Requests that started while the fault was on. */
  readonly duringFault: { readonly requests: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** From the fault to the end of the first request (started after it) that `backup` served; `undefined` if none did. */
  readonly failoverMs: number | undefined;
  /** Requests per serving member (`x-memgate-provider`; `none` when absent). */
  readonly servedBy: Readonly<Record<string, number>>;
}

/**
 * Summarises `records` around a fault that started at `faultAt` and ended at `healAt` (default:
 * never), with `backup` the member expected to take over. Times are `performance.now()` milliseconds.
 */
export function summarizeLoad(records: readonly LoadRecord[], fault: { faultAt: number; healAt?: number; backup?: string }): LoadSummary {
  const healAt = fault.healAt ?? Number.POSITIVE_INFINITY;
  const errors = records.filter(isClientError);
  const during = records.filter((record) => record.startedAt >= fault.faultAt && record.startedAt < healAt);
  const latencies = during.map((record) => record.latencyMs);
  const firstOnBackup = during
    .filter((record) => record.provider === fault.backup && !isClientError(record))
    .reduce<number | undefined>((first, record) => (first === undefined || record.endedAt < first ? record.endedAt : first), undefined);
  const servedBy: Record<string, number> = {};
  for (const record of records) servedBy[record.provider ?? 'none'] = (servedBy[record.provider ?? 'none'] ?? 0) + 1;
  return {
    requests: records.length,
    clientErrors: errors.length,
    errorSamples: errors.slice(0, 5),
    duringFault: { requests: during.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies.length ? Math.max(...latencies) : Number.NaN },
    failoverMs: firstOnBackup === undefined ? undefined : firstOnBackup - fault.faultAt,
    servedBy,
  };
}
