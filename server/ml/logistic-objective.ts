/**
 * The logistic-regression objective, sum_i cross-entropy_i + ||W||^2 / (2C), computed in fixed
 * blocks of rows. Each block's loss and gradient are summed on their own and the blocks are then
 * added in block order, so the result is bit-identical whether the blocks ran on one thread or on
 * several (logistic-parallel.ts): a fit does not depend on the machine's core count.
 *
 * Parameter layout: two classes -> [w (d), b] for the positive class (a single sigmoid, as
 * scikit-learn); k > 2 classes -> [W (k x d, row per class), b (k)]. b is absent without an intercept.
 */
import type { ObjectiveWithGradient } from "./lbfgs";

export interface LogisticProblem {
  /** Row-major n x d features. */
  x: Float64Array;
  /**
   * The same rows in compressed sparse row form, when most values are zero (TF-IDF, one-hot): the
   * kernels then visit only the non-zeros, one row at a time. The dense kernels take rows four at a
   * time, so the two round differently in the last bits (1e-15 relative); each is bit-identical on
   * any number of threads.
   */
  sparse?: SparseRows;
  y: Int32Array;
  n: number;
  d: number;
  nClasses: number;
  fitIntercept: boolean;
}

export interface SparseRows {
  /** Row i's entries are indptr[i] .. indptr[i + 1] - 1. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Below this share of non-zeros the sparse kernels are used (measured: ~15% TF-IDF fits 4x faster). */
export const SPARSE_DENSITY = 0.3;

/** CSR rows of a dense matrix, or null when more than SPARSE_DENSITY of it is non-zero. */
export function sparseRows(x: Float64Array, n: number, d: number): SparseRows | null {
  let nnz = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nnz++;
  if (nnz > SPARSE_DENSITY * n * d) return null;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[off + j]!;
      if (v !== 0) {
        indices[q] = j;
        values[q++] = v;
      }
    }
    indptr[i + 1] = q;
  }
  return { indptr, indices, values };
}

export const BLOCK_ROWS = 4096;

export function blockCount(n: number): number {
  return Math.ceil(n / BLOCK_ROWS);
}

/** Weight rows: 1 for the binary sigmoid, k for the softmax. */
export function weightRows(p: LogisticProblem): number {
  return p.nClasses === 2 ? 1 : p.nClasses;
}

export function parameterCount(p: LogisticProblem): number {
  const rows = weightRows(p);
  return rows * p.d + (p.fitIntercept ? rows : 0);
}

/** Rows the dense kernels take at a time: each weight and gradient entry is loaded once per group. */
const ROW_GROUP = 4;

/** Scratch that blockLossGrad needs: logits of a row group. */
export function logitScratch(p: LogisticProblem): Float64Array {
  return new Float64Array(ROW_GROUP * weightRows(p));
}

/** Adds block `b`'s unpenalised gradient into `grad` (zeroed by the caller) and returns its loss. `z` comes from logitScratch. */
export function blockLossGrad(p: LogisticProblem, theta: Float64Array, b: number, grad: Float64Array, z: Float64Array): number {
  const start = b * BLOCK_ROWS;
  const end = Math.min(p.n, start + BLOCK_ROWS);
  if (p.sparse) return sparseLossGrad(p, p.sparse, theta, start, end, grad, z);
  // Two classes get their own dense kernel: one weight row kept in registers is ~12% faster than
  // the k-row kernel with k = 1.
  return p.nClasses === 2 ? denseBinary(p, theta, start, end, grad) : denseMulticlass(p, theta, start, end, grad, z);
}

/** softplus(s) - y s, the binary cross-entropy at logit s, from one exp(-|s|) without overflow. */
function binaryLoss(s: number, e: number, y: number): number {
  return (s > 0 ? s : 0) + Math.log1p(e) - (y === 1 ? s : 0);
}

