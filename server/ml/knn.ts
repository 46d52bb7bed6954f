/**
 * k-nearest neighbours by brute force on typed arrays, Euclidean distance, as scikit-learn's
 * KNeighborsClassifier / KNeighborsRegressor (weights "uniform" or "distance"). The search is
 * tiled: a block of query rows is compared against a block of training rows that stays in cache,
 * and each query keeps its k best in a small sorted buffer. Ties in distance keep the training row
 * that comes first (scikit-learn's brute search is a stable argsort too).
 */
import { MlInputError } from "./errors";
import { assertFinite, type Matrix } from "./matrix";

export type KnnWeights = "uniform" | "distance";

export interface KnnParams {
  nNeighbors?: number;
  weights?: KnnWeights;
  featureNames?: readonly string[];
}

export interface KnnState {
  kind: "knn";
  task: "classification" | "regression";
  nNeighbors: number;
  weights: KnnWeights;
  nFeatures: number;
  nClasses: number | null;
  /** Training rows, row-major. */
  X: number[];
  /** Class index (classification) or target value (regression) per training row. */
  y: number[];
}

export function fitKnn(
  X: Matrix,
  y: ArrayLike<number>,
  task: "classification" | "regression",
  nClasses: number | null,
  params: KnnParams = {},
): KnnState {
  const k = params.nNeighbors ?? 5;
  const weights = params.weights ?? "uniform";
  if (!Number.isInteger(k) || k < 1) throw new MlInputError(`nNeighbors must be a positive integer (got ${k})`, { param: "nNeighbors" });
  if (X.rows !== y.length) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${y.length} targets; they must match`);
  if (k > X.rows) {
    throw new MlInputError(`nNeighbors is ${k} but there are only ${X.rows} training rows; lower nNeighbors to at most ${X.rows}`, { param: "nNeighbors" });
  }
  if (X.cols < 1) throw new MlInputError("training data has no feature columns; select at least one numeric feature");
  assertFinite(X, params.featureNames);
  return { kind: "knn", task, nNeighbors: k, weights, nFeatures: X.cols, nClasses, X: Array.from(X.data), y: Array.from(y) };
}

/** Typed copies of the state's arrays (and squared row norms), kept per state object so repeated predictions convert once. */
const unpacked = new WeakMap<KnnState, { X: Float64Array; y: Float64Array; norms: Float64Array }>();

function typed(state: KnnState) {
  let t = unpacked.get(state);
  if (!t) {
    const X = Float64Array.from(state.X);
    t = { X, y: Float64Array.from(state.y), norms: rowNorms(X, state.nFeatures) };
    unpacked.set(state, t);
  }
  return t;
}

function rowNorms(X: Float64Array, d: number): Float64Array {
  const n = d === 0 ? 0 : X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j]! * X[i * d + j]!;
    out[i] = s;
  }
  return out;
}

const QUERY_BLOCK = 64;
/** Training rows per tile: ~128 KB of rows, an L2-sized block that stays cached across a query block. */
const TRAIN_BLOCK_BYTES = 128 * 1024;

/**
 * The k nearest training rows of every query row: indices (rows x k) and squared distances, sorted
 * by distance (ties: lower training row first). Exposed for tests.
 *
 * Exact squared distances, computed 4 queries x 4 training rows at a time (16 running sums per
 * pass over the features: each loaded value is used 4 times), over tiles of training rows that
 * stay in cache. Exact sums keep equal distances equal, so ties resolve by training row order,
 * the same way as in the ONNX export.
 */
export function kNeighbors(state: KnnState, Q: Matrix): { index: Int32Array; dist2: Float64Array } {
  const { X } = typed(state);
  const d = state.nFeatures;
  const nTrain = state.y.length;
  const k = state.nNeighbors;
  const nq = Q.rows;
  const q = Q.data;
  const index = new Int32Array(nq * k).fill(-1);
  const dist2 = new Float64Array(nq * k).fill(Infinity);
  const trainBlock = Math.max(16, Math.floor(TRAIN_BLOCK_BYTES / (8 * Math.max(1, d))) & ~3);

  const dots = new Float64Array(16);
  // worst[i]: the k-th best distance so far, checked inline before the (rare) insertion call.
  const worst = new Float64Array(nq).fill(Infinity);
  const offer = (i: number, t: number, s: number) => {
    const ko = i * k;
    let p = k - 1;
    while (p > 0 && dist2[ko + p - 1]! > s) {
      dist2[ko + p] = dist2[ko + p - 1]!;
      index[ko + p] = index[ko + p - 1]!;
      p--;
    }
    dist2[ko + p] = s;
    index[ko + p] = t;
    worst[i] = dist2[ko + k - 1]!;
  };

  for (let q0 = 0; q0 < nq; q0 += QUERY_BLOCK) {
    const q1 = Math.min(nq, q0 + QUERY_BLOCK);
    for (let t0 = 0; t0 < nTrain; t0 += trainBlock) {
      const t1 = Math.min(nTrain, t0 + trainBlock);
      const t4 = t0 + ((t1 - t0) & ~3);
      let i = q0;
      for (; i + 3 < q1; i += 4) {
        const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
        for (let t = t0; t < t4; t += 4) {
          const b0 = t * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
          for (let j = 0; j < d; j++) {
            const x0 = X[b0 + j]!, x1 = X[b1 + j]!, x2 = X[b2 + j]!, x3 = X[b3 + j]!;
            const v0 = q[a0 + j]!, v1 = q[a1 + j]!, v2 = q[a2 + j]!, v3 = q[a3 + j]!;
            // Exact squared differences, not |q|² + |x|² - 2q·x: the expanded form rounds equal
            // distances apart, and then which of several tied neighbours is kept would depend on
            // rounding rather than on the training row order (and differ from the ONNX export).
            let e = v0 - x0; s00 += e * e; e = v0 - x1; s01 += e * e; e = v0 - x2; s02 += e * e; e = v0 - x3; s03 += e * e;
            e = v1 - x0; s10 += e * e; e = v1 - x1; s11 += e * e; e = v1 - x2; s12 += e * e; e = v1 - x3; s13 += e * e;
            e = v2 - x0; s20 += e * e; e = v2 - x1; s21 += e * e; e = v2 - x2; s22 += e * e; e = v2 - x3; s23 += e * e;
            e = v3 - x0; s30 += e * e; e = v3 - x1; s31 += e * e; e = v3 - x2; s32 += e * e; e = v3 - x3; s33 += e * e;
          }
          dots[0] = s00; dots[1] = s01; dots[2] = s02; dots[3] = s03;
          dots[4] = s10; dots[5] = s11; dots[6] = s12; dots[7] = s13;
          dots[8] = s20; dots[9] = s21; dots[10] = s22; dots[11] = s23;
          dots[12] = s30; dots[13] = s31; dots[14] = s32; dots[15] = s33;
          for (let r = 0; r < 4; r++) {
            for (let c = 0; c < 4; c++) {
              const v = dots[r * 4 + c]!;
              if (v < worst[i + r]!) offer(i + r, t + c, v);
            }
          }
        }
        for (let t = t4; t < t1; t++) {
          for (let r = 0; r < 4; r++) {
            const v = exactDistance(q, (i + r) * d, X, t * d, d);
            if (v < worst[i + r]!) offer(i + r, t, v);
          }
        }
      }
      for (; i < q1; i++) {
        for (let t = t0; t < t1; t++) {
          const v = exactDistance(q, i * d, X, t * d, d);
          if (v < worst[i]!) offer(i, t, v);
        }
      }
    }
  }

  // Exact distances of the winners, re-sorted (ties: lower training row first).
  const order = Array.from({ length: k }, (_, j) => j);
  const idx = new Int32Array(k);
  const dd = new Float64Array(k);
  for (let i = 0; i < nq; i++) {
    const ko = i * k;
    for (let j = 0; j < k; j++) {
      const t = index[ko + j]!;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const diff = q[i * d + c]! - X[t * d + c]!;
        s += diff * diff;
      }
      idx[j] = t;
      dd[j] = s;
    }
    order.sort((a, b) => dd[a]! - dd[b]! || idx[a]! - idx[b]!);
    for (let j = 0; j < k; j++) {
      index[ko + j] = idx[order[j]!]!;
      dist2[ko + j] = dd[order[j]!]!;
    }
  }
  return { index, dist2 };
}

function exactDistance(q: Float64Array, qo: number, X: Float64Array, xo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const e = q[qo + j]! - X[xo + j]!;
    s += e * e;
  }
  return s;
}

/**
 * Weights of one query's neighbours: 1 (uniform) or 1/distance; when some neighbours are at
 * distance 0, only those count, equally (scikit-learn's _get_weights).
 */
function neighbourWeights(weights: KnnWeights, dist2: Float64Array, o: number, k: number, out: Float64Array): void {
  if (weights === "uniform") {
    out.fill(1);
    return;
  }
  let zero = false;
  for (let j = 0; j < k; j++) if (dist2[o + j] === 0) zero = true;
  for (let j = 0; j < k; j++) {
    const dd = dist2[o + j]!;
    out[j] = zero ? (dd === 0 ? 1 : 0) : 1 / Math.sqrt(dd);
  }
}

function checkInput(state: KnnState, Q: Matrix): void {
  if (Q.cols !== state.nFeatures) {
    throw new MlInputError(`model was trained on ${state.nFeatures} features but the input has ${Q.cols}; use the same feature columns as in training`);
  }
  assertFinite(Q);
}

/** Classification: probabilities rows x nClasses (weighted vote shares). Regression: weighted means. */
export function predictKnn(state: KnnState, Q: Matrix): Float64Array {
  checkInput(state, Q);
  const { y } = typed(state);
  const { index, dist2 } = kNeighbors(state, Q);
  const k = state.nNeighbors;
  const w = new Float64Array(k);
  if (state.task === "classification") {
    const c = state.nClasses!;
    const out = new Float64Array(Q.rows * c);
    for (let i = 0; i < Q.rows; i++) {
      neighbourWeights(state.weights, dist2, i * k, k, w);
      let total = 0;
      for (let j = 0; j < k; j++) {
        out[i * c + y[index[i * k + j]!]!]! += w[j]!;
        total += w[j]!;
      }
      for (let cc = 0; cc < c; cc++) out[i * c + cc]! /= total;
    }
    return out;
  }
  const out = new Float64Array(Q.rows);
  for (let i = 0; i < Q.rows; i++) {
    neighbourWeights(state.weights, dist2, i * k, k, w);
    let s = 0;
    let total = 0;
    for (let j = 0; j < k; j++) {
      s += w[j]! * y[index[i * k + j]!]!;
      total += w[j]!;
    }
    out[i] = s / total;
  }
  return out;
}
