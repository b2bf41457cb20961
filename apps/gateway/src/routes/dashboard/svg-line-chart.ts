import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/** One line of a chart: its values (oldest first; `null` is a gap) and CSS colour. */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** Options of {@link svgLineChart}. */
export interface SvgLineChartOptions {
  readonly width: number;
  readonly height: number;
  /** The y axis' top; default the largest value (at least 1). */
  readonly max?: number;
  /** Draws the top value and the x labels (first and last): a chart, not a sparkline. Default false. */
  readonly axes?: boolean;
  /** Formats the top value when `axes` is on. */
  readonly format?: (value: number) => string;
  /** The labels under the first and last x positions when `axes` is on. */
  readonly xLabels?: readonly [string, string];
  /** For screen readers. */
  readonly title: string;
}

/**
 * An inline SVG line chart, drawn on the server: one polyline per run of non-null values of each
 * series, all series on one x scale (the longest series' length) and one y scale from 0.
 */
export function svgLineChart(series: readonly ChartSeries[], { width, height, max, axes = false, format = String, xLabels, title }: SvgLineChartOptions): HtmlEscapedString {
  const pad = axes ? { left: 44, right: 6, top: 8, bottom: 16 } : { left: 1, right: 1, top: 2, bottom: 2 };
  const count = Math.max(2, ...series.map((line) => line.values.length));
  const top = max ?? Math.max(1, ...series.flatMap((line) => line.values.filter((value): value is number => value !== null)));
  const x = (index: number) => pad.left + (index / (count - 1)) * (width - pad.left - pad.right);
  const y = (value: number) => pad.top + (1 - Math.min(value, top) / top) * (height - pad.top - pad.bottom);
  const lines = series.flatMap((line) => runs(line.values).map((run) => (run.length === 1 ? `<circle cx="${x(run[0]![0]).toFixed(1)}" cy="${y(run[0]![1]).toFixed(1)}" r="1.5" fill="${line.color}"/>` : `<polyline fill="none" stroke="${line.color}" stroke-width="1.5" points="${run.map(([index, value]) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}"/>`)));
  const frame = axes
    ? `<line x1="${pad.left}" y1="${height - pad.bottom}" x2="${width - pad.right}" y2="${height - pad.bottom}" class="axis"/><line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${height - pad.bottom}" class="axis"/>` +
      `<text x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end" class="tick">${escapeText(format(top))}</text><text x="${pad.left - 4}" y="${height - pad.bottom}" text-anchor="end" class="tick">0</text>` +
      (xLabels ? `<text x="${pad.left}" y="${height - 3}" class="tick">${escapeText(xLabels[0])}</text><text x="${width - pad.right}" y="${height - 3}" text-anchor="end" class="tick">${escapeText(xLabels[1])}</text>` : '')
    : '';
  return html`<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${title}</title>${raw(frame)}${raw(lines.join(''))}</svg>` as HtmlEscapedString;
}

/** Runs of consecutive non-null values, as [index, value] pairs. */
function runs(values: readonly (number | null)[]): [number, number][][] {
  const result: [number, number][][] = [];
  let current: [number, number][] = [];
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) result.push(current);
      current = [];
    } else current.push([index, value]);
  });
  if (current.length > 0) result.push(current);
  return result;
}

function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
