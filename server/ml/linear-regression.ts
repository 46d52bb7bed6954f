/**
 * Ordinary least squares and ridge regression by the normal equations, solved with a Cholesky
 * factorisation: (Xc'Xc + alpha I) w = Xc'yc on centred data, intercept = mean(y) - mean(X) w, which
 * is scikit-learn's LinearRegression / Ridge(solver="cholesky") objective (the intercept is not
 * penalised). Without a penalty a singular X'X is an error that names the column responsible: a
 * constant column (collinear with the intercept) or one that is a linear combination of others.
 * scikit-learn's LinearRegression silently returns a minimum-norm solution there instead.
 */
import { MlInputError } from "./errors";
import { assertFinite, type Matrix } from "./matrix";

export interface LinearRegressionParams {
  /** L2 penalty on the coefficients; 0 = ordinary least squares. */
  alpha?: number;
  fitIntercept?: boolean;
  featureNames?: readonly string[];
}

export interface LinearModelState {
  kind: "linear-regression";
  coef: number[];
  intercept: number;
  nFeatures: number;
  alpha: number;
}

/** A pivot below this fraction of its column's own sum of squares means the column adds nothing new. */
const SINGULAR_RTOL = 1e-10;

export function fitLinearRegression(X: Matrix, y: Float64Array, params: LinearRegressionParams = {}): LinearModelState {
  const alpha = params.alpha ?? 0;
  const fitIntercept = params.fitIntercept ?? true;
  const names = params.featureNames;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new MlInputError(`alpha must be a finite number >= 0 (got ${alpha})`);
  if (X.rows !== y.length) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} targets; they must match`);
  if (X.rows < 1) throw new MlInputError("training data is empty");
  if (X.cols < 1) throw new MlInputError("training data has no feature columns; select at least one numeric feature");
  assertFinite(X, names);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new MlInputError(`target at row ${i} is ${y[i]}; drop or impute rows with missing targets`);
  }
  const { rows: n, cols: d, data: x } = X;

  const xMean = new Float64Array(d);
  let yMean = 0;
  if (fitIntercept) {
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let j = 0; j < d; j++) xMean[j]! += x[o + j]!;
      yMean += y[i]!;
    }
    for (let j = 0; j < d; j++) xMean[j]! /= n;
    yMean /= n;
  }

  // Gram matrix (upper triangle, then mirrored) and X'y on centred data, accumulated row by row so
  // X is read once in memory order.
  const G = new Float64Array(d * d);
  const b = new Float64Array(d);
  const xc = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) xc[j] = x[o + j]! - xMean[j]!;
    const yc = y[i]! - yMean;
    for (let j = 0; j < d; j++) {
      const v = xc[j]!;
      if (v === 0) continue;
      b[j]! += v * yc;
      const row = j * d;
      for (let k = j; k < d; k++) G[row + k]! += v * xc[k]!;
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) G[j * d + k] = G[k * d + j]!;

  const label = (j: number) => (names?.[j] !== undefined ? `'${names[j]}'` : `column ${j}`);
  if (alpha === 0) {
    // A column whose centred sum of squares is 0 is constant: it is the intercept's direction.
    for (let j = 0; j < d; j++) {
      if (G[j * d + j] === 0) {
        throw new MlInputError(
          fitIntercept
            ? `column ${label(j)} is constant, so it duplicates the intercept and X'X is singular; drop the column or use ridge regression (alpha > 0)`
            : `column ${label(j)} is all zeros, so X'X is singular; drop the column or use ridge regression (alpha > 0)`,
          { column: j, columnName: names?.[j] },
        );
      }
    }
  }
  const A = Float64Array.from(G);
  for (let j = 0; j < d; j++) A[j * d + j]! += alpha;
  const failed = choleskyInPlace(A, d, G);
  if (failed >= 0) {
    const partners = collinearPartners(G, d, failed).map(label);
    throw new MlInputError(
      `column ${label(failed)} is ${partners.length ? `a linear combination of ${partners.join(", ")}` : "collinear with earlier columns"}` +
        `${fitIntercept ? " (and the intercept)" : ""}, so X'X is singular and least squares has no unique solution; ` +
        (alpha > 0 ? `drop one of these columns or raise alpha (now ${alpha})` : "drop one of these columns or use ridge regression (alpha > 0)"),
      { column: failed, columnName: names?.[failed] },
    );
  }
  const w = choleskySolve(A, d, b);
  let intercept = 0;
  if (fitIntercept) {
    intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= xMean[j]! * w[j]!;
  }
  return { kind: "linear-regression", coef: Array.from(w), intercept, nFeatures: d, alpha };
}

