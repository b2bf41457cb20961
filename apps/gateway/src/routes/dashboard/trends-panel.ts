import type { HealthTrendPoint } from '@memgate/health';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { svgLineChart } from './svg-line-chart.js';

const hourMs = 3_600_000;

/** Hourly trends of one provider over a range of whole hours. */
export interface ProviderTrend {
  readonly provider: string;
  readonly points: readonly HealthTrendPoint[];
}

/**
 * Capacity-planning charts, one row per provider over the given hours (168 for 7 days): requests per
 * hour, error rate, p95/p99 latency and health score. An hour without a point is a gap, not a zero.
 */
export function renderTrends(trends: readonly ProviderTrend[], { from, hours }: { readonly from: number; readonly hours: number }): HtmlEscapedString {
  if (trends.length === 0) return html`<p class="empty">No provider is registered.</p>` as HtmlEscapedString;
  const day = (at: number) => new Date(at).toISOString().slice(5, 10);
  const xLabels: [string, string] = [day(from), `${day(from + (hours - 1) * hourMs)} (UTC)`];
  const chart = (title: string, series: Parameters<typeof svgLineChart>[0], format: (value: number) => string, max?: number) =>
    html`<figure><figcaption>${title}</figcaption>${svgLineChart(series, { width: 280, height: 110, axes: true, xLabels, format, title, ...(max === undefined ? {} : { max }) })}</figure>`;
  return html`${trends.map(({ provider, points }) => {
    const byHour = new Map(points.map((point) => [point.hourStart, point]));
    const hourly = <T>(pick: (point: HealthTrendPoint) => T | null): (T | null)[] => Array.from({ length: hours }, (_, index) => {
      const point = byHour.get(from + index * hourMs);
      return point ? pick(point) : null;
    });
    const observed = points.length;
    return html`<section class="trend" data-provider="${provider}">
  <h3>${provider} <small>${observed} of ${hours} hours observed</small></h3>
  <div class="trend-charts">
    ${chart(`${provider}: requests per hour`, [{ label: 'requests', color: 'var(--p50)', values: hourly((point) => point.volume) }], (value) => value.toFixed(0))}
    ${chart(`${provider}: error rate`, [{ label: 'errors', color: 'var(--red)', values: hourly((point) => (point.volume > 0 ? point.failures / point.volume : null)) }], (value) => `${(value * 100).toFixed(0)} %`)}
    ${chart(
      `${provider}: p95 and p99 latency (ms)`,
      [
        { label: 'p95', color: 'var(--p95)', values: hourly((point) => point.latencyMs?.p95 ?? null) },
        { label: 'p99', color: 'var(--p99)', values: hourly((point) => point.latencyMs?.p99 ?? null) },
      ],
      (value) => value.toFixed(0),
    )}
    ${chart(`${provider}: health score`, [{ label: 'score', color: 'var(--green)', values: hourly((point) => point.score * 100) }], (value) => value.toFixed(0), 100)}
  </div>
</section>`;
  })}` as HtmlEscapedString;
}
