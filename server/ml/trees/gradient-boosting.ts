/**
 * Histogram gradient boosting as scikit-learn 1.2's HistGradientBoostingClassifier / Regressor
 * (sklearn/ensemble/_hist_gradient_boosting/gradient_boosting.py): the same defaults, binning,
 * losses (log_loss: one tree per iteration for two classes, one per class for more; squared_error),
 * baseline, tree growth (hgb-grower.ts) and early stopping ("auto" = on above 10 000 rows, on the
 * loss of a stratified 10 % validation split, stop when none of the last nIterNoChange scores beat
 * the one before them by more than tol).
 *
 * Each node's histograms and split search are shared across worker threads (hgb-threads.ts) when
 * threads > 1.
 */
import { availableParallelism } from "node:os";
import { MlInputError } from "../errors";
import type { Matrix } from "../matrix";
import { Rng } from "../rng";
import { applyBinMapper, fitBinMapper, MAX_BINS, type BinMapper } from "./binning";
import {
  checkClassLabels,
  checkFeatures,
  checkInt,
  checkMaxDepth,
  checkRegressionTarget,
  checkSeed,
  checkThreads,
  deriveSeed,
  throwIfAborted,
  toArray,
  yieldToEventLoop,
  type TrainingNames,
} from "./common";
import { BINNING_STREAM } from "./forest-tree";
import { addBinnedPredictions, HgbGrower, type HgbTree } from "./hgb-grower";
import { HgbMemory } from "./hgb-memory";
import { GRADIENT_ROWS, histogramOffsets, softmaxBytes, type HgbData } from "./hgb-node-job";
import { SLAB_HISTOGRAMS } from "./hgb-protocol";
import { NodeJobRunner } from "./hgb-threads";
import type { FittedTree, TreeEnsembleState } from "./types";

export interface GradientBoostingParams extends TrainingNames {
  /** Shrinkage of every leaf value. Default 0.1. */
  learningRate?: number;
  /** Boosting iterations (trees per class for multiclass). Default 100. */
  maxIter?: number;
  /** Leaves per tree; null = no limit. Default 31. */
  maxLeafNodes?: number | null;
  /** Default null (no limit). */
  maxDepth?: number | null;
  /** Default 20. */
  minSamplesLeaf?: number;
  /** L2 penalty on leaf values. Default 0. */
  l2Regularization?: number;
  /** Bins per feature, 2..255. Default 255. */
  maxBins?: number;
  /** "auto" (default): on when there are more than 10 000 rows. */
  earlyStopping?: "auto" | boolean;
  /** Share of rows held out to score early stopping; null = score on the training rows. Default 0.1. */
  validationFraction?: number | null;
  /** Default 10. */
  nIterNoChange?: number;
  /** Default 1e-7. */
  tol?: number;
  seed?: number;
  /**
   * Threads building histograms. Default: os.availableParallelism(), except that small fits
   * (training rows x features < 1M) stay on one thread. The model does not depend on this.
   */
  threads?: number;
  /** Called after each iteration with the fraction of maxIter done (early stopping jumps to 1). */
  onProgress?: (fraction: number) => void;
  /** Checked between iterations. */
  signal?: AbortSignal;
}

const AUTO_THREADS_MIN_WORK = 1_000_000;
/** sklearn's y_true dtype eps, the clip of the class priors in the baseline. */
const EPS = 2.220446049250313e-16;

export async function fitGradientBoostingClassifier(X: Matrix, y: Int32Array, nClasses: number, params: GradientBoostingParams = {}): Promise<TreeEnsembleState> {
  checkFeatures(X, y.length, params, "gradient-boosting model");
  checkClassLabels(y, nClasses, params);
  return fitBoosting(X, y, null, nClasses, params);
}

export async function fitGradientBoostingRegressor(X: Matrix, y: Float64Array, params: GradientBoostingParams = {}): Promise<TreeEnsembleState> {
  checkFeatures(X, y.length, params, "gradient-boosting model");
  checkRegressionTarget(y);
  return fitBoosting(X, null, y, 0, params);
}

function checkPositive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new MlInputError(`${name} must be a positive number (got ${v})`);
  return v;
}

