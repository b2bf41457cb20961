import type { RoutingDecision } from '@memgate/failover';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

const time = (at: number) => new Date(at).toISOString().slice(11, 23);

/** The newest routing decisions as a table: when, what, the order tried, who served, fallbacks, outcome. */
export function renderDecisions(decisions: readonly RoutingDecision[]): HtmlEscapedString {
  if (decisions.length === 0) return html`<p class="empty">No routing decision yet.</p>` as HtmlEscapedString;
  return html`<table class="decisions">
  <thead><tr><th>time (UTC)</th><th>operation</th><th>strategy</th><th>tried</th><th>served by</th><th>fallbacks</th><th>ms</th><th>outcome</th></tr></thead>
  <tbody>${decisions.map(
    (decision) =>
      html`<tr class="${decision.outcome}${decision.fallbacks > 0 || decision.panic ? ' fell-back' : ''}"><td>${time(decision.startedAt)}</td><td>${decision.operation}</td><td>${decision.strategy}</td><td>${decision.attempts.map((attempt) => `${attempt.provider}${attempt.outcome === 'success' ? '' : ` (${attempt.outcome})`}`).join(' → ') || '–'}</td><td>${decision.chosen ?? 'none'}</td><td>${decision.fallbacks}${decision.panic ? ' (panic)' : ''}</td><td>${decision.durationMs.toFixed(1)}</td><td>${decision.outcome}${decision.error ? `: ${decision.error.message}` : ''}</td></tr>`,
  )}</tbody>
</table>` as HtmlEscapedString;
}
