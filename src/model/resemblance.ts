/**
 * Do ghost maps resemble the intrinsic maps they are made from? GhostNet starts from that
 * observation (Han et al., CVPR 2020, Fig. 1); here it is measured on a live model: each ghost
 * map's cosine similarity with its own source map, and which intrinsic map it is most alike.
 * Plain arrays in, numbers out: the lab, the chapters' figures and the tests share it.
 */

/** Cosine similarity of two equal-length vectors; 0 when either is all zeros; non-finite values count as 0. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = Number.isFinite(a[i]) ? a[i]! : 0;
    const y = Number.isFinite(b[i]) ? b[i]! : 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  const s = dot / Math.sqrt(na * nb);
  return s > 1 ? 1 : s < -1 ? -1 : s;
}

export interface GhostResemblance {
  /** own[j]: cosine similarity of ghost j with its source intrinsic map. */
  own: number[];
  /** nearest[j]: the intrinsic map ghost j is most alike (highest cosine similarity). */
  nearest: number[];
  /** Mean of `own`. */
  meanOwn: number;
  /** The share of ghosts whose nearest intrinsic map is their own source. */
  sourceIsNearest: number;
}

/**
 * Ghost j was made from intrinsic map `source[j]`; how alike are they, and is that source the
 * intrinsic map the ghost most resembles? Maps are equal-length arrays (one channel each).
 */
export function ghostResemblance(intrinsic: readonly ArrayLike<number>[], ghosts: readonly ArrayLike<number>[], source: readonly number[]): GhostResemblance {
  if (source.length < ghosts.length) throw new RangeError(`${ghosts.length} ghosts but ${source.length} sources`);
  const own: number[] = [];
  const nearest: number[] = [];
  ghosts.forEach((g, j) => {
    const src = source[j]!;
    if (!(src >= 0 && src < intrinsic.length)) throw new RangeError(`ghost ${j} names intrinsic map ${src} of ${intrinsic.length}`);
    let best = -1;
    let bestSim = -Infinity;
    intrinsic.forEach((m, i) => {
      const sim = cosineSimilarity(g, m);
      if (i === src) own.push(sim);
      if (sim > bestSim) [best, bestSim] = [i, sim];
    });
    nearest.push(best);
  });
  const n = ghosts.length;
  return {
    own,
    nearest,
    meanOwn: n ? own.reduce((a, b) => a + b, 0) / n : 0,
    sourceIsNearest: n ? nearest.filter((i, j) => i === source[j]).length / n : 0,
  };
}
