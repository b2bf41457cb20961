import type { HealthAlert } from '@memgate/health';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

const time = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19);

/** The alerts firing now, then the latest alert events (firing and resolved), newest first. */
export function renderAlerts(firing: readonly HealthAlert[], recent: readonly HealthAlert[]): HtmlEscapedString {
  const row = (alert: HealthAlert) =>
    html`<li class="alert ${alert.state} severity-${alert.severity}"><span class="when">${time(alert.state === 'resolved' ? (alert.resolvedAt ?? alert.startedAt) : alert.startedAt)}</span> <strong>${alert.rule}</strong> on <em>${alert.provider}</em> ${alert.state}: ${alert.summary}</li>`;
  return html`<h3>Firing now (${firing.length})</h3>
${firing.length === 0 ? html`<p class="empty">No alert is firing.</p>` : html`<ul class="alerts">${firing.map(row)}</ul>`}
<h3>Latest events</h3>
${recent.length === 0 ? html`<p class="empty">No alert event since this gateway started.</p>` : html`<ul class="alerts">${recent.map(row)}</ul>`}` as HtmlEscapedString;
}
