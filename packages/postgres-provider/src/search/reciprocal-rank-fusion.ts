/** RRF's damping constant: 60, as in Cormack et al. (2009) and most hybrid search engines. */
export const rrfConstant = 60;

/**
 * Fuses ranked lists of ids by reciprocal rank fusion: each id scores the sum of 1 / (60 + rank)
 * over the lists it appears in (rank from 1). Scores are divided by the best possible sum (first in
 * every list), so they fall in (0, 1]. Returns ids best first; ties keep first-seen order.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[]): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (rrfConstant + index + 1)));
  const best = lists.length / (rrfConstant + 1);
  return [...scores.entries()].map(([id, score]) => ({ id, score: score / best })).sort((left, right) => right.score - left.score);
}
