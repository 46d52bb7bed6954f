/**
 * Confusion-matrix normalisation as scikit-learn's `normalize=` (FORMATS.md §1): by row ("true":
 * each true class sums to 1), by column ("pred") or by the total ("all"). A row or column with no
 * samples stays 0 rather than NaN. Written here, not imported, because the browser never loads
 * server modules at runtime.
 */
export type ConfusionMode = "counts" | "true" | "pred" | "all";

export function normalizeConfusion(matrix: readonly (readonly number[])[], mode: ConfusionMode): number[][] {
  if (mode === "counts") return matrix.map((row) => [...row]);
  const n = matrix.length;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: n }, (_, j) => matrix.reduce((a, row) => a + (row[j] ?? 0), 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  return matrix.map((row, i) =>
    row.map((v, j) => {
      const denominator = mode === "true" ? rowSums[i] : mode === "pred" ? colSums[j] : total;
      return denominator === 0 ? 0 : v / denominator;
    }),
  );
}

/** Cell colour intensity in [0, 1]: counts relative to the largest cell, fractions as they are. */
export function cellIntensity(value: number, mode: ConfusionMode, maxCount: number): number {
  if (mode === "counts") return maxCount > 0 ? value / maxCount : 0;
  if (mode === "all") return maxCount > 0 ? value / maxCount : 0;
  return value;
}

/**
 * A sequential blue scale from near-white to deep blue, interpolated in RGB; light enough at the
 * low end that zero cells recede, dark enough at the top that white text stays readable.
 */
const STOPS: [number, [number, number, number]][] = [
  [0, [247, 249, 252]],
  [0.25, [207, 223, 246]],
  [0.5, [137, 176, 235]],
  [0.75, [59, 117, 214]],
  [1, [25, 64, 160]],
];

export function heatColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let s = 1; s < STOPS.length; s++) {
    const [x1, c1] = STOPS[s];
    if (x <= x1) {
      const [x0, c0] = STOPS[s - 1];
      const f = (x - x0) / (x1 - x0);
      const mix = c0.map((v, k) => Math.round(v + (c1[k] - v) * f));
      return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
    }
  }
  return "rgb(25, 64, 160)";
}

/** Text on cells past ~55% of the scale is white; below, dark. */
export function textOnHeat(t: number): string {
  return t > 0.55 ? "#ffffff" : "#18181b";
}
