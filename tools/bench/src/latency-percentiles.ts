/** The p-th percentile (0 to 100) of samples by nearest rank; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((left, right) => left - right);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Rounds to a number of significant decimals for printing and JSON. */
export const round = (value: number, decimals = 2): number => Math.round(value * 10 ** decimals) / 10 ** decimals;