async function fitBoosting(
  X: Matrix,
  yClass: Int32Array | null,
  yReal: Float64Array | null,
  nClasses: number,
  params: GradientBoostingParams,
): Promise<TreeEnsembleState> {
  const learningRate = checkPositive("learningRate", params.learningRate ?? 0.1);
  const maxIter = checkInt("maxIter", params.maxIter ?? 100, 1);
  const maxLeafNodes = params.maxLeafNodes === null ? Infinity : checkInt("maxLeafNodes", params.maxLeafNodes ?? 31, 2, "a tree needs at least 2 leaves");
  const maxDepth = checkMaxDepth(params.maxDepth ?? null);
  const minSamplesLeaf = checkInt("minSamplesLeaf", params.minSamplesLeaf ?? 20, 1);
  const l2 = params.l2Regularization ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new MlInputError(`l2Regularization must be a number >= 0 (got ${l2})`);
  const maxBins = params.maxBins ?? MAX_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new MlInputError(`maxBins must be a whole number in 2..${MAX_BINS} for gradient boosting (got ${maxBins})`);
  }
  const esParam = params.earlyStopping ?? "auto";
  if (esParam !== "auto" && typeof esParam !== "boolean") {
    throw new MlInputError(`earlyStopping must be "auto", true or false (got ${JSON.stringify(esParam)})`);
  }
  const validationFraction = params.validationFraction === undefined ? 0.1 : params.validationFraction;
  if (validationFraction !== null && !(validationFraction > 0 && validationFraction < 1)) {
    throw new MlInputError(`validationFraction must be in (0, 1), or null to score on the training rows (got ${validationFraction})`);
  }
  const nIterNoChange = checkInt("nIterNoChange", params.nIterNoChange ?? 10, 1);
  const tol = params.tol ?? 1e-7;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new MlInputError(`tol must be a number >= 0 (got ${tol})`);
  const seed = checkSeed(params.seed ?? 0);
  const { signal, onProgress } = params;
  throwIfAborted(signal);

  const n = X.rows;
  const d = X.cols;
  const earlyStopping = esParam === "auto" ? n > 10_000 : esParam;
  const classification = yClass !== null;
  const K = classification && nClasses > 2 ? nClasses : 1;

  // Hold out the validation rows before binning, as sklearn does. The bins are learned and
  // applied on the rows of X in place (binning's `rows`), not on copies.
  let trainRows: Int32Array | undefined;
  let valRows: Int32Array | null = null;
  let ytrClass = yClass;
  let ytrReal = yReal;
  let yvalClass: Int32Array | null = null;
  let yvalReal: Float64Array | null = null;
  if (earlyStopping && validationFraction !== null) {
    const { train, val } = validationSplit(n, yClass, nClasses, validationFraction, new Rng(deriveSeed(seed, VALIDATION_STREAM)));
    if (train.length < 1) throw new MlInputError(`with ${n} rows no row is left for training after holding out the validation fraction ${validationFraction}`);
    trainRows = train;
    valRows = val;
    if (yClass) {
      ytrClass = pick(yClass, train);
      yvalClass = pick(yClass, val);
    } else {
      ytrReal = pick(yReal!, train);
      yvalReal = pick(yReal!, val);
    }
  }
  const nTr = trainRows ? trainRows.length : n;
  const mapper = fitBinMapper(X, { maxBins, seed: deriveSeed(seed, BINNING_STREAM), rows: trainRows });

  let threads = checkThreads(params.threads, availableParallelism());
  if (params.threads === undefined && nTr * d < AUTO_THREADS_MIN_WORK) threads = 1;
  threads = Math.min(threads, d);

  // The rows' codes, indices, gradients and hessians, and then the histograms, in one memory that
  // the WebAssembly loops (assembly/boosting.ts) and the kernel threads share (hgb-memory.ts).
  const binOff = histogramOffsets(mapper.nBins);
  // Its first size: the arrays below and one slab of histograms; it grows when a tree needs more.
  const memory = new HgbMemory(nTr * d + 3 * nTr * 4 + 2 * K * nTr * 4 + K * nTr * 8 + SLAB_HISTOGRAMS * binOff[d]! * 3 * 8);
  const at = {
    codes: memory.alloc(nTr * d),
    idx: memory.alloc(nTr * 4),
    grad: memory.alloc(K * nTr * 4),
    hess: memory.alloc(K * nTr * 4),
    scratch: memory.alloc(nTr * 4),
    raw: memory.alloc(K * nTr * 8),
    classes: classification ? memory.alloc(nTr * 4) : 0,
    softmax: classification ? memory.alloc(Math.ceil(nTr / GRADIENT_ROWS) * softmaxBytes(K)) : 0,
  };
  if (classification) new Int32Array(memory.buffer, at.classes, nTr).set(ytrClass!);
  const data: HgbData = {
    nRows: nTr,
    nFeatures: d,
    codes: applyBinMapper(X, mapper, new Uint8Array(memory.buffer, at.codes, nTr * d), trainRows),
    nBins: mapper.nBins,
    binOff,
    idx: new Int32Array(memory.buffer, at.idx, nTr),
    grad: new Float32Array(memory.buffer, at.grad, K * nTr),
    hess: new Float32Array(memory.buffer, at.hess, K * nTr),
    hessianIsOne: !classification,
    at,
    trees: K,
  };
  const nVal = valRows ? valRows.length : 0;
  const valCodes = valRows ? applyBinMapper(X, mapper, new Uint8Array(nVal * d), valRows) : null;

  const runner = await NodeJobRunner.start(data, { l2, minLeaf: minSamplesLeaf }, threads, memory);
  const trees: FittedTree[] = [];
  let baseline: number[];
  try {
    const grower = new HgbGrower(data, runner, { maxLeafNodes, maxDepth, minSamplesLeaf, l2Regularization: l2, learningRate });
    baseline = classification ? classBaseline(ytrClass!, nClasses, K) : [mean(ytrReal!)];
    const raw = new Float64Array(memory.buffer, at.raw, K * nTr);
    const rawVal = new Float64Array(K * nVal);
    for (let k = 0; k < K; k++) {
      raw.fill(baseline[k]!, k * nTr, (k + 1) * nTr);
      rawVal.fill(baseline[k]!, k * nVal, (k + 1) * nVal);
    }
    if (!classification) data.hess.fill(1);
    const scores: number[] = [];
    const score = (): number =>
      valCodes ? -meanLoss(rawVal, nVal, K, yvalClass, yvalReal) : -meanLoss(raw, nTr, K, ytrClass, ytrReal);
    if (earlyStopping) scores.push(score());

    for (let it = 0; it < maxIter; it++) {
      if (classification) runner.gradients();
      else for (let i = 0; i < nTr; i++) data.grad[i] = raw[i]! - ytrReal![i]!;
      for (let k = 0; k < K; k++) {
        const tree = grower.grow(k * nTr, raw, k * nTr);
        trees.push(toFitted(tree, mapper, K, k));
        if (valCodes) addBinnedPredictions(tree, valCodes, nVal, rawVal, k * nVal);
      }
      let stop = false;
      if (earlyStopping) {
        scores.push(score());
        stop = shouldStop(scores, nIterNoChange, tol);
      }
      onProgress?.(stop ? 1 : (it + 1) / maxIter);
      if (stop) break;
      if (it + 1 < maxIter) {
        await yieldToEventLoop();
        throwIfAborted(signal);
      }
    }
  } finally {
    await runner.close();
  }

  const nOutputs = classification ? (K === 1 ? 1 : nClasses) : 1;
  return {
    kind: "tree-ensemble",
    algorithm: "gradient-boosting",
    task: classification ? "classification" : "regression",
    nFeatures: d,
    nClasses: classification ? nClasses : null,
    nOutputs,
    trees,
    aggregate: "sum",
    baseScore: baseline,
    postTransform: classification ? (K === 1 ? "logistic" : "softmax") : "none",
  };
}

