/** What one request of the load generator saw. Times are `performance.now()` milliseconds. */
export interface LoadRecord {
  /** Which concurrent client sent it (0-based). */
  readonly client: number;
  readonly op: 'read' | 'write';
  readonly startedAt: number;
  readonly endedAt: number;
  readonly latencyMs: number;
  /** HTTP status; 0 when no answer came (network error or client timeout). */
  readonly status: number;
  /** `x-memgate-provider`: the member that served it. */
  readonly provider: string | undefined;
  /** `x-memgate-fallbacks`, as a number (0 when absent). */
  readonly fallbacks: number;
  /** `Retry-After` of a non-2xx answer, when it had one (recorded by the journal load). */
  readonly retryAfter?: string;
  /** The network error, or the body of a non-2xx answer, shortened. */
  readonly error?: string;
}

/** Whether the client saw an error: no answer, or a status outside 2xx. */
export const isClientError = (record: LoadRecord): boolean => record.status < 200 || record.status >= 300;
