/** p-th percentile (0–100) by linear interpolation between closest ranks; undefined for no values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Rounds for JSON answers: ratios to 4 decimals, seconds to 0.1 s. */
export const round = (value: number | undefined, decimals: number): number | null =>
  value === undefined || !Number.isFinite(value) ? null : Math.round(value * 10 ** decimals) / 10 ** decimals;