/** Its derivative sigmoid(s) - y, from the same e = exp(-|s|). */
function binaryResidual(s: number, e: number, y: number): number {
  return (s >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;
}

/**
 * Two classes, dense rows, four rows at a time: four logits share each weight load, and each
 * gradient entry takes the four rows' terms in one update.
 */
function denseBinary(p: LogisticProblem, theta: Float64Array, start: number, end: number, grad: Float64Array): number {
  const { x, y, d, fitIntercept } = p;
  const bias = fitIntercept ? theta[d]! : 0;
  let loss = 0;
  let i = start;
  for (; i + ROW_GROUP <= end; i += ROW_GROUP) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = bias;
    let s1 = bias;
    let s2 = bias;
    let s3 = bias;
    for (let j = 0; j < d; j++) {
      const w = theta[j]!;
      s0 += w * x[o0 + j]!;
      s1 += w * x[o1 + j]!;
      s2 += w * x[o2 + j]!;
      s3 += w * x[o3 + j]!;
    }
    const e0 = Math.exp(-Math.abs(s0));
    const e1 = Math.exp(-Math.abs(s1));
    const e2 = Math.exp(-Math.abs(s2));
    const e3 = Math.exp(-Math.abs(s3));
    loss += binaryLoss(s0, e0, y[i]!) + binaryLoss(s1, e1, y[i + 1]!) + binaryLoss(s2, e2, y[i + 2]!) + binaryLoss(s3, e3, y[i + 3]!);
    const r0 = binaryResidual(s0, e0, y[i]!);
    const r1 = binaryResidual(s1, e1, y[i + 1]!);
    const r2 = binaryResidual(s2, e2, y[i + 2]!);
    const r3 = binaryResidual(s3, e3, y[i + 3]!);
    for (let j = 0; j < d; j++) grad[j]! += r0 * x[o0 + j]! + r1 * x[o1 + j]! + r2 * x[o2 + j]! + r3 * x[o3 + j]!;
    if (fitIntercept) grad[d]! += r0 + r1 + r2 + r3;
  }
  for (; i < end; i++) {
    const off = i * d;
    let s = bias;
    for (let j = 0; j < d; j++) s += theta[j]! * x[off + j]!;
    const e = Math.exp(-Math.abs(s));
    loss += binaryLoss(s, e, y[i]!);
    const r = binaryResidual(s, e, y[i]!);
    for (let j = 0; j < d; j++) grad[j]! += r * x[off + j]!;
    if (fitIntercept) grad[d]! += r;
  }
  return loss;
}

/**
 * k classes, dense rows, four rows at a time (as denseBinary). z[c * 4 + r] holds row r's logit
 * for class c, then its residual softmax - onehot.
 *
 * Classes go three at a time, so each feature value loaded serves three multiply-adds instead of one
 * (75k x 50, 3 classes: the logits took 4.6 ms instead of 7.5, the gradient 3.8 instead of 8.1);
 * the classes left over (k mod 3) go one at a time. Every sum keeps its order, so the result is the
 * same to the bit either way.
 */
