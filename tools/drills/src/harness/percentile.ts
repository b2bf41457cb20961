/**
 * The `p`-th percentile (0..100) of `values` by the nearest-rank method; `NaN` for no values.
 * Nearest rank returns an observed value, so "p99 under 400 ms" is a statement about real requests.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
