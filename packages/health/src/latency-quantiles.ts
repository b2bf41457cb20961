import { DDSketch } from '@datadog/sketches-js';

/** Latency percentiles in milliseconds. */
export interface LatencyQuantiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Relative accuracy of every latency sketch: a reported quantile is within 1 % of the true value. */
export const sketchRelativeAccuracy = 0.01;

/** A fresh DDSketch with the package's accuracy. */
export function createLatencySketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: sketchRelativeAccuracy });
}

/** p50/p95/p99 of the merged sketches, or `null` when they hold no sample. Does not modify its inputs. */
export function mergedQuantiles(sketches: readonly DDSketch[]): LatencyQuantiles | null {
  const merged = createLatencySketch();
  for (const sketch of sketches) if (sketch.count > 0) merged.merge(sketch);
  if (merged.count === 0) return null;
  return { p50: round(merged.getValueAtQuantile(0.5)), p95: round(merged.getValueAtQuantile(0.95)), p99: round(merged.getValueAtQuantile(0.99)) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
