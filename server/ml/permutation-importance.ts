/**
 * Permutation feature importance, as scikit-learn's sklearn.inspection.permutation_importance: the
 * drop in score when one column's values are shuffled (breaking its link with the target), over
 * `repeats` shuffles; mean and (population) standard deviation per feature. Scored with the model's
 * own predict on the evaluated rows; accuracy for classifiers, R² for regressors.
 */
import { MlInputError } from "./errors";
import type { Matrix } from "./matrix";
import { Rng } from "./rng";

export interface FeatureImportance {
  feature: string;
  mean: number;
  std: number;
}

export interface PermutationImportanceOptions {
  task: "classification" | "regression";
  repeats?: number;
  seed?: number;
  featureNames: readonly string[];
  /** Called after each feature with (done, total). */
  onProgress?(done: number, total: number): void;
}

/**
 * `predict` returns probabilities rows x k (classification; the arg-max is the prediction) or values
 * (regression). `y` holds class indices or values. Returns features sorted by mean importance,
 * largest first (ties keep column order). The baseline score is returned too.
 */
export async function permutationImportance(
  X: Matrix,
  y: Int32Array | Float64Array,
  predict: (X: Matrix) => Float64Array | Promise<Float64Array>,
  options: PermutationImportanceOptions,
): Promise<{ baseline: number; metric: "accuracy" | "r2"; importances: FeatureImportance[] }> {
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new MlInputError(`importanceRepeats must be a whole number >= 1 (got ${repeats})`, { param: "importanceRepeats" });
  if (X.rows !== y.length) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} targets; they must match`);
  if (options.featureNames.length !== X.cols) throw new MlInputError(`${options.featureNames.length} feature names for ${X.cols} columns`);
  const score = options.task === "classification" ? accuracyOf(y as Int32Array, X.rows) : r2Of(y as Float64Array);
  const baseline = score(await predict(X));
  const rng = new Rng(options.seed ?? 0);
  const work: Matrix = { data: Float64Array.from(X.data), rows: X.rows, cols: X.cols };
  const { rows: n, cols: d } = X;
  const column = new Float64Array(n);
  const out: FeatureImportance[] = [];
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) column[i] = X.data[i * d + j]!;
    const drops = new Float64Array(repeats);
    for (let r = 0; r < repeats; r++) {
      const perm = rng.permutation(n);
      for (let i = 0; i < n; i++) work.data[i * d + j] = column[perm[i]!]!;
      drops[r] = baseline - score(await predict(work));
    }
    for (let i = 0; i < n; i++) work.data[i * d + j] = column[i]!;
    let mean = 0;
    for (const v of drops) mean += v;
    mean /= repeats;
    let ss = 0;
    for (const v of drops) ss += (v - mean) ** 2;
    out.push({ feature: options.featureNames[j]!, mean, std: Math.sqrt(ss / repeats) });
    options.onProgress?.(j + 1, d);
  }
  const order = out.map((_, j) => j).sort((a, b) => out[b]!.mean - out[a]!.mean || a - b);
  return { baseline, metric: options.task === "classification" ? "accuracy" : "r2", importances: order.map((j) => out[j]!) };
}

function accuracyOf(y: Int32Array, n: number): (proba: Float64Array) => number {
  return (proba) => {
    const k = proba.length / n;
    let hit = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
      if (best === y[i]) hit++;
    }
    return hit / n;
  };
}

/** R² = 1 - SS_res / SS_tot; a constant target scores 1 for a perfect fit, else 0 (scikit-learn). */
function r2Of(y: Float64Array): (pred: Float64Array) => number {
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let ssTot = 0;
  for (const v of y) ssTot += (v - mean) ** 2;
  return (pred) => {
    let ssRes = 0;
    for (let i = 0; i < y.length; i++) ssRes += (y[i]! - pred[i]!) ** 2;
    if (ssTot === 0) return ssRes === 0 ? 1 : 0;
    return 1 - ssRes / ssTot;
  };
}
