/** Summary statistics of timings, shared by the Node and the browser benchmarks. */

export interface Spread {
  n: number;
  median: number;
  p10: number;
  p25: number;
  p75: number;
  p90: number;
  min: number;
  max: number;
}

/** The q-quantile of an ascending array, interpolating linearly between neighbours. */
export function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median, percentiles and range of the finite values (null when there are none). */
export function spread(values: (number | null | undefined)[]): Spread | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return { n: v.length, median: quantile(v, 0.5), p10: quantile(v, 0.1), p25: quantile(v, 0.25), p75: quantile(v, 0.75), p90: quantile(v, 0.9), min: v[0]!, max: v[v.length - 1]! };
}