function denseMulticlass(p: LogisticProblem, theta: Float64Array, start: number, end: number, grad: Float64Array, z: Float64Array): number {
  const { x, y, d, fitIntercept } = p;
  const k = p.nClasses;
  const nW = k * d;
  let loss = 0;
  let i = start;
  for (; i + ROW_GROUP <= end; i += ROW_GROUP) {
    const o0 = i * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let c = 0;
    for (; c + 3 <= k; c += 3) {
      const wa = c * d;
      const wb = wa + d;
      const wc = wb + d;
      const ba = fitIntercept ? theta[nW + c]! : 0;
      const bb = fitIntercept ? theta[nW + c + 1]! : 0;
      const bc = fitIntercept ? theta[nW + c + 2]! : 0;
      let a0 = ba, a1 = ba, a2 = ba, a3 = ba;
      let b0 = bb, b1 = bb, b2 = bb, b3 = bb;
      let c0 = bc, c1 = bc, c2 = bc, c3 = bc;
      for (let j = 0; j < d; j++) {
        const x0 = x[o0 + j]!;
        const x1 = x[o1 + j]!;
        const x2 = x[o2 + j]!;
        const x3 = x[o3 + j]!;
        const va = theta[wa + j]!;
        const vb = theta[wb + j]!;
        const vc = theta[wc + j]!;
        a0 += va * x0; a1 += va * x1; a2 += va * x2; a3 += va * x3;
        b0 += vb * x0; b1 += vb * x1; b2 += vb * x2; b3 += vb * x3;
        c0 += vc * x0; c1 += vc * x1; c2 += vc * x2; c3 += vc * x3;
      }
      const at = 4 * c;
      z[at] = a0; z[at + 1] = a1; z[at + 2] = a2; z[at + 3] = a3;
      z[at + 4] = b0; z[at + 5] = b1; z[at + 6] = b2; z[at + 7] = b3;
      z[at + 8] = c0; z[at + 9] = c1; z[at + 10] = c2; z[at + 11] = c3;
    }
    for (; c < k; c++) {
      const bias = fitIntercept ? theta[nW + c]! : 0;
      const wOff = c * d;
      let s0 = bias;
      let s1 = bias;
      let s2 = bias;
      let s3 = bias;
      for (let j = 0; j < d; j++) {
        const w = theta[wOff + j]!;
        s0 += w * x[o0 + j]!;
        s1 += w * x[o1 + j]!;
        s2 += w * x[o2 + j]!;
        s3 += w * x[o3 + j]!;
      }
      z[4 * c] = s0;
      z[4 * c + 1] = s1;
      z[4 * c + 2] = s2;
      z[4 * c + 3] = s3;
    }
    for (let r = 0; r < ROW_GROUP; r++) loss += softmaxResiduals(z, r, ROW_GROUP, k, y[i + r]!);
    c = 0;
    for (; c + 3 <= k; c += 3) {
      const wa = c * d;
      const wb = wa + d;
      const wc = wb + d;
      const at = 4 * c;
      const a0 = z[at]!, a1 = z[at + 1]!, a2 = z[at + 2]!, a3 = z[at + 3]!;
      const b0 = z[at + 4]!, b1 = z[at + 5]!, b2 = z[at + 6]!, b3 = z[at + 7]!;
      const c0 = z[at + 8]!, c1 = z[at + 9]!, c2 = z[at + 10]!, c3 = z[at + 11]!;
      for (let j = 0; j < d; j++) {
        const x0 = x[o0 + j]!;
        const x1 = x[o1 + j]!;
        const x2 = x[o2 + j]!;
        const x3 = x[o3 + j]!;
        grad[wa + j]! += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        grad[wb + j]! += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
        grad[wc + j]! += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
      }
    }
    for (; c < k; c++) {
      const r0 = z[4 * c]!;
      const r1 = z[4 * c + 1]!;
      const r2 = z[4 * c + 2]!;
      const r3 = z[4 * c + 3]!;
      const wOff = c * d;
      for (let j = 0; j < d; j++) grad[wOff + j]! += r0 * x[o0 + j]! + r1 * x[o1 + j]! + r2 * x[o2 + j]! + r3 * x[o3 + j]!;
    }
    if (fitIntercept) for (c = 0; c < k; c++) grad[nW + c]! += z[4 * c]! + z[4 * c + 1]! + z[4 * c + 2]! + z[4 * c + 3]!;
  }
  for (; i < end; i++) {
    const off = i * d;
    for (let c = 0; c < k; c++) {
      let s = fitIntercept ? theta[nW + c]! : 0;
      const wOff = c * d;
      for (let j = 0; j < d; j++) s += theta[wOff + j]! * x[off + j]!;
      z[c] = s;
    }
    loss += softmaxResiduals(z, 0, 1, k, y[i]!);
    for (let c = 0; c < k; c++) {
      const r = z[c]!;
      const wOff = c * d;
      for (let j = 0; j < d; j++) grad[wOff + j]! += r * x[off + j]!;
      if (fitIntercept) grad[nW + c]! += r;
    }
  }
  return loss;
}

