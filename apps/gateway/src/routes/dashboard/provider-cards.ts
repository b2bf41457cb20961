import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { LatencySample } from './latency-history.js';
import { providerTone, type ProviderView } from './provider-views.js';
import { svgLineChart } from './svg-line-chart.js';

/** What the viewer may do, and the clock the countdowns use. */
export interface ProviderCardsOptions {
  /** The key holds `provider:activate` (drain, force out, force in). */
  readonly canTrigger: boolean;
  readonly now: number;
  readonly latency: (provider: string) => readonly LatencySample[];
}

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(value < 0.1 && value > 0 ? 1 : 0)} %`);
const ms = (value: number | undefined) => (value === undefined ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));

/** The provider cards: one per provider, coloured by {@link providerTone}. */
export function renderProviderCards(views: readonly ProviderView[], options: ProviderCardsOptions): HtmlEscapedString {
  if (views.length === 0) return html`<p class="empty">No provider is registered.</p>` as HtmlEscapedString;
  return html`<div class="cards">${views.map((view) => renderCard(view, options))}</div>` as HtmlEscapedString;
}

function renderCard(view: ProviderView, { canTrigger, now, latency }: ProviderCardsOptions): HtmlEscapedString {
  const tone = providerTone(view);
  const breaker = view.breaker;
  const halfOpenIn = breaker?.state === 'open' && breaker.openUntil !== null ? Math.max(0, Math.ceil((breaker.openUntil - now) / 1000)) : null;
  const samples = latency(view.name);
  const line = (pick: (sample: LatencySample) => number | null) => samples.map(pick);
  const sparkline = svgLineChart(
    [
      { label: 'p50', color: 'var(--p50)', values: line((sample) => sample.p50) },
      { label: 'p95', color: 'var(--p95)', values: line((sample) => sample.p95) },
      { label: 'p99', color: 'var(--p99)', values: line((sample) => sample.p99) },
    ],
    { width: 240, height: 40, title: `${view.name}: p50, p95 and p99 latency over the last hour` },
  );
  return html`<article class="card tone-${tone}" id="provider-${view.name}" data-provider="${view.name}" data-tone="${tone}" data-breaker="${breaker?.state ?? 'none'}" data-breaker-opened-at="${breaker?.openedAt ?? ''}" data-admin-state="${view.adminState ?? 'none'}">
  <header><h3>${view.name}</h3><span class="badge">${view.status}</span></header>
  <dl>
    <dt>Health score</dt><dd class="score">${(view.score * 100).toFixed(0)}</dd>
    <dt>Breaker</dt><dd class="breaker">${breaker?.state ?? 'not in the pool'}${halfOpenIn === null ? '' : html` <span class="countdown">(half-open in ${halfOpenIn} s)</span>`}</dd>
    <dt>Routing</dt><dd>${view.adminState ?? '–'}${view.priority === null ? '' : ` · priority ${view.priority}`}</dd>
    <dt>Requests</dt><dd>${view.requestsPerSecond.toFixed(2)}/s</dd>
    <dt>Errors</dt><dd>${percent(view.errorRate)}</dd>
    <dt>Latency (1 min)</dt><dd>p50 ${ms(view.latencyMs?.p50)} · p95 ${ms(view.latencyMs?.p95)} · p99 ${ms(view.latencyMs?.p99)} ms</dd>
    <dt>Replication backlog</dt><dd>${view.backlog === null ? '–' : `${view.backlog.entries} entries${view.backlog.needsResync ? ' (needs resync)' : ''}`}</dd>
    <dt>Security level</dt><dd>${view.securityLevel ?? '–'}</dd>
  </dl>
  <figure class="sparkline">${sparkline}<figcaption><span class="key p50">p50</span> <span class="key p95">p95</span> <span class="key p99">p99</span> last hour</figcaption></figure>
  ${view.lastError && tone !== 'green' ? html`<p class="last-error">${view.lastError}</p>` : ''}
  ${canTrigger && view.adminState !== null ? actions(view) : ''}
</article>` as HtmlEscapedString;
}

function actions(view: ProviderView): HtmlEscapedString {
  const button = (action: string, label: string, question: string, disabled: boolean) =>
    html`<button type="button" class="action" data-action="${action}" ${disabled ? 'disabled' : ''} hx-post="/dashboard/actions/trigger" hx-vals="${JSON.stringify({ provider: view.name, action })}" hx-confirm="${question}" hx-target="#flash">${label}</button>`;
  const active = view.adminState === 'active';
  return html`<div class="actions">
    ${button('drain', 'Drain', `Drain ${view.name}? New requests stop going to it; it stays out until forced in.`, !active)}
    ${button('force_out', 'Force out', `Force ${view.name} out of rotation now?`, !active)}
    ${button('force_in', 'Force in', `Force ${view.name} back into rotation with a closed breaker?`, active && view.breaker?.state === 'closed')}
  </div>` as HtmlEscapedString;
}
