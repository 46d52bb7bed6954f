import { MlInputError } from "./errors";

/** FORMATS.md: scores for AUC/AP/log loss must be probabilities, i.e. rows that sum to 1 within this. */
export const PROBA_ROW_SUM_TOLERANCE = 1e-6;

/** Throws MlInputError unless `proba` is n x k, finite, in [0, 1], with every row summing to 1 (+-1e-6). */
export function validateProbabilities(proba: Float64Array, n: number, k: number): void {
  if (proba.length !== n * k) {
    throw new MlInputError(
      `probabilities have ${proba.length} values but ${n} rows x ${k} classes need ${n * k}; pass one column per class`,
    );
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const p = proba[i * k + c]!;
      if (!(p >= 0 && p <= 1)) {
        throw new MlInputError(
          `probability at row ${i}, class column ${c} is ${p}; scores must be probabilities in [0, 1] (e.g. softmax output)`,
          { row: i, column: c },
        );
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > PROBA_ROW_SUM_TOLERANCE) {
      throw new MlInputError(
        `probabilities in row ${i} sum to ${sum}, not 1 (tolerance ${PROBA_ROW_SUM_TOLERANCE}); ` +
          "pass normalised class probabilities, not raw scores or a subset of the classes",
        { row: i, sum },
      );
    }
  }
}

/**
 * Mean cross-entropy -1/n sum_i log p[i, y_i] with probabilities clipped to [eps, 1-eps] (eps = 1e-15 by
 * FORMATS.md) and each row renormalised after clipping, exactly as scikit-learn 1.2's log_loss does
 * (sklearn's own default eps there is float64 machine epsilon; pass eps=1e-15 to compare).
 */
export function logLoss(yTrue: Int32Array, proba: Float64Array, nClasses: number, eps = 1e-15): number {
  const n = yTrue.length;
  validateProbabilities(proba, n, nClasses);
  if (n === 0) throw new MlInputError("log loss needs at least one row");
  const lo = eps, hi = 1 - eps;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < nClasses; c++) rowSum += clip(proba[i * nClasses + c]!, lo, hi);
    const y = yTrue[i]!;
    if (y < 0 || y >= nClasses) {
      throw new MlInputError(`true label ${y} at row ${i} is outside 0..${nClasses - 1}`);
    }
    total -= Math.log(clip(proba[i * nClasses + y]!, lo, hi) / rowSum);
  }
  return total / n;
}

function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
