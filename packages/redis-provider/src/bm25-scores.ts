/** Splits text into lower-case words (letters and digits of any script). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** BM25's parameters: `k1` saturates term frequency, `b` normalises by document length. */
export interface Bm25Options {
  /** Default 1.2. */
  readonly k1?: number;
  /** Default 0.75. */
  readonly b?: number;
}

/**
 * Okapi BM25 relevance of each text to the query, with the texts themselves as the corpus (so
 * term rarity is judged within the scope being searched), scaled into [0, 1) by dividing by the
 * score a document could reach at most (every query term present, with saturated frequency).
 * 0 means the text shares no word with the query.
 */
export function bm25Scores(query: string, texts: readonly string[], { k1 = 1.2, b = 0.75 }: Bm25Options = {}): number[] {
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0 || texts.length === 0) return texts.map(() => 0);
  const documents = texts.map((text) => termFrequencies(tokenize(text)));
  const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / documents.length || 1;
  const idf = terms.map((term) => {
    const containing = documents.filter((document) => document.counts.has(term)).length;
    return Math.log(1 + (documents.length - containing + 0.5) / (containing + 0.5));
  });
  const best = idf.reduce((sum, weight) => sum + weight * (k1 + 1), 0);
  return documents.map((document) => {
    let score = 0;
    terms.forEach((term, index) => {
      const frequency = document.counts.get(term) ?? 0;
      if (frequency > 0) score += (idf[index]! * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * document.length) / averageLength));
    });
    return best > 0 ? Math.min(score / best, 1) : 0;
  });
}

function termFrequencies(tokens: readonly string[]): { counts: Map<string, number>; length: number } {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return { counts, length: tokens.length };
}
