/**
 * The inner loops of histogram gradient boosting (histograms, split search, partition, gradients),
 * in AssemblyScript compiled to WebAssembly (npm run build:kernels writes boosting.wasm; a test
 * checks that it is this file's build). They run over the fit's shared WebAssembly memory
 * (hgb-memory.ts): every pointer argument is a byte offset into it. The histogram loops took 2.2 ns
 * per row and feature on a node's rows and 1.5 ns on the root's in TypeScript; compiled here they
 * take 1.4 and 1.0 ns, since WebAssembly loads and stores need no bounds checks. The sums are the
 * same bit for bit: each float32 gradient is widened to float64 and added in row order, as before.
 *
 * A histogram holds 3 doubles per bin: gradient sum, hessian sum, count. `o0`, `o1` are the
 * first bins' element offsets (bin index * 3) of features f and f + 1; feature f's codes are the
 * column at codes + f * n (one byte per row, column-major). Node loops read the node's
 * rows from idx[start, end); root loops read every row 0 .. n - 1 in order.
 */

@inline function add(at: usize, v: f64): void {
  store<f64>(at, load<f64>(at) + v);
}

/**
 * Two features per pass over the rows: the row index and gradient are loaded once for two
 * histograms. Four per pass was as fast on one thread but ~10% slower on two threads sharing a
 * core's caches (four histograms are 24 KB per thread, two are 12 KB). Each loop is written once,
 * inlined into its exported variants with `hessians` a constant, so the variant without hessian
 * sums has no branch for them.
 */

/** Gradient and hessian (when `hessians`) sums and counts of features f and f + 1 over a node's rows. */
@inline function nodePass(codes: usize, n: i32, f: i32, idx: usize, start: i32, end: i32, grad: usize, hess: usize, out: usize, o0: i32, o1: i32, hessians: bool): void {
  const c0 = codes + <usize>f * <usize>n;
  const c1 = c0 + <usize>n;
  const h0 = out + (<usize>o0 << 3);
  const h1 = out + (<usize>o1 << 3);
  for (let i = start; i < end; i++) {
    const r = <usize>load<i32>(idx + (<usize>i << 2));
    const g = <f64>load<f32>(grad + (r << 2));
    const h = hessians ? <f64>load<f32>(hess + (r << 2)) : 0.0;
    let at = h0 + <usize>load<u8>(c0 + r) * 24;
    add(at, g);
    if (hessians) add(at + 8, h);
    add(at + 16, 1.0);
    at = h1 + <usize>load<u8>(c1 + r) * 24;
    add(at, g);
    if (hessians) add(at + 8, h);
    add(at + 16, 1.0);
  }
}

/** Gradient and hessian (when `hessians`) sums of features f and f + 1 over every row (a root's counts are copied, see countRows). */
@inline function rootPass(codes: usize, n: i32, f: i32, grad: usize, hess: usize, out: usize, o0: i32, o1: i32, hessians: bool): void {
  const c0 = codes + <usize>f * <usize>n;
  const c1 = c0 + <usize>n;
  const h0 = out + (<usize>o0 << 3);
  const h1 = out + (<usize>o1 << 3);
  for (let r: usize = 0; r < <usize>n; r++) {
    const g = <f64>load<f32>(grad + (r << 2));
    const h = hessians ? <f64>load<f32>(hess + (r << 2)) : 0.0;
    let at = h0 + <usize>load<u8>(c0 + r) * 24;
    add(at, g);
    if (hessians) add(at + 8, h);
    at = h1 + <usize>load<u8>(c1 + r) * 24;
    add(at, g);
    if (hessians) add(at + 8, h);
  }
}

export function node2(codes: usize, n: i32, f: i32, idx: usize, start: i32, end: i32, grad: usize, hess: usize, out: usize, o0: i32, o1: i32): void {
  nodePass(codes, n, f, idx, start, end, grad, hess, out, o0, o1, true);
}

/** node2 without the hessian sums (every hessian is 1; they stay 0). */
export function node2NoHessians(codes: usize, n: i32, f: i32, idx: usize, start: i32, end: i32, grad: usize, out: usize, o0: i32, o1: i32): void {
  nodePass(codes, n, f, idx, start, end, grad, 0, out, o0, o1, false);
}

export function root2(codes: usize, n: i32, f: i32, grad: usize, hess: usize, out: usize, o0: i32, o1: i32): void {
  rootPass(codes, n, f, grad, hess, out, o0, o1, true);
}

/** root2 without the hessian sums. */
export function root2NoHessians(codes: usize, n: i32, f: i32, grad: usize, out: usize, o0: i32, o1: i32): void {
  rootPass(codes, n, f, grad, 0, out, o0, o1, false);
}

/** One feature's sums over a node's rows (idx != 0: idx[start, end)) or over every row (idx == 0). */
export function one(codes: usize, n: i32, f: i32, idx: usize, start: i32, end: i32, grad: usize, hess: usize, out: usize, o: i32, hessians: bool, counts: bool): void {
  const c = codes + <usize>f * <usize>n;
  const base = out + (<usize>o << 3);
  for (let i = start; i < end; i++) {
    const r = idx != 0 ? <usize>load<i32>(idx + (<usize>i << 2)) : <usize>i;
    const at = base + <usize>load<u8>(c + r) * 24;
    add(at, <f64>load<f32>(grad + (r << 2)));
    if (hessians) add(at + 8, <f64>load<f32>(hess + (r << 2)));
    if (counts) add(at + 16, 1.0);
  }
}

