import { MlInputError } from "./errors";
import { minimize, type LbfgsResult } from "./lbfgs";
import { parameterCount, sequentialObjective, sparseRows, weightRows, type LogisticProblem } from "./logistic-objective";
import { assertFinite, type Matrix } from "./matrix";
import { validateLabels } from "./labels";

export interface LogisticRegressionParams {
  /** Inverse L2 strength: the penalty is ||W||^2 / (2C), as in scikit-learn. Default 1. */
  C?: number;
  /** L-BFGS iteration cap. Default 100 (scikit-learn's default). */
  maxIter?: number;
  /** Stop when the largest gradient component is <= tol (scikit-learn passes tol as scipy's gtol). Default 1e-4. */
  tol?: number;
  /**
   * Stop once an iteration lowers the loss by less than this share. Default scipy's L-BFGS-B
   * default, as scikit-learn 1.2 (see SCIPY_DEFAULT_FTOL); 64 x machine epsilon reaches the exact optimum.
   */
  ftol?: number;
  fitIntercept?: boolean;
  /** Only used to name classes and features in error messages. */
  classNames?: readonly string[];
  featureNames?: readonly string[];
}

/**
 * Fitted model as plain JSON. Binary models keep one coefficient row for the positive class
 * (index 1), like scikit-learn's coef_ of shape (1, n_features); multiclass keep one row per class.
 */
export interface LogisticModelState {
  kind: "logistic-regression";
  coef: number[][];
  intercept: number[];
  nClasses: number;
  nFeatures: number;
  iterations: number;
  converged: boolean;
}

/**
 * Minimises sum_i cross-entropy_i + ||W||^2 / (2C) (intercepts unpenalised), i.e. scikit-learn 1.2's
 * LogisticRegression(solver="lbfgs") objective with its default multi_class="auto": a single
 * sigmoid for two classes, a k-row softmax for more. The two-class case deliberately does not use a
 * 2-row softmax: with the same C that is a different (half-strength-penalty) model and its
 * probabilities would not match what users get from scikit-learn.
 */
export function fitLogisticRegression(
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  params: LogisticRegressionParams = {},
): LogisticModelState {
  return solve(prepare(X, y, nClasses, params));
}

/**
 * Stop once an iteration lowers the loss by less than this share: scipy's L-BFGS-B default
 * (factr 1e7 x machine epsilon), which scikit-learn 1.2 leaves in place. Without it a fit on a
 * large table keeps going after the loss, a sum over every row, has stopped changing beyond
 * rounding, and its line searches spend several evaluations per iteration finding no decrease
 * (750k rows: 49 evaluations for 11 iterations instead of 12 for 9, with the same accuracy).
 */
const SCIPY_DEFAULT_FTOL = 1e7 * Number.EPSILON;

/** Below this many multiply-adds per objective (rows x features x weight rows), threads cost more than they save. */
const PARALLEL_MIN_WORK = 2_000_000;

/**
 * The same fit with the objective computed on `threads` threads (bit-identical results: see
 * logistic-objective.ts). Small problems stay on the calling thread.
 */
export async function fitLogisticRegressionThreaded(
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  params: LogisticRegressionParams = {},
  threads = 1,
): Promise<LogisticModelState> {
  const prepared = prepare(X, y, nClasses, params);
  const { problem, lambda, options } = prepared;
  // A binary fit stays on one thread: on 750k x 20 an evaluation takes 37 ms on one thread and
  // 21 ms on two, but copying the rows into shared memory and starting the thread cost more than
  // the ~10 evaluations save (876 ms against 489 ms for the whole fit), while 3 classes gain 1.8x.
  const computeBound = weightRows(problem) >= 3;
  if (threads <= 1 || !computeBound || problem.n * problem.d * weightRows(problem) < PARALLEL_MIN_WORK) return solve(prepared);
  const { ParallelLogisticObjective } = await import("./logistic-parallel");
  const objective = ParallelLogisticObjective.start(problem, lambda, threads);
  try {
    return toState(problem, minimize(objective.fg, new Float64Array(parameterCount(problem)), options));
  } finally {
    await objective.close();
  }
}

/** L-BFGS from zero with the objective on the calling thread. */
function solve({ problem, lambda, options }: ReturnType<typeof prepare>): LogisticModelState {
  return toState(problem, minimize(sequentialObjective(problem, lambda), new Float64Array(parameterCount(problem)), options));
}

