/**
 * One tree of histogram gradient boosting, as scikit-learn's TreeGrower
 * (sklearn/ensemble/_hist_gradient_boosting/grower.py, splitting.pyx, histogram.pyx):
 * best-first growth (the splittable leaf with the largest gain is split next) up to maxLeafNodes
 * leaves; per-node histograms of gradient sum, hessian sum and count per bin; the smaller child's
 * histogram is built from its rows and the larger child's is the parent's minus the smaller's;
 * gain = G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2); leaf value = -G/(H+l2) * learningRate.
 *
 * No Node-only imports: the histogram kernel also runs inside worker threads (hgb-worker.ts).
 */

export interface HgbParams {
  /** Infinity for no limit. */
  maxLeafNodes: number;
  /** Infinity for no limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  learningRate: number;
}

/** How accumulateHistograms reads rows: a node's rows through idx, or all rows in order (the root). */
export const ROWS_NODE = 0;
export const ROWS_ROOT = 1;
/** The root without the per-bin counts: they are the same in every tree, so the caller fills them in. */
export const ROWS_ROOT_NO_COUNT = 2;

/** sklearn's min_hessian_to_split default. */
const MIN_HESSIAN_TO_SPLIT = 1e-3;

/** The data a histogram build reads; in parallel mode every array lives in a SharedArrayBuffer. */
export interface HgbData {
  nRows: number;
  nFeatures: number;
  /** Column-major bin codes of the training rows. */
  codes: Uint8Array;
  nBins: Int32Array;
  /** Bin offsets of each feature in a histogram (length nFeatures + 1); entries are 3 doubles per bin. */
  binOff: Int32Array;
  /** Rows of each node, partitioned in place: a node owns idx[start, end). */
  idx: Int32Array;
  /**
   * Gradients and hessians, one block of nRows per tree of the iteration (class k at k * nRows).
   * float32 like sklearn's G_H_DTYPE: with the same rounding our trees match sklearn's split for
   * split and leaf for leaf (probabilities agree to ~1e-10), and they take half the memory traffic.
   */
  grad: Float32Array;
  hess: Float32Array;
}

export function histogramOffsets(nBins: Int32Array): Int32Array {
  const off = new Int32Array(nBins.length + 1);
  for (let f = 0; f < nBins.length; f++) off[f + 1] = off[f]! + nBins[f]!;
  return off;
}

/**
 * Histograms of features [fStart, fEnd) over the rows idx[start, end) (all rows in order when
 * isRoot) into out (layout: [G, H, count] per bin, feature f from binOff[f] * 3). gh is scratch
 * of length >= 2 * nRows for the node's gradients and hessians, gathered once and interleaved.
 */
export function buildHistograms(
  data: HgbData,
  gOff: number,
  fStart: number,
  fEnd: number,
  start: number,
  end: number,
  isRoot: boolean,
  out: Float64Array,
  gh: Float64Array,
): void {
  gatherGradients(data, gOff, start, end, isRoot, gh);
  accumulateHistograms(data, fStart, fEnd, start, end, isRoot ? ROWS_ROOT : ROWS_NODE, out, gh);
}

/** gh[2i], gh[2i+1] = gradient and hessian of the node's i-th row. */
export function gatherGradients(data: HgbData, gOff: number, start: number, end: number, isRoot: boolean, gh: Float64Array): void {
  const { idx, grad, hess } = data;
  if (isRoot) {
    for (let i = 0; i < data.nRows; i++) {
      gh[2 * i] = grad[gOff + i]!;
      gh[2 * i + 1] = hess[gOff + i]!;
    }
  } else {
    for (let i = start; i < end; i++) {
      const r = idx[i]! + gOff;
      gh[2 * (i - start)] = grad[r]!;
      gh[2 * (i - start) + 1] = hess[r]!;
    }
  }
}

/**
 * The histogram loops proper, on gradients already gathered into gh. Four features are
 * accumulated per pass over the rows, which loads each row index and gradient once for four
 * histograms (about 1.7x faster than one feature per pass). A feature's sums are always made in
 * row order by one thread, so they do not depend on how features are shared between threads.
 */
export function accumulateHistograms(
  data: HgbData,
  fStart: number,
  fEnd: number,
  start: number,
  end: number,
  mode: number,
  out: Float64Array,
  gh: Float64Array,
): void {
  const { codes, binOff, idx } = data;
  const n = data.nRows;
  const m = end - start;
  out.fill(0, binOff[fStart]! * 3, binOff[fEnd]! * 3);
  let f = fStart;
  for (; f + 4 <= fEnd; f += 4) {
    const b0 = f * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    const o0 = binOff[f]! * 3;
    const o1 = binOff[f + 1]! * 3;
    const o2 = binOff[f + 2]! * 3;
    const o3 = binOff[f + 3]! * 3;
    // Root: rows in order, no index array (separate copies of the loop keep it branch-free).
    if (mode === ROWS_ROOT_NO_COUNT) {
      for (let i = 0; i < m; i++) {
        const g = gh[2 * i]!;
        const h = gh[2 * i + 1]!;
        let p = o0 + codes[b0 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        p = o1 + codes[b1 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        p = o2 + codes[b2 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        p = o3 + codes[b3 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
      }
      continue;
    }
    if (mode === ROWS_ROOT) {
      for (let i = 0; i < m; i++) {
        const g = gh[2 * i]!;
        const h = gh[2 * i + 1]!;
        let p = o0 + codes[b0 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        out[p + 2]! += 1;
        p = o1 + codes[b1 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        out[p + 2]! += 1;
        p = o2 + codes[b2 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        out[p + 2]! += 1;
        p = o3 + codes[b3 + i]! * 3;
        out[p]! += g;
        out[p + 1]! += h;
        out[p + 2]! += 1;
      }
      continue;
    }
    for (let i = 0; i < m; i++) {
      const r = idx[start + i]!;
      const g = gh[2 * i]!;
      const h = gh[2 * i + 1]!;
      let p = o0 + codes[b0 + r]! * 3;
      out[p]! += g;
      out[p + 1]! += h;
      out[p + 2]! += 1;
      p = o1 + codes[b1 + r]! * 3;
      out[p]! += g;
      out[p + 1]! += h;
      out[p + 2]! += 1;
      p = o2 + codes[b2 + r]! * 3;
      out[p]! += g;
      out[p + 1]! += h;
      out[p + 2]! += 1;
      p = o3 + codes[b3 + r]! * 3;
      out[p]! += g;
      out[p + 1]! += h;
      out[p + 2]! += 1;
    }
  }
  for (; f < fEnd; f++) {
    const b0 = f * n;
    const o0 = binOff[f]! * 3;
    for (let i = 0; i < m; i++) {
      const r = mode === ROWS_NODE ? idx[start + i]! : i;
      const p = o0 + codes[b0 + r]! * 3;
      out[p]! += gh[2 * i]!;
      out[p + 1]! += gh[2 * i + 1]!;
      if (mode !== ROWS_ROOT_NO_COUNT) out[p + 2]! += 1;
    }
  }
}

/** Builds all features' histograms of a node (sequentially, or split across threads). */
export interface HistogramBuilder {
  build(gOff: number, start: number, end: number, isRoot: boolean, out: Float64Array): void;
}

/**
 * Remembers the root's per-bin counts (the root holds every training row in every tree), so that
 * later root histograms skip a third of their additions.
 */
export class RootCounts {
  private counts: Float64Array | null = null;
  /** The mode for the next root build: with counts the first time, without afterwards. */
  rootMode(): number {
    return this.counts ? ROWS_ROOT_NO_COUNT : ROWS_ROOT;
  }
  /** After a root build: saves the counts the first time, fills them in afterwards. */
  complete(out: Float64Array): void {
    const size = out.length / 3;
    if (!this.counts) {
      this.counts = new Float64Array(size);
      for (let b = 0; b < size; b++) this.counts[b] = out[3 * b + 2]!;
    } else {
      const c = this.counts;
      for (let b = 0; b < size; b++) out[3 * b + 2] = c[b]!;
    }
  }
}

export class SequentialHistogramBuilder implements HistogramBuilder {
  private readonly gh: Float64Array;
  private readonly rootCounts = new RootCounts();
  constructor(private readonly data: HgbData) {
    this.gh = new Float64Array(2 * data.nRows);
  }
  build(gOff: number, start: number, end: number, isRoot: boolean, out: Float64Array): void {
    const { data, gh } = this;
    gatherGradients(data, gOff, start, end, isRoot, gh);
    accumulateHistograms(data, 0, data.nFeatures, start, end, isRoot ? this.rootCounts.rootMode() : ROWS_NODE, out, gh);
    if (isRoot) this.rootCounts.complete(out);
  }
}

/** A grown boosting tree; bin thresholds route binned rows (validation data), values are shrunk. */
export interface HgbTree {
  feature: Int32Array;
  binThreshold: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** Per node: -G/(H + l2) * learningRate (leaves' are the predictions). */
  value: Float64Array;
}

export class HgbGrower {
  private readonly tmp: Int32Array;
  private readonly histSize: number;
  private readonly pool: Float64Array[] = [];
  // Per-node arrays of the tree being grown.
  private feature: number[] = [];
  private binThr: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private start: number[] = [];
  private end: number[] = [];
  private depth: number[] = [];
  private sumG: number[] = [];
  private sumH: number[] = [];
  private hist: (Float64Array | null)[] = [];
  // Best split of each splittable node.
  private sGain: number[] = [];
  private sFeature: number[] = [];
  private sBin: number[] = [];
  private sGL: number[] = [];
  private sHL: number[] = [];
  private sNL: number[] = [];
  /** Max-heap of splittable node ids by gain (ties: lower id first). */
  private heap: number[] = [];

  constructor(
    private readonly data: HgbData,
    private readonly builder: HistogramBuilder,
    private readonly params: HgbParams,
  ) {
    this.tmp = new Int32Array(data.nRows);
    this.histSize = data.binOff[data.nFeatures]! * 3;
  }

  /**
   * Grows a tree on the gradients/hessians at offset gOff, and adds each leaf's value to
   * raw[rawOff + row] for the rows it holds.
   */
  grow(gOff: number, raw: Float64Array, rawOff: number): HgbTree {
    const { data, params } = this;
    const n = data.nRows;
    const idx = data.idx;
    for (let i = 0; i < n; i++) idx[i] = i;
    this.reset();
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      G += data.grad[gOff + i]!;
      H += data.hess[gOff + i]!;
    }
    const root = this.addNode(0, n, 0, G, H);
    const minLeaf = params.minSamplesLeaf;
    if (n >= 2 * minLeaf && H >= MIN_HESSIAN_TO_SPLIT) {
      const h = this.takeHist();
      this.builder.build(gOff, 0, n, true, h);
      this.hist[root] = h;
      this.splitOrFinalize(root);
    }
    let finalized = this.heap.length === 0 ? 1 : 0;

    while (this.heap.length > 0) {
      const id = this.popHeap();
      const f = this.sFeature[id]!;
      const b = this.sBin[id]!;
      const s = this.start[id]!;
      const e = this.end[id]!;
      const mid = this.partition(f, b, s, e);
      const d = this.depth[id]! + 1;
      const gl = this.sGL[id]!;
      const hl = this.sHL[id]!;
      const l = this.addNode(s, mid, d, gl, hl);
      const r = this.addNode(mid, e, d, this.sumG[id]! - gl, this.sumH[id]! - hl);
      this.feature[id] = f;
      this.binThr[id] = b;
      this.left[id] = l;
      this.right[id] = r;
      const parentHist = this.hist[id]!;
      this.hist[id] = null;

      const nLeaves = finalized + this.heap.length + 2;
      if (nLeaves >= params.maxLeafNodes) {
        // The leaf budget is spent: every remaining splittable node becomes a leaf.
        this.pool.push(parentHist);
        for (const k of this.heap) this.releaseHist(k);
        finalized += this.heap.length + 2;
        this.heap.length = 0;
        break;
      }
      if (d >= params.maxDepth) {
        this.pool.push(parentHist);
        finalized += 2;
        continue;
      }
      const nl = mid - s;
      const nr = e - mid;
      const splitL = nl >= 2 * minLeaf;
      const splitR = nr >= 2 * minLeaf;
      if (!splitL && !splitR) {
        this.pool.push(parentHist);
        finalized += 2;
        continue;
      }
      // Build the smaller child's histograms; the larger child's are the parent's minus those.
      const small = nl < nr ? l : r;
      const large = small === l ? r : l;
      const hs = this.takeHist();
      this.builder.build(gOff, this.start[small]!, this.end[small]!, false, hs);
      const size = this.histSize;
      for (let i = 0; i < size; i++) parentHist[i]! -= hs[i]!;
      this.hist[small] = hs;
      this.hist[large] = parentHist;
      if (splitL) {
        if (!this.splitOrFinalize(l)) finalized++;
      } else {
        this.releaseHist(l);
        finalized++;
      }
      if (splitR) {
        if (!this.splitOrFinalize(r)) finalized++;
      } else {
        this.releaseHist(r);
        finalized++;
      }
    }
    for (let k = 0; k < this.hist.length; k++) this.releaseHist(k);

    // Shrink, and add the leaves to the raw predictions.
    const lr = params.learningRate;
    const nNodes = this.feature.length;
    const value = new Float64Array(nNodes);
    for (let k = 0; k < nNodes; k++) {
      const v = this.value[k]! * lr;
      value[k] = v;
      if (this.feature[k] === -1) {
        for (let i = this.start[k]!; i < this.end[k]!; i++) raw[rawOff + idx[i]!]! += v;
      }
    }
    return {
      feature: new Int32Array(this.feature),
      binThreshold: new Int32Array(this.binThr),
      left: new Int32Array(this.left),
      right: new Int32Array(this.right),
      value,
    };
  }

  private reset(): void {
    this.feature = [];
    this.binThr = [];
    this.left = [];
    this.right = [];
    this.value = [];
    this.start = [];
    this.end = [];
    this.depth = [];
    this.sumG = [];
    this.sumH = [];
    this.hist = [];
    this.sGain = [];
    this.sFeature = [];
    this.sBin = [];
    this.sGL = [];
    this.sHL = [];
    this.sNL = [];
    this.heap = [];
  }

  private addNode(start: number, end: number, depth: number, G: number, H: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.binThr.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(-G / (H + this.params.l2Regularization + 1e-15));
    this.start.push(start);
    this.end.push(end);
    this.depth.push(depth);
    this.sumG.push(G);
    this.sumH.push(H);
    this.hist.push(null);
    this.sGain.push(-1);
    this.sFeature.push(-1);
    this.sBin.push(-1);
    this.sGL.push(0);
    this.sHL.push(0);
    this.sNL.push(0);
    return id;
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histSize);
  }

  private releaseHist(id: number): void {
    const h = this.hist[id];
    if (h) {
      this.pool.push(h);
      this.hist[id] = null;
    }
  }

  /** Finds the node's best split; pushes it on the heap (true) or makes it a leaf (false). */
  private splitOrFinalize(id: number): boolean {
    const H = this.hist[id]!;
    const { nFeatures, nBins, binOff } = this.data;
    const l2 = this.params.l2Regularization + 1e-15;
    const minLeaf = this.params.minSamplesLeaf;
    const G = this.sumG[id]!;
    const Hs = this.sumH[id]!;
    const N = this.end[id]! - this.start[id]!;
    // sklearn: gain = loss(node) - loss(left) - loss(right), loss(G, H) = G * value = -G^2 / (H + l2).
    const lossNode = (-G * G) / (Hs + l2);
    let bestGain = -1;
    let bestF = -1;
    let bestB = -1;
    let bestGL = 0;
    let bestHL = 0;
    let bestNL = 0;
    for (let f = 0; f < nFeatures; f++) {
      const off = binOff[f]! * 3;
      const last = nBins[f]! - 1;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let b = 0; b < last; b++) {
        const p = off + b * 3;
        gl += H[p]!;
        hl += H[p + 1]!;
        nl += H[p + 2]!;
        if (nl < minLeaf || hl < MIN_HESSIAN_TO_SPLIT) continue;
        const hr = Hs - hl;
        if (N - nl < minLeaf || hr < MIN_HESSIAN_TO_SPLIT) break;
        const gr = G - gl;
        const gain = lossNode + (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
        if (gain > bestGain && gain > 0) {
          bestGain = gain;
          bestF = f;
          bestB = b;
          bestGL = gl;
          bestHL = hl;
          bestNL = nl;
        }
      }
    }
    if (bestF < 0) {
      this.releaseHist(id);
      return false;
    }
    this.sGain[id] = bestGain;
    this.sFeature[id] = bestF;
    this.sBin[id] = bestB;
    this.sGL[id] = bestGL;
    this.sHL[id] = bestHL;
    this.sNL[id] = bestNL;
    this.pushHeap(id);
    return true;
  }

  /** Stable partition of idx[start, end) by code <= bin. */
  private partition(f: number, bin: number, start: number, end: number): number {
    const { idx, codes, nRows } = this.data;
    const tmp = this.tmp;
    const base = f * nRows;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      // Branch-free: the row is written to both sides and only one cursor moves.
      const row = idx[i]!;
      const right = +(codes[base + row]! > bin);
      idx[l] = row;
      tmp[r] = row;
      l += 1 - right;
      r += right;
    }
    idx.set(tmp.subarray(0, r), l);
    return l;
  }

  private before(a: number, b: number): boolean {
    const ga = this.sGain[a]!;
    const gb = this.sGain[b]!;
    return ga > gb || (ga === gb && a < b);
  }

  private pushHeap(id: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      const t = h[i]!;
      h[i] = h[p]!;
      h[p] = t;
      i = p;
    }
  }

  private popHeap(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
    return top;
  }
}

/** Adds a tree's values for binned rows (column-major codes of nRows rows) to raw[rawOff + row]. */
export function addBinnedPredictions(tree: HgbTree, codes: Uint8Array, nRows: number, raw: Float64Array, rawOff: number): void {
  const { feature, binThreshold, left, right, value } = tree;
  for (let i = 0; i < nRows; i++) {
    let node = 0;
    let f = feature[0]!;
    while (f >= 0) {
      node = codes[f * nRows + i]! <= binThreshold[node]! ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    raw[rawOff + i]! += value[node]!;
  }
}
