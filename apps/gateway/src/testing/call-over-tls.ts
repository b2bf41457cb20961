import { request } from 'node:https';

/** A client certificate to present, PEM. */
export interface ClientCredentials {
  readonly cert: string;
  readonly key: string;
}

/** What the gateway answered over HTTPS. */
export interface TlsResponse {
  readonly status: number;
  readonly body: any;
}

/**
 * One HTTPS request over a fresh TLS connection (no agent, so every call is its own handshake),
 * trusting `ca` for the server and presenting `client` when given. Rejects when the connection fails.
 */
export function callOverTls(url: string, { ca, client, apiKey, method = 'GET', body }: { ca: string; client?: ClientCredentials; apiKey?: string; method?: string; body?: unknown }): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ...(apiKey ? { authorization: `Token ${apiKey}` } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) };
    const outgoing = request(url, { method, ca, agent: false, headers, ...(client ? { cert: client.cert, key: client.key } : {}) }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
