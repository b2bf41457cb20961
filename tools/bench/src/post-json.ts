import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

/** POSTs a JSON body with `Authorization: Token <key>` over `agent` (http or https by the URL); rejects unless 200. */
export function postJson(agent: HttpAgent | HttpsAgent, url: string, key: string, body: string): Promise<void> {
  const request = url.startsWith('https') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { authorization: `Token ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (incoming) => {
      incoming.resume();
      incoming.on('end', () => (incoming.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${incoming.statusCode} from ${url}`))));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** How long `work` took, in milliseconds. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
