/** Splits text into lower-case words (letters and digits of any script). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Relevance of a text to a query in [0, 1]: the share of the query's distinct words the text contains.
 * 0 means no word in common (not a match).
 *
 * TEMPLATE: replace with your backend's own ranking (full-text or vector), scaled into [0, 1].
 */
export function termOverlapScore(query: string, text: string): number {
  const queryTerms = new Set(tokenize(query));
  if (queryTerms.size === 0) return 0;
  const textTerms = new Set(tokenize(text));
  let shared = 0;
  for (const term of queryTerms) if (textTerms.has(term)) shared += 1;
  return shared / queryTerms.size;
}
