import { ForbiddenError, hasPermissionFor, parseApiKey } from '@memgate/security';
import { readApiKey } from '@memgate/security/hono';
import type { HealthAlert } from '@memgate/health';
import type { ProviderRegistry } from '@memgate/registry';
import { Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { raw } from 'hono/html';
import type { AppEnv } from '../../app/app-env.js';
import { handleError } from '../../app/handle-error.js';
import type { LiveFailoverPool } from '../../compose/live-failover-pool.js';
import { createFailoverRouter } from '../../failover-api/failover.index.js';
import { renderAlerts } from './alerts-panel.js';
import { runDashboardAction, strategyAction, triggerAction } from './dashboard-actions.js';
import { dashboardAssetNames, serveDashboardAsset, type DashboardAssetName } from './dashboard-assets.js';
import { streamDashboardEvents, type LivePanels } from './dashboard-events.js';
import { renderDashboardPage } from './dashboard-page.js';
import { dashboardCookie, dashboardSession } from './dashboard-session.js';
import { createDashboardSessions, type DashboardSessionsOptions } from './dashboard-sessions.js';
import { renderDecisions } from './decisions-panel.js';
import { createLatencyHistory } from './latency-history.js';
import { renderLoginPage } from './login-page.js';
import { renderProviderCards } from './provider-cards.js';
import { createProviderViews } from './provider-views.js';
import { renderTrends } from './trends-panel.js';

const hourMs = 3_600_000;
const trendHours = 7 * 24;
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  readonly pool: LiveFailoverPool;
  /** For each provider's security level. */
  readonly registry?: Pick<ProviderRegistry, 'list'>;
  readonly sessions?: DashboardSessionsOptions;
  /** Latency sparkline sampling period in ms. Default 15,000. */
  readonly latencySampleMs?: number;
}

/** The dashboard's two parts for `createApp`: the session middleware (before `authenticate`) and the routes. */
export interface Dashboard {
  readonly session: MiddlewareHandler<AppEnv>;
  readonly router: Hono<AppEnv>;
}

/**
 * The operator dashboard at `/dashboard` (see "Dashboard" in the gateway README): sign-in, the live
 * page, its event stream, trends, and the actions. Every route has a row in the
 * route-permission table and passes the app's authentication, authorization and audit like the API.
 */
export function createDashboard({ pool, registry, sessions: sessionOptions, latencySampleMs }: DashboardOptions): Dashboard {
  const sessions = createDashboardSessions(sessionOptions);
  const views = createProviderViews(pool, registry);
  const latency = createLatencyHistory({ health: pool.health, ...(latencySampleMs ? { intervalMs: latencySampleMs } : {}) });
  const failoverApi = createFailoverRouter(pool).onError(handleError);
  const recentAlerts: HealthAlert[] = [];
  pool.health.onAlert((alert) => {
    recentAlerts.unshift(alert);
    recentAlerts.length = Math.min(recentAlerts.length, 20);
  });
  const changeListeners = new Set<() => void>();
  const changed = () => changeListeners.forEach((listener) => listener());
  const onChange = (listener: () => void) => {
    changeListeners.add(listener);
    const subscriptions = [pool.onBreakerStateChange(() => listener()), pool.health.onAlert(() => listener())];
    return {
      dispose() {
        changeListeners.delete(listener);
        subscriptions.forEach((subscription) => subscription.dispose());
      },
    };
  };
  const panelsFor = (canTrigger: boolean): LivePanels => ({
    providers: async () => String(renderProviderCards(await views(), { canTrigger, now: Date.now(), latency: latency.series })),
    decisions: async () => String(renderDecisions(await pool.decisions.list({ limit: 15 }))),
    alerts: async () => String(renderAlerts(pool.health.firingAlerts(), recentAlerts)),
  });

  const router = new Hono<AppEnv>({ strict: false });
  // What a browser sends on its own (a cookie, a form) must come from this origin (Origin or
  // Sec-Fetch-Site), and a cookie session's unsafe requests must also carry the session's token. A key
  // in a header is not sent by a browser on its own: API clients need neither.
  const checkOrigin = csrf();
  router.use('/dashboard/*', async function dashboardCsrf(c, next) {
    const credential = c.var.dashboardCredential;
    if (credential === undefined || !unsafeMethods.has(c.req.method)) return next();
    if (credential === 'cookie' && c.req.header('x-csrf-token') !== c.var.dashboardSession?.csrfToken) {
      throw new ForbiddenError({ message: 'The dashboard session’s CSRF token is missing or wrong: reload the page.' });
    }
    return checkOrigin(c, next);
  });

  for (const name of dashboardAssetNames) router.get(`/dashboard/assets/${name}`, (c) => serveDashboardAsset(c, name as DashboardAssetName));
  router.get('/dashboard/login', (c) => c.html(renderLoginPage()));
  router.post('/dashboard/session', (c) => {
    // The key was checked by `authenticate` (and the permission by `authorizeRoute`) on the way here.
    const key = readApiKey(c.req.raw.headers)!;
    const session = sessions.create(key);
    setCookie(c, dashboardCookie, session.id, { path: '/dashboard', httpOnly: true, secure: new URL(c.req.url).protocol === 'https:', sameSite: 'Strict', expires: new Date(session.expiresAt) });
    c.set('auditTarget', { type: 'dashboard_session', details: { keyPrefix: parseApiKey(key)?.prefix ?? c.var.principal?.keyPrefix ?? null } });
    return c.redirect('/dashboard', 303);
  });
  router.post('/dashboard/logout', (c) => {
    const id = getCookie(c, dashboardCookie);
    if (id) sessions.delete(id);
    deleteCookie(c, dashboardCookie, { path: '/dashboard' });
    if (c.req.header('hx-request')) return c.body(null, 204, { 'hx-redirect': '/dashboard/login' });
    return c.redirect('/dashboard/login', 303);
  });
  router.get('/dashboard', async (c) => {
    const principal = c.var.principal;
    const canTrigger = hasPermissionFor(principal, 'provider:activate');
    const panels = panelsFor(canTrigger);
    const [providers, decisions, alerts] = await Promise.all([panels.providers(), panels.decisions(), panels.alerts()]);
    return c.html(
      renderDashboardPage({
        who: principal?.keyPrefix ?? principal?.id ?? 'unknown',
        csrfToken: c.var.dashboardSession?.csrfToken ?? '',
        canConfigure: hasPermissionFor(principal, 'provider:configure'),
        strategy: pool.strategyName,
        providers: raw(providers),
        decisions: raw(decisions),
        alerts: raw(alerts),
      }),
      200,
      { 'cache-control': 'no-store' },
    );
  });
  router.get('/dashboard/events', (c) => streamDashboardEvents(c, { panels: panelsFor(hasPermissionFor(c.var.principal, 'provider:activate')), onChange }));
  router.get('/dashboard/trends', async (c) => {
    const now = Date.now();
    const from = Math.floor(now / hourMs) * hourMs - (trendHours - 1) * hourMs;
    await pool.health.flushTrends();
    const names = (await views()).map((view) => view.name);
    const trends = await Promise.all(names.map(async (provider) => ({ provider, points: await pool.health.trends(provider, { from, to: now + 1 }) })));
    return c.html(renderTrends(trends, { from, hours: trendHours }));
  });
  router.post('/dashboard/actions/trigger', (c) => runDashboardAction(c, failoverApi, triggerAction, changed));
  router.post('/dashboard/actions/strategy', (c) => runDashboardAction(c, failoverApi, strategyAction, changed));

  return { session: dashboardSession({ sessions }), router };
}