function prepare(X: Matrix, y: Int32Array, nClasses: number, params: LogisticRegressionParams) {
  const C = params.C ?? 1;
  const maxIter = params.maxIter ?? 100;
  const tol = params.tol ?? 1e-4;
  const fitIntercept = params.fitIntercept ?? true;
  if (!(C > 0) || !Number.isFinite(C)) {
    throw new MlInputError(`C must be a positive finite number (got ${C}); larger C means weaker regularisation`);
  }
  if (!Number.isInteger(maxIter) || maxIter < 1) {
    throw new MlInputError(`maxIter must be a positive integer (got ${maxIter})`);
  }
  if (X.rows !== y.length) {
    throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} labels; they must match`);
  }
  if (X.rows < 2) {
    throw new MlInputError(`training data has ${X.rows} row(s); logistic regression needs at least 2`);
  }
  if (X.cols < 1) {
    throw new MlInputError("training data has no feature columns; select at least one numeric feature");
  }
  assertFinite(X, params.featureNames);
  validateLabels(y, nClasses, "training labels");
  requireTwoClasses(y, nClasses, params.classNames);
  const sparse = sparseRows(X.data, X.rows, X.cols) ?? undefined;
  const problem: LogisticProblem = { x: X.data, sparse, y, n: X.rows, d: X.cols, nClasses, fitIntercept };
  return { problem, lambda: 1 / C, options: { maxIter, tol, ftol: params.ftol ?? SCIPY_DEFAULT_FTOL } };
}

function toState(p: LogisticProblem, res: LbfgsResult): LogisticModelState {
  const { d, fitIntercept } = p;
  const rows = weightRows(p);
  const nW = rows * d;
  const coef: number[][] = [];
  for (let c = 0; c < rows; c++) coef.push(Array.from(res.x.subarray(c * d, (c + 1) * d)));
  const intercept = new Array<number>(rows).fill(0);
  if (fitIntercept) {
    // Softmax is unchanged by a common shift of the unpenalised intercepts; centring picks the
    // representative scikit-learn ends at (it starts from zero and the shift's gradient is always 0).
    let mean = 0;
    for (let c = 0; c < rows; c++) mean += res.x[nW + c]!;
    mean = rows > 1 ? mean / rows : 0;
    for (let c = 0; c < rows; c++) intercept[c] = res.x[nW + c]! - mean;
  }
  return {
    kind: "logistic-regression",
    coef,
    intercept,
    nClasses: p.nClasses,
    nFeatures: d,
    iterations: res.iterations,
    converged: res.converged,
  };
}

/** Class probabilities, row-major rows x nClasses. */
export function predictProbaLogistic(state: LogisticModelState, X: Matrix): Float64Array {
  if (X.cols !== state.nFeatures) {
    throw new MlInputError(
      `model was trained on ${state.nFeatures} features but the input has ${X.cols}; use the same feature columns as in training`,
    );
  }
  assertFinite(X);
  const { rows: n, cols: d, data: x } = X;
  const k = state.nClasses;
  const out = new Float64Array(n * k);
  if (k === 2) {
    const w = Float64Array.from(state.coef[0]!);
    const b = state.intercept[0]!;
    for (let i = 0; i < n; i++) {
      let s = b;
      const off = i * d;
      for (let j = 0; j < d; j++) s += w[j]! * x[off + j]!;
      const p1 = sigmoid(s);
      out[2 * i] = 1 - p1;
      out[2 * i + 1] = p1;
    }
    return out;
  }
  const W = new Float64Array(k * d);
  for (let c = 0; c < k; c++) W.set(state.coef[c]!, c * d);
  const b = Float64Array.from(state.intercept);
  const z = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let zMax = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = b[c]!;
      for (let j = 0; j < d; j++) s += W[c * d + j]! * x[off + j]!;
      z[c] = s;
      if (s > zMax) zMax = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(z[c]! - zMax);
      out[i * k + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[i * k + c]! /= sum;
  }
  return out;
}

function requireTwoClasses(y: Int32Array, nClasses: number, classNames?: readonly string[]): void {
  const first = y[0]!;
  for (let i = 1; i < y.length; i++) if (y[i] !== first) return;
  const name = classNames?.[first] !== undefined ? `'${classNames[first]}'` : `class index ${first}`;
  throw new MlInputError(
    `training data has a single class (${name}); a classifier needs at least two. ` +
      `Check the label column or the train/test split (${nClasses} classes were declared).`,
    { classIndex: first },
  );
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