const VALIDATION_STREAM = 0x7ffffffe;

function pick<T extends Int32Array | Float64Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]!]!;
  return out;
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/**
 * sklearn's train_test_split(test_size=f, stratify=y for classifiers): ceil(f * n) rows held out,
 * spread over the classes in proportion (largest remainders), drawn at random within each class.
 */
function validationSplit(n: number, y: Int32Array | null, nClasses: number, fraction: number, rng: Rng): { train: Int32Array; val: Int32Array } {
  const nVal = Math.ceil(fraction * n);
  const isVal = new Uint8Array(n);
  if (y) {
    const members: number[][] = Array.from({ length: nClasses }, () => []);
    for (let i = 0; i < n; i++) members[y[i]!]!.push(i);
    const take = members.map((m) => Math.floor((nVal * m.length) / n));
    let left = nVal - take.reduce((a, b) => a + b, 0);
    const order = members
      .map((m, c) => ({ c, r: (nVal * m.length) / n - take[c]! }))
      .sort((a, b) => b.r - a.r || a.c - b.c);
    for (const { c } of order) {
      if (left === 0) break;
      if (take[c]! < members[c]!.length) {
        take[c]!++;
        left--;
      }
    }
    members.forEach((m, c) => {
      const arr = Int32Array.from(m);
      rng.shuffle(arr);
      for (let i = 0; i < take[c]!; i++) isVal[arr[i]!] = 1;
    });
  } else {
    const perm = rng.permutation(n);
    for (let i = 0; i < nVal; i++) isVal[perm[i]!] = 1;
  }
  const train = new Int32Array(n - nVal);
  const val = new Int32Array(nVal);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isVal[i]) val[b++] = i;
    else train[a++] = i;
  }
  return { train, val };
}