/**
 * One row's cross-entropy from its k logits z[c * stride + r], which are replaced by the residuals
 * softmax_c - [c = y] (one exp per class, shifted by the largest logit).
 */
function softmaxResiduals(z: Float64Array, r: number, stride: number, k: number, yi: number): number {
  let zMax = -Infinity;
  for (let c = 0; c < k; c++) zMax = Math.max(zMax, z[c * stride + r]!);
  const zy = z[yi * stride + r]!;
  let sumExp = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(z[c * stride + r]! - zMax);
    z[c * stride + r] = e;
    sumExp += e;
  }
  for (let c = 0; c < k; c++) z[c * stride + r] = z[c * stride + r]! / sumExp - (c === yi ? 1 : 0);
  return zMax + Math.log(sumExp) - zy;
}

/**
 * Sparse rows, one at a time: only the non-zeros are visited. Two classes are one weight row with
 * a sigmoid, more are k rows with a softmax (the same parameter layout: weight rows, then their
 * intercepts). z[c] holds the row's logit for weight row c, then its residual.
 */
function sparseLossGrad(p: LogisticProblem, sp: SparseRows, theta: Float64Array, start: number, end: number, grad: Float64Array, z: Float64Array): number {
  const { y, d, fitIntercept } = p;
  const rows = weightRows(p);
  const nW = rows * d;
  let loss = 0;
  for (let i = start; i < end; i++) {
    for (let c = 0; c < rows; c++) {
      let s = fitIntercept ? theta[nW + c]! : 0;
      const wOff = c * d;
      for (let q = sp.indptr[i]!; q < sp.indptr[i + 1]!; q++) s += theta[wOff + sp.indices[q]!]! * sp.values[q]!;
      z[c] = s;
    }
    if (rows === 1) {
      const s = z[0]!;
      const e = Math.exp(-Math.abs(s));
      loss += binaryLoss(s, e, y[i]!);
      z[0] = binaryResidual(s, e, y[i]!);
    } else loss += softmaxResiduals(z, 0, 1, rows, y[i]!);
    for (let c = 0; c < rows; c++) {
      const r = z[c]!;
      const wOff = c * d;
      for (let q = sp.indptr[i]!; q < sp.indptr[i + 1]!; q++) grad[wOff + sp.indices[q]!]! += r * sp.values[q]!;
      if (fitIntercept) grad[nW + c]! += r;
    }
  }
  return loss;
}

/** Adds the L2 penalty's gradient (intercepts unpenalised) and returns the penalty. */
export function addPenalty(p: LogisticProblem, theta: Float64Array, grad: Float64Array, lambda: number): number {
  const nW = weightRows(p) * p.d;
  let ww = 0;
  for (let j = 0; j < nW; j++) {
    ww += theta[j]! * theta[j]!;
    grad[j]! += lambda * theta[j]!;
  }
  return 0.5 * lambda * ww;
}

/** The objective on the calling thread, block by block. */
export function sequentialObjective(p: LogisticProblem, lambda: number): ObjectiveWithGradient {
  const nParams = parameterCount(p);
  const blockGrad = new Float64Array(nParams);
  const z = logitScratch(p);
  const blocks = blockCount(p.n);
  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let b = 0; b < blocks; b++) {
      blockGrad.fill(0);
      loss += blockLossGrad(p, theta, b, blockGrad, z);
      for (let j = 0; j < nParams; j++) grad[j]! += blockGrad[j]!;
    }
    return loss + addPenalty(p, theta, grad, lambda);
  };
}
