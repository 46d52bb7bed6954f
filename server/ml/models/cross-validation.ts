/**
 * k-fold and stratified k-fold assignment, and the per-fold scores that Cross-validate and Tune
 * report. Folds are a pure function of (rows or labels, k, seed): the same seed gives the same
 * folds on every machine and whatever the thread count.
 */
import { MlInputError } from "../errors";
import type { Matrix } from "../matrix";
import { takeRows } from "../matrix";
import { classificationReport, regressionReport } from "../metrics";
import { Rng } from "../rng";
import { fitModel } from "./fit";
import { modelParamsOf, requireModel } from "./registry";
import type { ModelTask } from "./types";

/**
 * Fold of every row for k-fold: rows are shuffled with the seed, then cut into k consecutive
 * blocks, the first n % k one row larger (scikit-learn's KFold(shuffle=True) sizes).
 */
export function kFoldAssignment(n: number, k: number, seed: number): Int32Array {
  checkFolds(n, k);
  const perm = new Rng(seed).permutation(n);
  const foldOf = new Int32Array(n);
  const base = Math.floor(n / k);
  const extra = n % k;
  let p = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    for (let s = 0; s < size; s++) foldOf[perm[p++]!] = f;
  }
  return foldOf;
}

/**
 * Fold of every row for stratified k-fold: each class's rows are shuffled with the seed, the classes
 * are laid end to end and rows are dealt to folds round-robin. Every fold then holds each class's
 * count divided by k (rounded up or down), and fold sizes differ by at most one row.
 */
export function stratifiedKFoldAssignment(y: Int32Array, nClasses: number, k: number, seed: number): Int32Array {
  checkFolds(y.length, k);
  const rng = new Rng(seed);
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < y.length; i++) byClass[y[i]!]!.push(i);
  const foldOf = new Int32Array(y.length);
  let p = 0;
  for (const rows of byClass) {
    rng.shuffle(rows);
    for (const i of rows) foldOf[i] = p++ % k;
  }
  return foldOf;
}

function checkFolds(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new MlInputError(`folds must be a whole number >= 2 (got ${k})`, { param: "folds" });
  if (k > n) throw new MlInputError(`folds is ${k} but there are only ${n} rows; every fold needs at least one row, so use at most ${n} folds`, { param: "folds" });
}

/** Train and test row indices of one fold. */
export function foldRows(foldOf: Int32Array, fold: number): { train: Int32Array; test: Int32Array } {
  let nTest = 0;
  for (let i = 0; i < foldOf.length; i++) if (foldOf[i] === fold) nTest++;
  const train = new Int32Array(foldOf.length - nTest);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < foldOf.length; i++) {
    if (foldOf[i] === fold) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

export interface ClassificationFoldMetrics {
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  /** Binary: the positive class's AUC; multiclass: one-vs-rest macro. Null when undefined in the fold. */
  rocAuc: number | null;
  logLoss: number | null;
}

export interface RegressionFoldMetrics {
  r2: number;
  rmse: number;
  mae: number;
}

export type FoldMetrics = ClassificationFoldMetrics | RegressionFoldMetrics;

/** The fold's scores from the model's raw output (probabilities or values). */
export function scoreFold(
  task: ModelTask,
  yTrue: Int32Array | Float64Array,
  output: Float64Array,
  classNames: readonly string[] | null,
): FoldMetrics {
  if (task === "regression") {
    const r = regressionReport(yTrue as Float64Array, output);
    return { r2: r.r2, rmse: r.rmse, mae: r.mae };
  }
  const k = classNames!.length;
  const n = yTrue.length;
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (output[i * k + c]! > output[i * k + best]!) best = c;
    pred[i] = best;
  }
  const r = classificationReport(yTrue as Int32Array, pred, output, classNames!, { maxCurvePoints: 2 });
  const auc = r.rocAuc ? (r.rocAuc.positiveClass ? (r.rocAuc.perClass[r.rocAuc.positiveClass] ?? null) : r.rocAuc.macro) : null;
  return { accuracy: r.accuracy, macroF1: r.averages.macro.f1, weightedF1: r.averages.weighted.f1, rocAuc: auc, logLoss: r.logLoss };
}

/**
 * Mean and population standard deviation (numpy's default, as in scikit-learn's cv_results_) of each
 * metric over folds; a metric undefined in some fold averages over the folds that define it, and is
 * null if none does.
 */
export function summariseFolds(folds: FoldMetrics[]): { mean: Record<string, number | null>; std: Record<string, number | null> } {
  const mean: Record<string, number | null> = {};
  const std: Record<string, number | null> = {};
  const keys = folds.length ? Object.keys(folds[0]!) : [];
  for (const key of keys) {
    const values = folds.map((f) => (f as unknown as Record<string, number | null>)[key]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    if (!values.length) {
      mean[key] = null;
      std[key] = null;
      continue;
    }
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[key] = m;
    std[key] = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
  }
  return { mean, std };
}

/** What every fold of one dataset shares. */
export interface CvData {
  X: Matrix;
  y: Int32Array | Float64Array;
  task: ModelTask;
  classNames: readonly string[] | null;
  featureNames: readonly string[];
  foldOf: Int32Array;
}

export interface FoldJob {
  /** Caller's id (a trial number); echoed back. */
  id: number;
  fold: number;
  modelId: string;
  /** Flat params: the model's own are picked out and parsed. */
  params: Record<string, unknown>;
  seed: number;
}

export type FoldOutcome =
  | { id: number; fold: number; ok: true; metrics: FoldMetrics; seconds: number }
  | { id: number; fold: number; ok: false; error: string; param?: string; seconds: number };

/** Fits on every fold but one and scores on that one. Never throws for bad data: returns the message. */
export async function runFoldJob(data: CvData, job: FoldJob): Promise<FoldOutcome> {
  const start = performance.now();
  try {
    const spec = requireModel(job.modelId);
    const params = modelParamsOf(spec, job.params);
    const { train, test } = foldRows(data.foldOf, job.fold);
    const y = data.y;
    const pick = (rows: Int32Array) => (y instanceof Int32Array ? Int32Array.from(rows, (i) => y[i]!) : Float64Array.from(rows, (i) => y[i]!));
    const state = await fitModel(spec, takeRows(data.X, train), pick(train), {
      task: data.task,
      nClasses: data.classNames?.length ?? 0,
      params,
      seed: job.seed,
      featureNames: data.featureNames,
      classNames: data.classNames ?? undefined,
      // A fold job already runs on one of several threads (or is small): no nested threads.
      threads: 1,
    });
    const out = spec.predict(state, takeRows(data.X, test));
    const metrics = scoreFold(data.task, pick(test), out, data.classNames);
    return { id: job.id, fold: job.fold, ok: true, metrics, seconds: (performance.now() - start) / 1000 };
  } catch (error) {
    if (!(error instanceof MlInputError)) throw error;
    const param = typeof error.details?.param === "string" ? error.details.param : undefined;
    return { id: job.id, fold: job.fold, ok: false, error: error.message, param, seconds: (performance.now() - start) / 1000 };
  }
}