/**
 * sklearn's baseline (HalfBinomialLoss / HalfMultinomialLoss.fit_intercept_only): the log-odds
 * of the class-1 prior for two classes; for more, log(prior_k) minus the mean of the log priors
 * (priors clipped to [eps, 1 - eps]).
 */
function classBaseline(y: Int32Array, nClasses: number, K: number): number[] {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);
  if (K === 1) {
    const p = clip(counts[1]! / y.length);
    return [Math.log(p / (1 - p))];
  }
  const logs = Array.from(counts, (c) => Math.log(clip(c / y.length)));
  const m = logs.reduce((a, b) => a + b, 0) / K;
  return logs.map((l) => l - m);
}

/** Mean loss (sklearn's _loss(y, raw)): half binomial, half multinomial or half squared error. */
function meanLoss(raw: Float64Array, n: number, K: number, yClass: Int32Array | null, yReal: Float64Array | null): number {
  let s = 0;
  if (yReal) {
    for (let i = 0; i < n; i++) {
      const e = yReal[i]! - raw[i]!;
      s += 0.5 * e * e;
    }
  } else if (K === 1) {
    for (let i = 0; i < n; i++) {
      const r = raw[i]!;
      const log1pexp = r > 0 ? r + Math.log1p(Math.exp(-r)) : Math.log1p(Math.exp(r));
      s += log1pexp - yClass![i]! * r;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, raw[k * n + i]!);
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(raw[k * n + i]! - max);
      s += max + Math.log(se) - raw[yClass![i]! * n + i]!;
    }
  }
  return s / n;
}

/** sklearn's _should_stop: stop unless one of the last nIterNoChange scores beats the one before them by more than tol. */
function shouldStop(scores: number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (scores.length < ref) return false;
  const reference = scores[scores.length - ref]! + tol;
  for (let i = scores.length - ref + 1; i < scores.length; i++) if (scores[i]! > reference) return false;
  return true;
}

function toFitted(tree: HgbTree, mapper: BinMapper, K: number, k: number): FittedTree {
  const nNodes = tree.feature.length;
  const threshold = new Array<number>(nNodes);
  const value = new Array<number>(nNodes * K).fill(0);
  for (let i = 0; i < nNodes; i++) {
    const f = tree.feature[i]!;
    threshold[i] = f >= 0 ? mapper.thresholds[f]![tree.binThreshold[i]!]! : 0;
    value[i * K + k] = tree.value[i]!;
  }
  return {
    feature: toArray(tree.feature),
    threshold,
    left: toArray(tree.left),
    right: toArray(tree.right),
    value,
  };
}
