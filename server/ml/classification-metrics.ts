import { MlInputError } from "./errors";
import { presentLabels, validateLabels } from "./labels";
import type { MetricWarning } from "./metric-warnings";

export type ConfusionNormalization = "true" | "pred" | "all";

/** Checks the pair of label arrays every classification metric receives. */
export function validateLabelPair(yTrue: Int32Array, yPred: Int32Array, nClasses: number): void {
  if (yTrue.length !== yPred.length) {
    throw new MlInputError(`y_true has ${yTrue.length} labels but y_pred has ${yPred.length}; they must be the same rows`);
  }
  if (yTrue.length === 0) throw new MlInputError("no rows to evaluate; the evaluation set is empty");
  validateLabels(yTrue, nClasses, "true labels");
  validateLabels(yPred, nClasses, "predicted labels");
}

/**
 * C[i][j] = count of samples with true class labels[i] predicted as labels[j]. `labels` defaults to
 * every class index 0..nClasses-1; pass `presentLabels(...)` for scikit-learn's default (sorted union
 * of the labels that occur).
 */
export function confusionMatrix(
  yTrue: Int32Array,
  yPred: Int32Array,
  nClasses: number,
  labels: readonly number[] = range(nClasses),
): number[][] {
  validateLabelPair(yTrue, yPred, nClasses);
  const pos = new Int32Array(nClasses).fill(-1);
  labels.forEach((c, i) => (pos[c] = i));
  const m = labels.length;
  const counts = new Float64Array(m * m);
  for (let s = 0; s < yTrue.length; s++) {
    const i = pos[yTrue[s]!]!, j = pos[yPred[s]!]!;
    if (i >= 0 && j >= 0) counts[i * m + j]!++;
  }
  const out: number[][] = [];
  for (let i = 0; i < m; i++) out.push(Array.from(counts.subarray(i * m, (i + 1) * m)));
  return out;
}

/** Divides by row sums ('true'), column sums ('pred') or the total ('all'); an all-zero row/column stays 0 as in sklearn. */
export function normalizeConfusionMatrix(cm: number[][], mode: ConfusionNormalization): number[][] {
  const m = cm.length;
  const rowSums = cm.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = range(m).map((j) => cm.reduce((a, r) => a + r[j]!, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  return cm.map((r, i) =>
    r.map((v, j) => {
      const denom = mode === "true" ? rowSums[i]! : mode === "pred" ? colSums[j]! : total;
      return denom === 0 ? 0 : v / denom;
    }),
  );
}

export function accuracy(yTrue: Int32Array, yPred: Int32Array): number {
  if (yTrue.length !== yPred.length || yTrue.length === 0) {
    throw new MlInputError(`accuracy needs two equally long, non-empty label arrays (got ${yTrue.length} and ${yPred.length})`);
  }
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

export interface ClassScores {
  classIndex: number;
  className: string;
  precision: number;
  recall: number;
  fBeta: number;
  support: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface AverageScores {
  precision: number;
  recall: number;
  fBeta: number;
}

export interface PrecisionRecallResult {
  beta: number;
  perClass: ClassScores[];
  macro: AverageScores;
  weighted: AverageScores;
  micro: AverageScores;
  warnings: MetricWarning[];
}

export interface PrecisionRecallOptions {
  beta?: number;
  /** Class indices to score, in output order; default: sorted union of labels in yTrue and yPred (sklearn). */
  labels?: readonly number[];
  classNames?: readonly string[];
}

/**
 * Per-class precision, recall, F-beta and support, with macro / support-weighted / micro averages,
 * following FORMATS.md section 1 (scikit-learn's precision_recall_fscore_support, zero_division=0).
 * F-beta = (1+b^2)tp / ((1+b^2)tp + b^2 fn + fp): it is only 0/0 when the class has no true and no
 * predicted samples; a class with tp = 0 but some fp/fn has a well-defined F of 0.
 */
export function precisionRecallFscore(
  yTrue: Int32Array,
  yPred: Int32Array,
  nClasses: number,
  options: PrecisionRecallOptions = {},
): PrecisionRecallResult {
  const beta = options.beta ?? 1;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new MlInputError(`beta must be a finite number >= 0 (got ${beta})`);
  validateLabelPair(yTrue, yPred, nClasses);
  const labels = options.labels ?? presentLabels(nClasses, yTrue, yPred);
  const nameOf = (c: number) => options.classNames?.[c] ?? String(c);
  const tp = new Float64Array(nClasses), fp = new Float64Array(nClasses), fn = new Float64Array(nClasses);
  for (let s = 0; s < yTrue.length; s++) {
    const t = yTrue[s]!, p = yPred[s]!;
    if (t === p) tp[t]!++;
    else {
      fp[p]!++;
      fn[t]!++;
    }
  }
  const b2 = beta * beta;
  const warnings: MetricWarning[] = [];
  const ratio = (num: number, den: number, metric: string, c: number, why: string): number => {
    if (den > 0) return num / den;
    warnings.push({
      kind: "zeroDivision",
      metric,
      classIndex: c,
      className: nameOf(c),
      message: `${metric} of class '${nameOf(c)}' is 0/0 (${why}); reported as 0`,
    });
    return 0;
  };
  const fName = beta === 1 ? "f1" : `f${beta}`;
  const perClass: ClassScores[] = labels.map((c) => {
    const TP = tp[c]!, FP = fp[c]!, FN = fn[c]!;
    return {
      classIndex: c,
      className: nameOf(c),
      precision: ratio(TP, TP + FP, "precision", c, "no sample was predicted as this class"),
      recall: ratio(TP, TP + FN, "recall", c, "no true sample of this class"),
      fBeta: ratio((1 + b2) * TP, (1 + b2) * TP + b2 * FN + FP, fName, c, "no true and no predicted sample of this class"),
      support: TP + FN,
      tp: TP,
      fp: FP,
      fn: FN,
    };
  });

  const m = perClass.length;
  const mean = (f: (s: ClassScores) => number) => (m === 0 ? 0 : perClass.reduce((a, s) => a + f(s), 0) / m);
  const totalSupport = perClass.reduce((a, s) => a + s.support, 0);
  const wmean = (f: (s: ClassScores) => number) =>
    totalSupport === 0 ? 0 : perClass.reduce((a, s) => a + f(s) * s.support, 0) / totalSupport;
  const sumTp = perClass.reduce((a, s) => a + s.tp, 0);
  const sumFp = perClass.reduce((a, s) => a + s.fp, 0);
  const sumFn = perClass.reduce((a, s) => a + s.fn, 0);
  const microDiv = (num: number, den: number) => (den > 0 ? num / den : 0);
  return {
    beta,
    perClass,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), fBeta: mean((s) => s.fBeta) },
    weighted: { precision: wmean((s) => s.precision), recall: wmean((s) => s.recall), fBeta: wmean((s) => s.fBeta) },
    // Micro pools the counts; for single-label data over all present labels this equals accuracy.
    micro: {
      precision: microDiv(sumTp, sumTp + sumFp),
      recall: microDiv(sumTp, sumTp + sumFn),
      fBeta: microDiv((1 + b2) * sumTp, (1 + b2) * sumTp + b2 * sumFn + sumFp),
    },
    warnings,
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
