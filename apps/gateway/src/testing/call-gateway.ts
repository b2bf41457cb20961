/** A gateway's answer, its body parsed when it is JSON. */
export interface GatewayAnswer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

/**
 * Sends one request to a gateway at `base`, with `key` as `Authorization: Token` (none when
 * `undefined`) and a JSON body when one is given; parses a JSON answer.
 */
export async function callGateway(base: string, key: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<GatewayAnswer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key === undefined ? {} : { authorization: `Token ${key}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}