/** Counts of every row per bin of feature f (the first root's; later roots copy them). */
export function countRows(codes: usize, n: i32, f: i32, out: usize, o: i32): void {
  const c = codes + <usize>f * <usize>n;
  const base = out + (<usize>o << 3) + 16;
  for (let r: usize = 0; r < <usize>n; r++) add(base + <usize>load<u8>(c + r) * 24, 1.0);
}

/** parent[p] -= child[p] for elements p in [from, to): the larger child's histogram from the parent's. */
export function subtract(parent: usize, child: usize, from: i32, to: i32): void {
  for (let p = <usize>from << 3; p < <usize>to << 3; p += 8) store<f64>(parent + p, load<f64>(parent + p) - load<f64>(child + p));
}

/**
 * The split search over one feature's bins (hgb-node-job.ts bestSplit has the rules): `hist`
 * points at the feature's first bin, `last` bins are candidate split points, `hSlot` is where a
 * bin's hessian sum is (1, or 2 for its count when every hessian is 1). result[0..5] holds the best
 * split so far (gain, feature, bin, G_left, H_left, n_left); a bin replaces it only with a strictly
 * larger positive gain, so the first best in feature order wins. An empty bin is scanned like any
 * other: it repeats the previous bin's gain, which cannot win, and skipping it took a branch that
 * mispredicts on half-empty histograms (the search took 1.6 s of a fit on 67.5k x 50 with the
 * skip, 1.0 s without).
 */
export function scanSplits(hist: usize, last: i32, hSlot: i32, f: i32, G: f64, H: f64, N: f64, lossNode: f64, l2: f64, minLeaf: f64, minHessian: f64, result: usize): void {
  let bestGain = load<f64>(result);
  let gl = 0.0;
  let hl = 0.0;
  let nl = 0.0;
  const hAt = <usize>hSlot << 3;
  for (let b = 0; b < last; b++) {
    const at = hist + <usize>b * 24;
    gl += load<f64>(at);
    hl += load<f64>(at + hAt);
    nl += load<f64>(at + 16);
    if (nl < minLeaf || hl < minHessian) continue;
    const hr = H - hl;
    if (N - nl < minLeaf || hr < minHessian) break;
    const gr = G - gl;
    const gain = lossNode + (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
    if (gain > bestGain && gain > 0) {
      bestGain = gain;
      store<f64>(result, gain);
      store<f64>(result, <f64>f, 8);
      store<f64>(result, <f64>b, 16);
      store<f64>(result, gl, 24);
      store<f64>(result, hl, 32);
      store<f64>(result, nl, 40);
    }
  }
}

/**
 * Stable partition of idx[start, end) by feature f's code: rows with code <= bin first, then the
 * rest, through `scratch` (nRows ints); returns where the second part starts. Branch-free: each row
 * is written to both sides and only one cursor moves.
 */
export function partition(codes: usize, n: i32, f: i32, bin: i32, idx: usize, scratch: usize, start: i32, end: i32): i32 {
  const c = codes + <usize>f * <usize>n;
  let left = <usize>start << 2;
  let right: usize = 0;
  for (let at = <usize>start << 2; at < <usize>end << 2; at += 4) {
    const row = load<i32>(idx + at);
    const goesRight = <usize>(<i32>load<u8>(c + <usize>row) > bin) << 2;
    store<i32>(idx + left, row);
    store<i32>(scratch + right, row);
    left += 4 - goesRight;
    right += goesRight;
  }
  memory.copy(idx + left, scratch, right);
  return <i32>(left >> 2);
}

/**
 * Gradients and hessians of the half binomial loss (K = 1) or the half multinomial loss (K > 1)
 * of rows [from, to) at the raw scores raw[k * n + i] (float64) for the classes y[i] (int32), as
 * float32 like sklearn's G_H_DTYPE. `scratch` holds K doubles. Math.exp here is AssemblyScript's
 * (musl's algorithm, < 1 ulp), ~3.4 ns where V8's took ~11 ns.
 */
export function classGradients(raw: usize, y: usize, n: i32, from: i32, to: i32, K: i32, grad: usize, hess: usize, scratch: usize): void {
  if (K == 1) {
    for (let i = <usize>from; i < <usize>to; i++) {
      const p = 1.0 / (1.0 + Math.exp(-load<f64>(raw + (i << 3))));
      store<f32>(grad + (i << 2), <f32>(p - <f64>load<i32>(y + (i << 2))));
      store<f32>(hess + (i << 2), <f32>(p * (1.0 - p)));
    }
    return;
  }
  const stride = <usize>n << 3;
  for (let i = <usize>from; i < <usize>to; i++) {
    const row = raw + (i << 3);
    let top: usize = 0;
    for (let k: usize = 1; k < <usize>K; k++) if (load<f64>(row + k * stride) > load<f64>(row + top * stride)) top = k;
    const max = load<f64>(row + top * stride);
    let s = 0.0;
    for (let k: usize = 0; k < <usize>K; k++) {
      // exp(max - max) is 1 exactly.
      const e = k == top ? 1.0 : Math.exp(load<f64>(row + k * stride) - max);
      store<f64>(scratch + (k << 3), e);
      s += e;
    }
    const yi = <usize>load<i32>(y + (i << 2));
    for (let k: usize = 0; k < <usize>K; k++) {
      const p = load<f64>(scratch + (k << 3)) / s;
      const at = (k * <usize>n + i) << 2;
      store<f32>(grad + at, <f32>(p - (yi == k ? 1.0 : 0.0)));
      store<f32>(hess + at, <f32>(p * (1.0 - p)));
    }
  }
}
