import { Pool } from 'undici';

/** One answered HTTP exchange with the gateway. */
export interface GatewayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  readonly body: unknown;
  /** From sending the request to the end of the body, in milliseconds. */
  readonly latencyMs: number;
}

/** A small HTTP client for a running gateway, authenticated with its admin key. */
export interface GatewayClient {
  /**
   * Sends one request. `body` is sent as JSON.
   * @throws Error on a network failure or when `timeoutMs` (default 10,000) passes without an answer
   */
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number }): Promise<GatewayResponse>;
  /** Closes its connections. */
  close(): Promise<void>;
}

/**
 * A keep-alive undici `Pool` to `url` with `connections` sockets (default 16), sending
 * `Authorization: Token <adminKey>`.
 */
export function createGatewayClient(url: string, adminKey: string, connections = 16): GatewayClient {
  const pool = new Pool(url, { connections, keepAliveTimeout: 30_000 });
  return {
    async request(method, path, options = {}) {
      const timeoutMs = options.timeoutMs ?? 10_000;
      const started = performance.now();
      const response = await pool.request({
        method: method as 'GET',
        path,
        headers: {
          authorization: `Token ${adminKey}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      const latencyMs = performance.now() - started;
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (an HTML page or an empty body): keep the text.
      }
      return { status: response.statusCode, headers: response.headers, body, latencyMs };
    },
    close: () => pool.close(),
  };
}
