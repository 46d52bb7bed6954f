import { MlInputError } from "./errors";
import type { MetricWarning } from "./metric-warnings";

export interface RegressionReport {
  task: "regression";
  mae: number;
  rmse: number;
  r2: number;
  /** Mean of |y - yhat| / |y| over rows with y != 0, as a fraction (0.05 = 5%); null when every target is 0. */
  mape: number | null;
  mapeSkippedZeroTargets: number;
  n: number;
  warnings: MetricWarning[];
}

function validatePair(yTrue: Float64Array, yPred: Float64Array): void {
  if (yTrue.length !== yPred.length) {
    throw new MlInputError(`y_true has ${yTrue.length} values but y_pred has ${yPred.length}; they must be the same rows`);
  }
  if (yTrue.length === 0) throw new MlInputError("no rows to evaluate; the evaluation set is empty");
  for (const [name, arr] of [["target", yTrue], ["prediction", yPred]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i]!)) {
        throw new MlInputError(`${name} at row ${i} is ${arr[i]}; drop or impute rows with missing targets before evaluating`, {
          row: i,
        });
      }
    }
  }
}

export function meanAbsoluteError(yTrue: Float64Array, yPred: Float64Array): number {
  validatePair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

export function rootMeanSquaredError(yTrue: Float64Array, yPred: Float64Array): number {
  validatePair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/**
 * R^2 = 1 - SS_res / SS_tot. With a constant target SS_tot = 0 and the ratio is undefined; like
 * scikit-learn (force_finite=True) we report 1 for a perfect fit and 0 otherwise, and say so.
 */
export function r2Score(yTrue: Float64Array, yPred: Float64Array): { value: number; warning: MetricWarning | null } {
  validatePair(yTrue, yPred);
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i]! - yPred[i]!) ** 2;
    ssTot += (yTrue[i]! - mean) ** 2;
  }
  if (ssTot === 0) {
    const value = ssRes === 0 ? 1 : 0;
    return {
      value,
      warning: {
        kind: "constantTarget",
        metric: "r2",
        message: `R² is undefined because every target equals ${mean} (zero variance); reported as ${value} (${
          value === 1 ? "perfect predictions" : "imperfect predictions"
        }), as scikit-learn does`,
      },
    };
  }
  return { value: 1 - ssRes / ssTot, warning: null };
}

/**
 * MAPE over rows with a non-zero target. FORMATS.md: skip zero targets and say how many. (scikit-learn
 * instead divides by max(|y|, eps), which turns a zero target into an astronomically large error.)
 */
export function meanAbsolutePercentageError(yTrue: Float64Array, yPred: Float64Array): { value: number | null; skippedZeroTargets: number } {
  validatePair(yTrue, yPred);
  let s = 0, used = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (y === 0) continue;
    s += Math.abs(y - yPred[i]!) / Math.abs(y);
    used++;
  }
  return { value: used === 0 ? null : s / used, skippedZeroTargets: yTrue.length - used };
}

export function regressionReport(yTrue: Float64Array, yPred: Float64Array): RegressionReport {
  validatePair(yTrue, yPred);
  const warnings: MetricWarning[] = [];
  const r2 = r2Score(yTrue, yPred);
  if (r2.warning) warnings.push(r2.warning);
  const mape = meanAbsolutePercentageError(yTrue, yPred);
  if (mape.skippedZeroTargets > 0) {
    warnings.push({
      kind: "skippedZeroTargets",
      metric: "mape",
      message:
        mape.value === null
          ? `MAPE is undefined: all ${mape.skippedZeroTargets} targets are 0`
          : `MAPE skipped ${mape.skippedZeroTargets} of ${yTrue.length} rows whose target is 0 (a percentage of 0 is undefined)`,
    });
  }
  return {
    task: "regression",
    mae: meanAbsoluteError(yTrue, yPred),
    rmse: rootMeanSquaredError(yTrue, yPred),
    r2: r2.value,
    mape: mape.value,
    mapeSkippedZeroTargets: mape.skippedZeroTargets,
    n: yTrue.length,
    warnings,
  };
}
