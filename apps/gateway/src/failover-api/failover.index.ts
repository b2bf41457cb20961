import { OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '@memgate/core';
import type { AppEnv } from '../app/app-env.js';
import type { LiveFailoverPool } from '../compose/live-failover-pool.js';
import { managementHook } from '../providers-api/management-hook.js';
import { healthOverviewRoute, historyRoute, providerHealthRoute, providerMetricsRoute, providerTrendsRoute, statisticsRoute, strategyRoute, triggerRoute } from './failover.routes.js';
import { toSnakeCase } from './to-snake-case.js';

const hourMs = 3_600_000;

/**
 * The health and failover endpoints over the gateway's pool: `/providers/health`,
 * `/providers/{name}/health|metrics|trends`, `/providers/failover/statistics|history|trigger|strategy`.
 * Mount it before the registry's `/providers/{name}` routes, which would otherwise take
 * `/providers/health` for a provider named "health".
 */
export function createFailoverRouter(pool: LiveFailoverPool): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: managementHook });
  const memberOf = (name: string) => pool.statistics().members.find((member) => member.name === name);
  const healthOf = (name: string) => {
    const snapshot = pool.health.snapshot(name);
    const member = memberOf(name);
    if (!snapshot && !member) throw new NotFoundError({ message: `the health monitor knows no provider named '${name}'` });
    return { snapshot, member };
  };
  const healthView = (name: string) => {
    const { snapshot, member } = healthOf(name);
    return {
      provider: name,
      status: 'unknown',
      score: 0,
      up: false,
      uptime: 0,
      consecutive_failures: 0,
      windows: emptyWindows,
      ...toSnakeCase(snapshot ?? {}),
      admin_state: member?.adminState ?? null,
      breaker: member ? toSnakeCase(member.breaker) : null,
    };
  };

  router.openapi(healthOverviewRoute, (c) => {
    const snapshot = pool.health.snapshot();
    const names = [...new Set([...Object.keys(snapshot.providers), ...pool.statistics().members.map((member) => member.name)])].sort();
    return c.json({ at: snapshot.at, providers: names.map(healthView), firing_alerts: toSnakeCase(pool.health.firingAlerts()) }, 200);
  });
  router.openapi(statisticsRoute, (c) => c.json(toSnakeCase(pool.statistics()), 200));
  router.openapi(historyRoute, async (c) => c.json({ decisions: toSnakeCase(await pool.decisions.list(c.req.valid('query'))) }, 200));
  router.openapi(triggerRoute, async (c) => {
    const { provider, action } = c.req.valid('json');
    if (action === 'force_out') pool.forceOut(provider);
    else if (action === 'force_in') pool.forceIn(provider);
    else await pool.drain(provider);
    const member = memberOf(provider)!;
    return c.json({ provider, action, admin_state: member.adminState, breaker: toSnakeCase(member.breaker) }, 200);
  });
  router.openapi(strategyRoute, (c) => {
    const previous = pool.strategyName;
    pool.setStrategy(c.req.valid('json').strategy);
    return c.json({ strategy: pool.strategyName, previous }, 200);
  });
  router.openapi(providerHealthRoute, (c) => c.json(healthView(c.req.valid('param').name), 200));
  router.openapi(providerMetricsRoute, (c) => {
    const name = c.req.valid('param').name;
    const { snapshot, member } = healthOf(name);
    return c.json(
      {
        provider: name,
        score: snapshot?.score ?? 0,
        windows: snapshot ? toSnakeCase(snapshot.windows) : emptyWindows,
        breaker: member ? toSnakeCase(member.breaker) : null,
        attempts: member?.attempts ?? 0,
        successes: member?.successes ?? 0,
        failures: member?.failures ?? 0,
        served: member?.served ?? 0,
        in_flight: member?.inFlight ?? 0,
        ceiling: member?.ceiling ? toSnakeCase(member.ceiling) : null,
      },
      200,
    );
  });
  router.openapi(providerTrendsRoute, async (c) => {
    const name = c.req.valid('param').name;
    const to = Date.now();
    const from = Math.floor((to - (c.req.valid('query').hours ?? 24) * hourMs) / hourMs) * hourMs;
    await pool.health.flushTrends();
    return c.json({ provider: name, from, to, points: toSnakeCase(await pool.health.trends(name, { from, to: to + 1 })) }, 200);
  });
  return router;
}

const emptyWindow = { volume: 0, successes: 0, failures: 0, success_rate: null, latency_ms: null };
const emptyWindows = { '1m': emptyWindow, '5m': emptyWindow, '1h': emptyWindow };
