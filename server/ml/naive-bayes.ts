/**
 * Gaussian and multinomial naive Bayes, as scikit-learn's GaussianNB and MultinomialNB (fit_prior,
 * class priors from the training frequencies). A class index with no training rows (a
 * cross-validation fold that lacks a rare class) gets prior 0, so it is never predicted.
 */
import { MlInputError } from "./errors";
import { assertFinite, type Matrix } from "./matrix";
import { validateLabels } from "./labels";

export interface GaussianNbState {
  kind: "gaussian-nb";
  nClasses: number;
  nFeatures: number;
  /** log of each class's prior (-Infinity for a class without training rows). */
  classLogPrior: number[];
  /** Per class, per feature (row-major nClasses x nFeatures). */
  theta: number[];
  /** Per class variances, already including var_smoothing * max feature variance. */
  variance: number[];
  epsilon: number;
}

export interface MultinomialNbState {
  kind: "multinomial-nb";
  nClasses: number;
  nFeatures: number;
  classLogPrior: number[];
  /** log P(feature | class), row-major nClasses x nFeatures. */
  featureLogProb: number[];
  alpha: number;
}

function checkFit(X: Matrix, y: Int32Array, nClasses: number, featureNames?: readonly string[]): void {
  if (X.rows !== y.length) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} labels; they must match`);
  if (X.rows < 1) throw new MlInputError("training data is empty");
  if (X.cols < 1) throw new MlInputError("training data has no feature columns; select at least one numeric feature");
  assertFinite(X, featureNames);
  validateLabels(y, nClasses, "training labels");
}

function classCounts(y: Int32Array, nClasses: number): Float64Array {
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts;
}

/**
 * GaussianNB: per-class means and (population) variances; every variance gets
 * epsilon = varSmoothing * (largest feature variance over all rows) added, as scikit-learn does.
 */
export function fitGaussianNb(
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  params: { varSmoothing?: number; featureNames?: readonly string[] } = {},
): GaussianNbState {
  const varSmoothing = params.varSmoothing ?? 1e-9;
  if (!(varSmoothing >= 0) || !Number.isFinite(varSmoothing)) throw new MlInputError(`varSmoothing must be >= 0 (got ${varSmoothing})`, { param: "varSmoothing" });
  checkFit(X, y, nClasses, params.featureNames);
  const { rows: n, cols: d, data: x } = X;
  const counts = classCounts(y, nClasses);

  // Two passes (mean, then squared deviations) for the same accuracy as numpy's var.
  const allMean = new Float64Array(d);
  const theta = new Float64Array(nClasses * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const co = y[i]! * d;
    for (let j = 0; j < d; j++) {
      allMean[j]! += x[o + j]!;
      theta[co + j]! += x[o + j]!;
    }
  }
  for (let j = 0; j < d; j++) allMean[j]! /= n;
  for (let c = 0; c < nClasses; c++) for (let j = 0; j < d; j++) theta[c * d + j] = counts[c]! > 0 ? theta[c * d + j]! / counts[c]! : 0;
  const allVar = new Float64Array(d);
  const variance = new Float64Array(nClasses * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const co = y[i]! * d;
    for (let j = 0; j < d; j++) {
      const a = x[o + j]! - allMean[j]!;
      allVar[j]! += a * a;
      const b = x[o + j]! - theta[co + j]!;
      variance[co + j]! += b * b;
    }
  }
  let maxVar = 0;
  for (let j = 0; j < d; j++) maxVar = Math.max(maxVar, allVar[j]! / n);
  const epsilon = varSmoothing * maxVar;
  for (let c = 0; c < nClasses; c++) {
    for (let j = 0; j < d; j++) {
      const v = counts[c]! > 0 ? variance[c * d + j]! / counts[c]! : 1;
      variance[c * d + j] = v + epsilon;
    }
  }
  for (let c = 0; c < nClasses; c++) {
    for (let j = 0; j < d; j++) {
      if (!(variance[c * d + j]! > 0)) {
        throw new MlInputError(
          `every feature is constant, so Gaussian naive Bayes has zero variance to work with; raise varSmoothing above 0 or add informative columns`,
          { param: "varSmoothing" },
        );
      }
    }
  }
  return {
    kind: "gaussian-nb",
    nClasses,
    nFeatures: d,
    classLogPrior: Array.from(counts, (c) => Math.log(c / n)),
    theta: Array.from(theta),
    variance: Array.from(variance),
    epsilon,
  };
}

export function predictProbaGaussianNb(state: GaussianNbState, X: Matrix): Float64Array {
  checkPredict(state.nFeatures, X);
  const { rows: n, cols: d, data: x } = X;
  const k = state.nClasses;
  const theta = Float64Array.from(state.theta);
  const inv = Float64Array.from(state.variance, (v) => 1 / v);
  const base = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Math.log(2 * Math.PI * state.variance[c * d + j]!);
    base[c] = state.classLogPrior[c]! - 0.5 * s;
  }
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      if (base[c] === -Infinity) {
        out[i * k + c] = -Infinity;
        continue;
      }
      let s = 0;
      const co = c * d;
      for (let j = 0; j < d; j++) {
        const diff = x[o + j]! - theta[co + j]!;
        s += diff * diff * inv[co + j]!;
      }
      out[i * k + c] = base[c]! - 0.5 * s;
    }
  }
  softmaxRowsInPlace(out, n, k);
  return out;
}

/**
 * MultinomialNB for counts (or TF-IDF weights): log P(x_j | c) = log((N_cj + alpha) / (N_c + alpha d)).
 * Like scikit-learn 1.2 (force_alpha=False), alpha below 1e-10 is raised to 1e-10 so no log(0) appears.
 */
export function fitMultinomialNb(
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  params: { alpha?: number; featureNames?: readonly string[] } = {},
): MultinomialNbState {
  const alphaIn = params.alpha ?? 1;
  if (!(alphaIn >= 0) || !Number.isFinite(alphaIn)) throw new MlInputError(`alpha must be >= 0 (got ${alphaIn})`, { param: "alpha" });
  const alpha = Math.max(alphaIn, 1e-10);
  checkFit(X, y, nClasses, params.featureNames);
  assertNonNegative(X, params.featureNames);
  const { rows: n, cols: d, data: x } = X;
  const counts = classCounts(y, nClasses);
  const fc = new Float64Array(nClasses * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const co = y[i]! * d;
    for (let j = 0; j < d; j++) fc[co + j]! += x[o + j]!;
  }
  const flp = new Float64Array(nClasses * d);
  for (let c = 0; c < nClasses; c++) {
    let total = 0;
    for (let j = 0; j < d; j++) total += fc[c * d + j]! + alpha;
    const logTotal = Math.log(total);
    for (let j = 0; j < d; j++) flp[c * d + j] = Math.log(fc[c * d + j]! + alpha) - logTotal;
  }
  return {
    kind: "multinomial-nb",
    nClasses,
    nFeatures: d,
    classLogPrior: Array.from(counts, (c) => Math.log(c / n)),
    featureLogProb: Array.from(flp),
    alpha,
  };
}

export function predictProbaMultinomialNb(state: MultinomialNbState, X: Matrix): Float64Array {
  checkPredict(state.nFeatures, X);
  assertNonNegative(X);
  const { rows: n, cols: d, data: x } = X;
  const k = state.nClasses;
  const flp = Float64Array.from(state.featureLogProb);
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      const prior = state.classLogPrior[c]!;
      if (prior === -Infinity) {
        out[i * k + c] = -Infinity;
        continue;
      }
      let s = prior;
      const co = c * d;
      for (let j = 0; j < d; j++) {
        const v = x[o + j]!;
        if (v !== 0) s += v * flp[co + j]!;
      }
      out[i * k + c] = s;
    }
  }
  softmaxRowsInPlace(out, n, k);
  return out;
}

function assertNonNegative(X: Matrix, featureNames?: readonly string[]): void {
  const { data, cols } = X;
  for (let p = 0; p < data.length; p++) {
    if (data[p]! < 0) {
      const r = Math.floor(p / cols);
      const c = p % cols;
      const name = featureNames?.[c] !== undefined ? `column '${featureNames[c]}'` : `column ${c}`;
      throw new MlInputError(
        `${name} has a negative value (${data[p]}) at row ${r}; multinomial naive Bayes needs counts or frequencies >= 0 ` +
          "(e.g. Vectorize text output). Use Gaussian naive Bayes for signed features, or do not standardise these columns",
        { row: r, column: c, columnName: featureNames?.[c] },
      );
    }
  }
}

function checkPredict(nFeatures: number, X: Matrix): void {
  if (X.cols !== nFeatures) {
    throw new MlInputError(`model was trained on ${nFeatures} features but the input has ${X.cols}; use the same feature columns as in training`);
  }
  assertFinite(X);
}

/** Turns rows of joint log-likelihoods into probabilities (log-sum-exp, stable). */
function softmaxRowsInPlace(a: Float64Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (a[o + c]! > max) max = a[o + c]!;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = a[o + c] === -Infinity ? 0 : Math.exp(a[o + c]! - max);
      a[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) a[o + c]! /= sum;
  }
}
