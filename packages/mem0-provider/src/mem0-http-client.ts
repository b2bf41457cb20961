import { formatIssuePath, ProviderUnavailableError } from '@memgate/core';
import { Pool, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { mem0HttpError, mem0NetworkError } from './map-mem0-error.js';
import { resolveSecret } from './resolve-secret.js';

/** One round trip to mem0. */
export interface Mem0HttpCall<Schema extends z.ZodType> {
  readonly method: Dispatcher.HttpMethod;
  /** Path below the base URL, e.g. `/v1/memories/{id}/`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Sent as JSON when present (DELETE included: mem0's batch delete has a body). */
  readonly body?: unknown;
  /** Validates the answer; mem0's responses are untrusted input. */
  readonly schema: Schema;
  /** Names the operation in error messages, e.g. `add`. */
  readonly what: string;
}

/** What the client needs to know. */
export interface Mem0HttpClientOptions {
  readonly providerId: string;
  readonly baseUrl: string;
  /** Builds the auth headers from resolved secrets; called once, at the first call. */
  readonly authHeaders: (resolve: (secret: string) => string) => Record<string, string>;
  readonly maxResponseBytes: number;
  readonly dispatcher: Dispatcher | undefined;
}

/** A small JSON client over undici: one lazy keep-alive pool, size-capped bodies, zod-validated answers, core errors. */
export interface Mem0HttpClient {
  /**
   * Sends one request and returns the validated answer.
   * @throws RateLimitedError, ProviderUnavailableError, ProviderTimeoutError, AuthError, NotFoundError, ValidationError
   */
  send<Schema extends z.ZodType>(call: Mem0HttpCall<Schema>, signal: AbortSignal, requestId?: string): Promise<z.output<Schema>>;
  /** Closes the provider's own pool (an injected dispatcher is left open). Idempotent. */
  close(): Promise<void>;
}

/** Creates the client; opens nothing until the first `send`. */
export function createMem0HttpClient(options: Mem0HttpClientOptions): Mem0HttpClient {
  const { providerId, maxResponseBytes } = options;
  const base = options.baseUrl.replace(/\/+$/, '');
  let pool: Pool | undefined;
  let headers: Record<string, string> | undefined;
  const dispatcher = (): Dispatcher => options.dispatcher ?? (pool ??= new Pool(new URL(base).origin, { connections: 16, keepAliveTimeout: 10_000 }));

  const readBody = async (body: Dispatcher.ResponseData['body'], declared: string | string[] | undefined, what: string): Promise<string> => {
    const tooLarge = (): ProviderUnavailableError => {
      // Drop the rest of the body; the listener keeps undici's abort error from surfacing as uncaught.
      body.on('error', () => {});
      body.destroy();
      return new ProviderUnavailableError({ message: `mem0's answer to ${what} is over ${maxResponseBytes} bytes`, providerId });
    };
    if (Number(declared) > maxResponseBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxResponseBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  };

  return {
    async send(call, signal, requestId) {
      headers ??= { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'memgate-mem0', ...options.authHeaders((secret) => resolveSecret(secret, process.env, providerId)) };
      const query = Object.entries(call.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
      const url = `${base}${call.path}${query.length > 0 ? `?${new URLSearchParams(query).toString()}` : ''}`;
      let status: number;
      let text: string;
      let retryAfter: string | string[] | undefined;
      try {
        const response = await request(url, {
          method: call.method, dispatcher: dispatcher(), signal,
          headers: requestId ? { ...headers, 'x-request-id': requestId } : headers,
          ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
        });
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
        text = await readBody(response.body, response.headers['content-length'], call.what);
      } catch (error) {
        throw mem0NetworkError(error, providerId, call.what);
      }
      if (status < 200 || status >= 300) throw mem0HttpError(status, text, retryAfter, providerId, call.what);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new ProviderUnavailableError({ message: `mem0 answered ${call.what} with a body that is not JSON`, providerId, cause: error });
      }
      const parsed = call.schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new ProviderUnavailableError({ message: `mem0 answered ${call.what} with an unexpected body at ${formatIssuePath(issue.path) || 'the root'}: ${issue.message}`, providerId, cause: parsed.error });
      }
      return parsed.data;
    },
    async close() {
      const open = pool;
      pool = undefined;
      await open?.close();
    },
  };
}
