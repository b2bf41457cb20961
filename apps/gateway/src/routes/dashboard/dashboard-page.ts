import { routingStrategies } from '@memgate/registry';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** Options of {@link renderDashboardPage}. */
export interface DashboardPageOptions {
  /** Who is signed in (the key's display prefix or principal id). */
  readonly who: string;
  /** The session's CSRF token, sent by htmx on every request; empty for a header-key caller (no cookie, nothing to forge). */
  readonly csrfToken: string;
  /** The key holds `provider:configure` (strategy). */
  readonly canConfigure: boolean;
  readonly strategy: string;
  /** First render of the live panels, so the page paints complete before the stream connects. */
  readonly providers: HtmlEscapedString;
  readonly decisions: HtmlEscapedString;
  readonly alerts: HtmlEscapedString;
}

// htmx swaps error answers too (into #flash): a refused action says why instead of doing nothing.
const htmxConfig = JSON.stringify({ responseHandling: [{ code: '204', swap: false }, { code: '...', swap: true }], allowEval: false, includeIndicatorStyles: false });

/**
 * The dashboard: provider cards, routing decisions and alerts (live over server-sent events from
 * `/dashboard/events`), hourly trends (loaded from `/dashboard/trends`, refreshed every minute), and
 * the operator actions. Scripts are htmx and its SSE extension, served by the gateway itself.
 */
export function renderDashboardPage(options: DashboardPageOptions): HtmlEscapedString {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${htmxConfig}">
<title>memgate dashboard</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/htmx.min.js"></script>
<script src="/dashboard/assets/sse.min.js"></script>
</head>
<body hx-headers="${JSON.stringify({ 'x-csrf-token': options.csrfToken })}">
<header class="top">
  <h1>memgate</h1>
  <span class="who">signed in as ${options.who}</span>
  <button type="button" hx-post="/dashboard/logout" hx-swap="none">Sign out</button>
</header>
<main hx-ext="sse" sse-connect="/dashboard/events">
  <div id="flash" role="status" aria-live="polite"></div>
  <section class="panel" id="providers-panel">
    <h2>Providers <span class="live">live</span>
      ${options.canConfigure ? strategyForm(options.strategy) : html`<span class="live">strategy: ${options.strategy}</span>`}
    </h2>
    <div id="providers" sse-swap="providers">${options.providers}</div>
  </section>
  <div class="two">
    <section class="panel"><h2>Routing decisions <span class="live">newest first, live</span></h2><div id="decisions" sse-swap="decisions">${options.decisions}</div></section>
    <section class="panel"><h2>Alerts <span class="live">live</span></h2><div id="alerts" sse-swap="alerts">${options.alerts}</div></section>
  </div>
  <section class="panel"><h2>Hourly trends, last 7 days</h2><div id="trends" hx-get="/dashboard/trends" hx-trigger="load, every 60s"><p class="empty">Loading…</p></div></section>
</main>
</body>
</html>` as HtmlEscapedString;
}

function strategyForm(current: string): HtmlEscapedString {
  return html`<form class="strategy" hx-post="/dashboard/actions/strategy" hx-target="#flash" hx-confirm="Switch the routing strategy for the next requests?">
  <label>strategy <select name="strategy">${routingStrategies.map((name) => html`<option value="${name}" ${name === current ? 'selected' : ''}>${name}</option>`)}</select></label>
  <button type="submit">Apply</button>
</form>` as HtmlEscapedString;
}
