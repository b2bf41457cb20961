import type { GatewayClient } from '../harness/gateway-client.js';

/** What one member held, read through the gateway with every other member forced out. */
export interface MemberRead {
  readonly member: string;
  /** Every memory text found, duplicates kept. */
  readonly elements: readonly string[];
  /** Members named by `x-memgate-provider` on these reads (should be only `member`). */
  readonly servedBy: readonly string[];
  /** Of the `deletedIds` asked about, those `GET /v1/memories/{id}/` still found (200). */
  readonly deletedReadable: readonly string[];
}

const trigger = async (client: GatewayClient, provider: string, action: 'force_out' | 'force_in'): Promise<void> => {
  const response = await client.request('POST', '/providers/failover/trigger', { body: { provider, action } });
  if (response.status !== 200) throw new Error(`trigger ${action} ${provider} answered ${response.status}: ${JSON.stringify(response.body)}`);
};

/**
 * Forces `others` out of the pool (`POST /providers/failover/trigger`), lists every `userIds` scope
 * through the gateway (all pages of `POST /v3/memories/`), and forces them back in, so what comes back
 * is what `member` alone holds; then asks for each of `deletedIds` by id.
 * @throws Error when a trigger or a listing does not answer 200
 */
export async function readMemberAlone(client: GatewayClient, member: string, others: readonly string[], userIds: readonly string[], deletedIds: readonly string[] = []): Promise<MemberRead> {
  for (const other of others) await trigger(client, other, 'force_out');
  try {
    const elements: string[] = [];
    const servedBy = new Set<string>();
    for (const userId of userIds) {
      for (let page = 1; page < 100; page += 1) {
        const response = await client.request('POST', `/v3/memories/?page=${page}&page_size=100`, { body: { filters: { user_id: userId } } });
        if (response.status !== 200) throw new Error(`listing ${userId} on ${member} alone answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
        servedBy.add(String(response.headers['x-memgate-provider']));
        const body = response.body as { results: { memory: string }[]; next: string | null };
        elements.push(...body.results.map((memory) => memory.memory));
        if (!body.next) break;
      }
    }
    const deletedReadable: string[] = [];
    for (const id of deletedIds) {
      const response = await client.request('GET', `/v1/memories/${id}/`);
      if (response.status === 200) deletedReadable.push(id);
      else if (response.status !== 404) throw new Error(`GET /v1/memories/${id}/ on ${member} alone answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
    }
    return { member, elements, servedBy: [...servedBy], deletedReadable };
  } finally {
    for (const other of others) await trigger(client, other, 'force_in').catch(() => undefined);
  }
}
