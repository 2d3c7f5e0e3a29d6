import { describe, expect, it } from 'vitest';
import { cosineSimilarity, cosineSimilarityMatrix, topSimilarPairs } from '../../src/viz/similarity';

describe('cosine similarity', () => {
  it('matches the definition', () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
  });
  it('is 0 for an all-zero map and treats non-finite values as 0', () => {
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(cosineSimilarity([1, NaN], [1, 5])).toBeCloseTo(1 / Math.sqrt(26), 12);
    expect(cosineSimilarity([Infinity, 1], [0, 1])).toBeCloseTo(1, 12);
  });
  it('rejects maps of different sizes', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
    expect(() => cosineSimilarityMatrix([[1], [1, 2]])).toThrow(RangeError);
  });
});

describe('similarity matrix', () => {
  const maps = [
    Float32Array.from([1, 0, 0, 1]),
    Float32Array.from([2, 0, 0, 2]), // same direction as 0
    Float32Array.from([0, 1, 1, 0]), // orthogonal to 0
    Float32Array.from([-1, 0, 0, -1]), // opposite of 0
    Float32Array.from([0, 0, 0, 0]), // zero map
  ];
  const m = cosineSimilarityMatrix(maps);
  const at = (i: number, j: number) => m[i * maps.length + j];
  it('is symmetric with a unit diagonal (0 for the zero map)', () => {
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(at(i, j)).toBeCloseTo(at(j, i), 6);
    expect([0, 1, 2, 3, 4].map((i) => at(i, i))).toEqual([1, 1, 1, 1, 0]);
  });
  it('agrees with the pairwise function', () => {
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) if (i !== j) expect(at(i, j)).toBeCloseTo(cosineSimilarity(maps[i], maps[j]), 6);
    expect(at(0, 1)).toBeCloseTo(1, 6);
    expect(at(0, 2)).toBeCloseTo(0, 6);
    expect(at(0, 3)).toBeCloseTo(-1, 6);
    expect(at(4, 0)).toBe(0);
  });
  it('handles no maps and one map', () => {
    expect(cosineSimilarityMatrix([]).length).toBe(0);
    expect(Array.from(cosineSimilarityMatrix([[3, 4]]))).toEqual([1]);
  });
  it('lists the most similar pairs, by value or by magnitude', () => {
    const top = topSimilarPairs(m, 5, 2);
    expect(top[0]).toMatchObject({ i: 0, j: 1 });
    expect(top[0].similarity).toBeCloseTo(1, 6);
    expect(top).toHaveLength(2);
    const byAbs = topSimilarPairs(m, 5, 4, { by: 'absolute' });
    // |±1| pairs first: (0,1), (0,3), (1,3)
    expect(byAbs.slice(0, 3).map((p) => `${p.i}-${p.j}`)).toEqual(['0-1', '0-3', '1-3']);
    expect(topSimilarPairs(m, 5, 100)).toHaveLength(10); // n(n-1)/2
    expect(topSimilarPairs(m, 5, 0)).toEqual([]);
    expect(topSimilarPairs(new Float32Array(1), 1, 3)).toEqual([]);
  });
  it('agrees with a full sort on random data, and is fast enough for 480 maps of 7×7', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const big = Array.from({ length: 480 }, () => Float32Array.from({ length: 49 }, rand));
    const t0 = performance.now();
    const mm = cosineSimilarityMatrix(big);
    const top = topSimilarPairs(mm, 480, 10);
    const ms = performance.now() - t0;
    const all: { i: number; j: number; s: number }[] = [];
    for (let i = 0; i < 480; i++) for (let j = i + 1; j < 480; j++) all.push({ i, j, s: mm[i * 480 + j] });
    all.sort((a, b) => b.s - a.s || a.i - b.i || a.j - b.j);
    expect(top.map((p) => [p.i, p.j])).toEqual(all.slice(0, 10).map((p) => [p.i, p.j]));
    expect(ms).toBeLessThan(2000);
  });
});
