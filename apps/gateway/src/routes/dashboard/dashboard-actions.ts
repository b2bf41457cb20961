import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../../app/app-env.js';

/** Which REST admin route a dashboard action goes through. */
export interface DashboardAction {
  readonly method: 'POST' | 'PUT';
  readonly path: '/providers/failover/trigger' | '/providers/failover/strategy';
  /** One line for the page when it worked. */
  readonly describe: (answer: Record<string, unknown>) => string;
}

export const triggerAction: DashboardAction = {
  method: 'POST',
  path: '/providers/failover/trigger',
  describe: (answer) => `${String(answer.provider)}: ${String(answer.action).replace('_', ' ')} done; routing state ${String(answer.admin_state)}, breaker ${String((answer.breaker as { state?: string } | null)?.state ?? '–')}.`,
};

export const strategyAction: DashboardAction = {
  method: 'PUT',
  path: '/providers/failover/strategy',
  describe: (answer) => `Routing strategy: ${String(answer.previous)} → ${String(answer.strategy)}.`,
};

/**
 * Runs a dashboard action through the REST admin route's own handler (`failoverApi`, the failover
 * router without the app's middleware, which already ran for the dashboard route): the same body
 * validation, the same pool call, the same answer. The dashboard route's row in the permission table
 * copies the REST row's permission and audit action. Answers a one-line HTML message with the REST
 * route's status.
 */
export async function runDashboardAction(c: Context<AppEnv>, failoverApi: OpenAPIHono<AppEnv>, action: DashboardAction, onDone: () => void): Promise<Response> {
  const fields = await readFields(c);
  const answer = await failoverApi.request(action.path, { method: action.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  const body = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
  if (answer.ok) onDone();
  const message = answer.ok ? action.describe(body) : `Refused (${answer.status}): ${String(body.error ?? body.detail ?? answer.statusText)}`;
  return c.html(html`<span class="${answer.ok ? 'ok' : 'error'}">${message}</span>`, answer.status as 200);
}

/** The request's fields: a form (htmx) or a JSON object (an API client). */
async function readFields(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body: unknown = await c.req.json().catch(() => undefined);
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  }
  const form = await c.req.parseBody();
  return Object.fromEntries(Object.entries(form).filter(([name]) => !name.startsWith('_')));
}
