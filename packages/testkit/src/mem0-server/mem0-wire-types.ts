/** Which mem0 surface a wire server speaks: the hosted Platform API or the self-hosted OSS REST server. */
export type Mem0WireMode = 'platform' | 'oss';

/** One request as the wire server received it, kept for parity tests. */
export interface RecordedMem0Request {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path without the query string, e.g. `/v3/memories/add/`. */
  readonly path: string;
  /** Query parameters (last value wins). */
  readonly query: Readonly<Record<string, string>>;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or `undefined` when there was none. */
  readonly body: unknown;
  /** When the server had read it (epoch milliseconds): orders what a drill's diagnosis shows. */
  readonly receivedAt?: number;
}

/** What a route answers, before faults are applied. */
export interface Mem0WireResponse {
  readonly status: number;
  /** Serialised as JSON (`null` included). */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Shorthand for a JSON response. */
export function wireJson(status: number, body: unknown, headers?: Record<string, string>): Mem0WireResponse {
  return headers ? { status, body, headers } : { status, body };
}
