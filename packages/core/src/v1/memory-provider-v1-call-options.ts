/** The authenticated caller on whose behalf a call is made. */
export interface MemoryPrincipal {
  /** Stable id of the key, certificate or user. */
  readonly id: string;
  /** Granted permissions, e.g. `memory:read`. */
  readonly permissions?: readonly string[];
}

/** Options every provider operation takes. */
export interface MemoryProviderV1CallOptions {
  /** Aborts the call. Every provider honours it: the call rejects with `AbortedError` promptly. */
  readonly signal?: AbortSignal;
  /** Absolute deadline (epoch milliseconds). Past it the call rejects with `ProviderTimeoutError`. */
  readonly deadline?: number;
  /** Correlates logs and upstream requests. */
  readonly requestId?: string;
  /** Who the call is for; informative for providers, enforced by the gateway. */
  readonly principal?: MemoryPrincipal;
}