export function predictLinear(state: LinearModelState, X: Matrix): Float64Array {
  if (X.cols !== state.nFeatures) {
    throw new MlInputError(`model was trained on ${state.nFeatures} features but the input has ${X.cols}; use the same feature columns as in training`);
  }
  assertFinite(X);
  const { rows: n, cols: d, data: x } = X;
  const w = Float64Array.from(state.coef);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = state.intercept;
    const o = i * d;
    for (let j = 0; j < d; j++) s += w[j]! * x[o + j]!;
    out[i] = s;
  }
  return out;
}

/**
 * Lower Cholesky factor of the symmetric d x d matrix A, written into A's lower triangle. Returns -1
 * on success, or the first column whose pivot is not clearly positive relative to that column's
 * own diagonal in `scale` (the unpenalised Gram matrix), i.e. the first column that is (nearly) in
 * the span of the columns before it.
 */
export function choleskyInPlace(A: Float64Array, d: number, scale: Float64Array): number {
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    let s = A[rj + j]!;
    for (let k = 0; k < j; k++) s -= A[rj + k]! * A[rj + k]!;
    const ref = Math.max(scale[rj + j]!, A[rj + j]!);
    if (!(s > SINGULAR_RTOL * ref) || !(s > 0)) return j;
    const ljj = Math.sqrt(s);
    A[rj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const ri = i * d;
      let t = A[ri + j]!;
      for (let k = 0; k < j; k++) t -= A[ri + k]! * A[rj + k]!;
      A[ri + j] = t / ljj;
    }
  }
  return -1;
}

/** Solves L L' x = b with the factor in A's lower triangle. */
export function choleskySolve(A: Float64Array, d: number, b: Float64Array): Float64Array {
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= A[i * d + k]! * z[k]!;
    z[i] = s / A[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < d; k++) s -= A[k * d + i]! * x[k]!;
    x[i] = s / A[i * d + i]!;
  }
  return x;
}

/**
 * The earlier columns that column `j` is a combination of: regress it on the independent columns
 * before it (least squares on their Gram block) and keep those with a non-negligible coefficient.
 */
function collinearPartners(G: Float64Array, d: number, j: number): number[] {
  // Greedily keep a linearly independent set of the columns before j.
  const kept: number[] = [];
  for (let c = 0; c < j; c++) {
    const idx = [...kept, c];
    const m = idx.length;
    const sub = new Float64Array(m * m);
    const sc = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = sc[a * m + b] = G[idx[a]! * d + idx[b]!]!;
    if (choleskyInPlace(sub, m, sc) < 0) kept.push(c);
  }
  if (!kept.length) return [];
  const m = kept.length;
  const sub = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    rhs[a] = G[kept[a]! * d + j]!;
    for (let b = 0; b < m; b++) sub[a * m + b] = G[kept[a]! * d + kept[b]!]!;
  }
  choleskyInPlace(sub, m, Float64Array.from(sub));
  const coef = choleskySolve(sub, m, rhs);
  // Compare each partner's contribution (coefficient x its scale) with column j's own scale.
  const own = Math.sqrt(G[j * d + j]!);
  return kept.filter((c, a) => Math.abs(coef[a]!) * Math.sqrt(G[c * d + c]!) > 1e-6 * own);
}
