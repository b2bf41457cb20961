/** A seeded PRNG (mulberry32): the same seed gives the same corpus and queries on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const syllables = ['ka', 'lo', 'mi', 'ten', 'sar', 'vu', 'rel', 'po', 'din', 'gha', 'bre', 'tor', 'nu', 'fel', 'qua', 'zim', 'ost', 'per', 'lan', 'crim'];

/** A vocabulary of distinct pronounceable pseudo-words (no stop words, so every word is a lexeme). */
export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const length = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length }, () => syllables[Math.floor(random() * syllables.length)]).join(''));
  }
  return [...words];
}

/** A sentence of `min` to `max` words, drawn with a Zipf-like skew (a few common words, a long tail). */
export function sentence(words: readonly string[], random: () => number, min = 8, max = 14): string {
  const length = min + Math.floor(random() * (max - min + 1));
  return Array.from({ length }, () => words[Math.floor(words.length * random() ** 2)]).join(' ');
}
