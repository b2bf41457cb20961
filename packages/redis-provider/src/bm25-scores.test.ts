import { describe, expect, it } from 'vitest';
import { bm25Scores, tokenize } from './bm25-scores.js';

describe('bm25Scores', () => {
  it('splits words case-insensitively across scripts and punctuation', () => {
    expect(tokenize('Café, CAFÉ; 日本語 x2!')).toEqual(['café', 'café', '日本語', 'x2']);
  });

  it('scores a text that shares no word with the query 0, and every score in [0, 1)', () => {
    const scores = bm25Scores('red apple', ['red apple red apple red apple', 'banana bread', 'apple']);
    expect(scores[1]).toBe(0);
    for (const score of scores) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThan(1);
    }
  });

  it('weighs a word that few texts contain above one that most contain', () => {
    const [rare, common] = bm25Scores('the kilimanjaro', ['kilimanjaro trip', 'the trip', 'the walk', 'the run']);
    expect(rare!).toBeGreaterThan(common!);
  });

  it('ranks a short text above a long one with the same matches', () => {
    const [short, long] = bm25Scores('violin', ['violin lessons', 'violin lessons every tuesday after school with a new teacher']);
    expect(short!).toBeGreaterThan(long!);
  });

  it('rewards a repeated word with diminishing returns', () => {
    const [once, twice, tenTimes] = bm25Scores('jazz', ['jazz music here', 'jazz jazz music', `${'jazz '.repeat(10)}music`]);
    expect(twice!).toBeGreaterThan(once!);
    expect(tenTimes! - twice!).toBeLessThan(twice! - 0);
  });

  it('scores nothing for an empty query or an empty corpus', () => {
    expect(bm25Scores('?!', ['anything'])).toEqual([0]);
    expect(bm25Scores('anything', [])).toEqual([]);
  });
});
