import type { DrillStrategy } from './drill-config.js';
import type { GatewayClient } from './gateway-client.js';

/** One member's breaker and counters, as `GET /providers/failover/statistics` reports them. */
export interface MemberFigures {
  readonly name: string;
  /** `closed`, `open`, `half-open` or `isolated`. */
  readonly breakerState: string;
  /** Times the breaker opened since the gateway started. */
  readonly trips: number;
  readonly failures: number;
  readonly served: number;
}

/**
 * Reads `GET /providers/failover/statistics` and returns the member named `name`.
 * @throws Error naming the status or the missing member
 */
export async function readMemberFigures(client: GatewayClient, name: string): Promise<MemberFigures> {
  const response = await client.request('GET', '/providers/failover/statistics');
  if (response.status !== 200) throw new Error(`GET /providers/failover/statistics answered ${response.status}: ${JSON.stringify(response.body)}`);
  const body = response.body as { members?: { name: string; breaker: { state: string; trips?: number }; failures: number; served: number }[] };
  const member = body.members?.find((candidate) => candidate.name === name);
  if (!member) throw new Error(`no member ${name} in /providers/failover/statistics: ${JSON.stringify(response.body).slice(0, 500)}`);
  return { name, breakerState: member.breaker.state, trips: member.breaker.trips ?? 0, failures: member.failures, served: member.served };
}

/**
 * Switches the gateway's routing strategy at run time (`PUT /providers/failover/strategy`).
 * @throws Error when the gateway does not answer 200
 */
export async function setStrategy(client: GatewayClient, strategy: DrillStrategy): Promise<void> {
  const response = await client.request('PUT', '/providers/failover/strategy', { body: { strategy } });
  if (response.status !== 200) throw new Error(`PUT /providers/failover/strategy answered ${response.status}: ${JSON.stringify(response.body)}`);
}
