/**
 * CART on binned features: the grower behind the decision tree and every tree of a random
 * forest. Follows scikit-learn's BestSplitter + DepthFirstTreeBuilder (sklearn/tree/_splitter.pyx,
 * _tree.pyx): depth-first growth; at each node features are drawn without replacement as
 * sklearn's splitter draws them (findSplit), features found constant are remembered as constant
 * for the whole subtree; the split maximises the Gini / squared-error
 * impurity decrease (through sklearn's "proxy" improvement); a node is a leaf when it is pure,
 * too small or at maxDepth. Candidate splits are the boundaries between non-empty bins, so on a
 * feature with no more distinct values than bins (always, with the 65535 fine bins of the
 * decision tree's default, up to 65535 distinct values) the candidates and the midpoint
 * thresholds are exactly those of sklearn's exact splitter.
 *
 * Histograms: per node and feature, the sample counts and weighted class counts (or weight and
 * weighted target sum) per bin. When every feature is examined at every node (maxFeatures = all)
 * a big node keeps the histograms of all features and its larger child's are derived by
 * subtraction from the parent's after building the smaller child's (the LightGBM/sklearn-HGB
 * trick). With per-node feature sampling (a forest's "sqrt") that does not apply - a child draws
 * other features than its parent - and building only the drawn features directly is cheaper
 * (maxFeatures * m per node instead of nFeatures * m / 2). Nodes track the bins they touch, so
 * that a node of 5 rows costs O(5), not O(number of bins): the touched bins are put in order by
 * insertion sort (few), a 16-bit radix sort (fine bins, small node) or a scan of all bins.
 *
 * No Node-only imports: this module also runs inside worker threads.
 */
import type { TypedTree } from "./common";

/** Where the feature draws come from: sklearn's generator for a decision tree, the studio's for a forest. */
export interface FeatureDraws {
  /** An integer in [low, high). */
  randInt(low: number, high: number): number;
}

export interface CartData {
  nRows: number;
  nFeatures: number;
  /** Column-major bin codes: row i, feature f at codes[f * nRows + i]. */
  codes: Uint16Array;
  nBins: Int32Array;
  thresholds: Float64Array[];
  binValues: (Float64Array | null)[];
  /** Classification: the number of classes (>= 2). Regression: 0. */
  nClasses: number;
  yClass: Int32Array | null;
  yReal: Float64Array | null;
}

export interface CartParams {
  /** Infinity for unlimited. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Resolved count, 1..nFeatures. */
  maxFeatures: number;
  /** Keep all-feature histograms and subtract (default true when every feature is drawn); false only to test that it changes nothing. */
  subtraction?: boolean;
}

/** sklearn's EPSILON (np.finfo(np.double).eps): a node at or below this impurity is a leaf. */
const EPSILON = 2.220446049250313e-16;
/** All-feature histograms are kept (and subtracted) for nodes whose larger child has at least this many rows. */
const SUBTRACTION_MIN_ROWS = 1024;
/** ...and only while one all-feature histogram is at most this many doubles (fine bins make them big). */
const SUBTRACTION_MAX_DOUBLES = 1 << 20;
/** Up to this many touched bins are insertion-sorted; above, radix-sorted or found by a scan of all bins. */
const SORT_TOUCHED_MAX = 24;

export class CartGrower {
  private readonly n: number;
  private readonly d: number;
  private readonly K: number;
  /** Histogram stride: classification [count, w_0..w_K-1]; regression [count, w, w*y]. */
  private readonly S: number;
  private readonly binOff: Int32Array;
  private readonly totalBins: number;
  private readonly idx: Int32Array;
  private readonly tmp: Int32Array;
  private readonly fh: Float64Array;
  private readonly nz: Int32Array;
  /** sklearn's splitter `features`: a permutation of the features, kept across the nodes of a tree. */
  private readonly features: Int32Array;
  private readonly constantFeatures: Int32Array;
  private readonly tot: Float64Array;
  private readonly leftC: Float64Array;
  private readonly histPool: Float64Array[] = [];
  private readonly radixTmp: Int32Array;
  private readonly radixCount = new Int32Array(256);
  private w: Float64Array;
  private readonly ones: Float64Array;

  private bestProxy = -Infinity;
  private bestF = -1;
  private bestBin = -1;
  private bestNext = -1;

  constructor(
    private readonly data: CartData,
    private readonly params: CartParams,
  ) {
    this.n = data.nRows;
    this.d = data.nFeatures;
    this.K = data.nClasses;
    this.S = this.K > 0 ? this.K + 1 : 3;
    this.binOff = new Int32Array(this.d + 1);
    let maxNb = 1;
    for (let f = 0; f < this.d; f++) {
      this.binOff[f + 1] = this.binOff[f]! + data.nBins[f]!;
      maxNb = Math.max(maxNb, data.nBins[f]!);
    }
    this.totalBins = this.binOff[this.d]!;
    this.idx = new Int32Array(this.n);
    this.tmp = new Int32Array(this.n);
    this.fh = new Float64Array(maxNb * this.S);
    this.nz = new Int32Array(maxNb);
    this.radixTmp = new Int32Array(maxNb);
    this.features = new Int32Array(this.d);
    this.constantFeatures = new Int32Array(this.d);
    this.tot = new Float64Array(Math.max(this.K, 1));
    this.leftC = new Float64Array(Math.max(this.K, 1));
    this.ones = new Float64Array(this.n).fill(1);
    this.w = this.ones;
  }

  /**
   * Grows one tree on the rows `rows` (ascending, distinct; null = all rows) with per-row
   * weights `weights` (indexed by row; null = 1, e.g. bootstrap draw counts).
   */
  grow(rows: Int32Array | null, weights: Float64Array | null, draws: FeatureDraws): TypedTree {
    const { n, d, K, S, idx } = this;
    const { maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures } = this.params;
    const fullMode = maxFeatures >= d && this.totalBins * S <= SUBTRACTION_MAX_DOUBLES && this.params.subtraction !== false;
    this.w = weights ?? this.ones;
    for (let f = 0; f < d; f++) this.features[f] = f;
    let nRoot: number;
    if (rows) {
      idx.set(rows);
      nRoot = rows.length;
    } else {
      for (let i = 0; i < n; i++) idx[i] = i;
      nRoot = n;
    }

    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];

    // Explicit DFS stack; the right child is pushed first so that ids come out in preorder.
    const stStart: number[] = [0];
    const stEnd: number[] = [nRoot];
    const stDepth: number[] = [0];
    const stParent: number[] = [-1];
    const stIsLeft: number[] = [0];
    const stNConst: number[] = [0];
    const stHist: (Float64Array | null)[] = [fullMode && nRoot >= SUBTRACTION_MIN_ROWS ? this.buildFullHist(0, nRoot) : null];

    while (stStart.length > 0) {
      const start = stStart.pop()!;
      const end = stEnd.pop()!;
      const depth = stDepth.pop()!;
      const parent = stParent.pop()!;
      const isLeft = stIsLeft.pop()!;
      const nConst = stNConst.pop()!;
      const hist = stHist.pop()!;
      const id = feature.length;
      if (parent >= 0) {
        if (isLeft) left[parent] = id;
        else right[parent] = id;
      }
      const m = end - start;
      const wTot = this.nodeTotals(start, end);
      let impurity: number;
      if (K > 0) {
        for (let k = 0; k < K; k++) value.push(this.tot[k]! / wTot);
        impurity = giniImpurity(this.tot, wTot);
      } else {
        value.push(this.tot[0]!);
        impurity = this.leftC[0]!; // nodeTotals leaves the variance here
      }
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      right.push(-1);

      let isLeaf = depth >= maxDepth || m < minSamplesSplit || m < 2 * minSamplesLeaf || impurity <= EPSILON;
      let nConstChild = nConst;
      if (!isLeaf) {
        nConstChild = this.findSplit(start, end, wTot, nConst, maxFeatures, hist, draws);
        if (this.bestF < 0) isLeaf = true;
      }
      if (isLeaf) {
        if (hist) this.histPool.push(hist);
        continue;
      }
      const f = this.bestF;
      const b = this.bestBin;
      const mid = this.partition(f, b, start, end);
      feature[id] = f;
      threshold[id] = this.threshold(f, b, this.bestNext);

      let hl: Float64Array | null = null;
      let hr: Float64Array | null = null;
      if (hist) {
        const nl = mid - start;
        const nr = end - mid;
        if (Math.max(nl, nr) >= SUBTRACTION_MIN_ROWS) {
          if (nl <= nr) {
            hl = this.buildFullHist(start, mid);
            hr = subtractInto(hist, hl, this.totalBins * S);
          } else {
            hr = this.buildFullHist(mid, end);
            hl = subtractInto(hist, hr, this.totalBins * S);
          }
        } else this.histPool.push(hist);
      }
      stStart.push(mid, start);
      stEnd.push(end, mid);
      stDepth.push(depth + 1, depth + 1);
      stParent.push(id, id);
      stIsLeft.push(0, 1);
      stNConst.push(nConstChild, nConstChild);
      stHist.push(hr, hl);
    }
    this.w = this.ones;
    return {
      feature: new Int32Array(feature),
      threshold: new Float64Array(threshold),
      left: new Int32Array(left),
      right: new Int32Array(right),
      value: new Float64Array(value),
    };
  }

  /**
   * Weighted class totals into `tot` (classification), or mean into tot[0] and variance into
   * leftC[0] (regression, two-pass so that a constant target has variance exactly 0).
   * Returns the node's total weight.
   */
  private nodeTotals(start: number, end: number): number {
    const { idx, w, tot } = this;
    let wTot = 0;
    if (this.K > 0) {
      const y = this.data.yClass!;
      tot.fill(0);
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        const wr = w[r]!;
        tot[y[r]!]! += wr;
        wTot += wr;
      }
      return wTot;
    }
    const y = this.data.yReal!;
    let s = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i]!;
      wTot += w[r]!;
      s += w[r]! * y[r]!;
    }
    const mean = s / wTot;
    let ss = 0;
    for (let i = start; i < end; i++) {
      const r = idx[i]!;
      const e = y[r]! - mean;
      ss += w[r]! * e * e;
    }
    tot[0] = mean;
    this.leftC[0] = ss / wTot;
    return wTot;
  }

  /**
   * sklearn's BestSplitter.node_split feature loop, step for step, so that with sklearn's random
   * numbers (SklearnTreeRandom) the features are visited in sklearn's order and ties between
   * equally good splits go the same way. `features` is a permutation kept from node to node;
   * features[0, nKnown) are the constants known from the ancestors (also in constantFeatures), and
   * a draw that lands there costs a draw but no scan. Up to maxFeatures draws are made - constants
   * count towards that, as in sklearn - but never fewer than it takes to scan one non-constant
   * feature. Sets best*; returns the constant count for the children.
   */
  private findSplit(start: number, end: number, wTot: number, nKnown: number, maxFeatures: number, hist: Float64Array | null, draws: FeatureDraws): number {
    const { d, features, constantFeatures } = this;
    this.bestProxy = -Infinity;
    this.bestF = -1;
    const m = end - start;
    let fi = d;
    let nVisited = 0;
    let nFound = 0;
    let nDrawn = 0;
    let nTotal = nKnown;
    while (fi > nTotal && (nVisited < maxFeatures || nVisited <= nFound + nDrawn)) {
      nVisited++;
      let fj = draws.randInt(nDrawn, fi - nFound);
      if (fj < nKnown) {
        // A constant known from an ancestor.
        swap(features, nDrawn, fj);
        nDrawn++;
        continue;
      }
      fj += nFound;
      const f = features[fj]!;
      let nnz: number;
      let H: Float64Array;
      let off: number;
      if (hist) {
        H = hist;
        off = this.binOff[f]! * this.S;
        nnz = this.nonEmptyBins(hist, off, this.data.nBins[f]!);
      } else {
        H = this.fh;
        off = 0;
        nnz = this.featureHist(f, start, end);
      }
      if (nnz <= 1) {
        swap(features, fj, nTotal);
        nFound++;
        nTotal++;
      } else {
        fi--;
        swap(features, fi, fj);
        if (this.K > 0) this.scanClassification(H, off, nnz, m, wTot, f);
        else this.scanRegression(H, off, nnz, m, wTot, f);
      }
      if (!hist) this.clearFeatureHist(nnz, this.data.nBins[f]!);
    }
    // sklearn's invariant: the known constants go back to the front in their original order, and
    // the newly found ones follow them in constantFeatures.
    features.set(constantFeatures.subarray(0, nKnown), 0);
    constantFeatures.set(features.subarray(nKnown, nKnown + nFound), nKnown);
    return nTotal;
  }

  /** Histogram of one feature over the node's rows into fh (indexed by bin); sorted non-empty bins into nz. */
  private featureHist(f: number, start: number, end: number): number {
    const { idx, fh, nz, S, w } = this;
    const codes = this.data.codes;
    const base = f * this.n;
    let nt = 0;
    if (this.K > 0) {
      const y = this.data.yClass!;
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        const b = codes[base + r]!;
        const p = b * S;
        if (fh[p] === 0) nz[nt++] = b;
        fh[p]! += 1;
        fh[p + 1 + y[r]!]! += w[r]!;
      }
    } else {
      const y = this.data.yReal!;
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        const b = codes[base + r]!;
        const p = b * 3;
        if (fh[p] === 0) nz[nt++] = b;
        const wr = w[r]!;
        fh[p]! += 1;
        fh[p + 1]! += wr;
        fh[p + 2]! += wr * y[r]!;
      }
    }
    if (nt <= SORT_TOUCHED_MAX) {
      for (let i = 1; i < nt; i++) {
        const v = nz[i]!;
        let j = i - 1;
        while (j >= 0 && nz[j]! > v) {
          nz[j + 1] = nz[j]!;
          j--;
        }
        nz[j + 1] = v;
      }
      return nt;
    }
    // With fine bins and a node much smaller than the bin count, radix-sorting the touched bins
    // beats scanning every bin.
    if (radixFaster(nt, this.data.nBins[f]!)) {
      radixSort16(nz, nt, this.radixTmp, this.radixCount);
      return nt;
    }
    return this.nonEmptyBins(fh, 0, this.data.nBins[f]!);
  }

  /** Zeroes fh again: bin by bin when few are non-empty (nz lists exactly those), else wholesale. */
  private clearFeatureHist(nnz: number, nb: number): void {
    const { fh, nz, S } = this;
    if (nnz * 4 < nb) {
      for (let t = 0; t < nnz; t++) {
        const p = nz[t]! * S;
        for (let s = 0; s < S; s++) fh[p + s] = 0;
      }
    } else fh.fill(0, 0, nb * S);
  }

  private nonEmptyBins(H: Float64Array, off: number, nb: number): number {
    const { nz, S } = this;
    let nt = 0;
    for (let b = 0; b < nb; b++) if (H[off + b * S]! > 0) nz[nt++] = b;
    return nt;
  }

  private scanClassification(H: Float64Array, off: number, nnz: number, m: number, wTot: number, f: number): void {
    const { K, S, nz, leftC, tot } = this;
    const minLeaf = this.params.minSamplesLeaf;
    leftC.fill(0);
    let leftN = 0;
    let leftW = 0;
    for (let t = 0; t < nnz - 1; t++) {
      const p = off + nz[t]! * S;
      leftN += H[p]!;
      for (let k = 0; k < K; k++) {
        const c = H[p + 1 + k]!;
        leftC[k]! += c;
        leftW += c;
      }
      if (leftN < minLeaf) continue;
      if (m - leftN < minLeaf) break;
      let sl = 0;
      let sr = 0;
      for (let k = 0; k < K; k++) {
        const l = leftC[k]!;
        const r = tot[k]! - l;
        sl += l * l;
        sr += r * r;
      }
      // sklearn's Gini proxy, in its arithmetic (so that equal splits are equal to the last bit
      // exactly when they are in sklearn): -wR * gini_R - wL * gini_L, gini = 1 - sum_k c_k^2 / w^2.
      const wR = wTot - leftW;
      const proxy = -wR * (1 - sr / (wR * wR)) - leftW * (1 - sl / (leftW * leftW));
      if (proxy > this.bestProxy) {
        this.bestProxy = proxy;
        this.bestF = f;
        this.bestBin = nz[t]!;
        this.bestNext = nz[t + 1]!;
      }
    }
  }

  private scanRegression(H: Float64Array, off: number, nnz: number, m: number, wTot: number, f: number): void {
    const { nz } = this;
    const minLeaf = this.params.minSamplesLeaf;
    const sTot = this.tot[0]! * wTot;
    let leftN = 0;
    let leftW = 0;
    let leftS = 0;
    for (let t = 0; t < nnz - 1; t++) {
      const p = off + nz[t]! * 3;
      leftN += H[p]!;
      leftW += H[p + 1]!;
      leftS += H[p + 2]!;
      if (leftN < minLeaf) continue;
      if (m - leftN < minLeaf) break;
      const rightS = sTot - leftS;
      // sklearn's MSE proxy: sum_L^2/wL + sum_R^2/wR.
      const proxy = (leftS * leftS) / leftW + (rightS * rightS) / (wTot - leftW);
      if (proxy > this.bestProxy) {
        this.bestProxy = proxy;
        this.bestF = f;
        this.bestBin = nz[t]!;
        this.bestNext = nz[t + 1]!;
      }
    }
  }

  /** All-feature histogram of the rows idx[start, end) (a buffer from the pool, filled from zero). */
  private buildFullHist(start: number, end: number): Float64Array {
    const { idx, S, w, n, d, binOff } = this;
    const size = this.totalBins * S;
    const H = this.histPool.pop() ?? new Float64Array(size);
    H.fill(0);
    const codes = this.data.codes;
    if (this.K > 0) {
      const y = this.data.yClass!;
      for (let f = 0; f < d; f++) {
        const base = f * n;
        const off = binOff[f]! * S;
        for (let i = start; i < end; i++) {
          const r = idx[i]!;
          const p = off + codes[base + r]! * S;
          H[p]! += 1;
          H[p + 1 + y[r]!]! += w[r]!;
        }
      }
    } else {
      const y = this.data.yReal!;
      for (let f = 0; f < d; f++) {
        const base = f * n;
        const off = binOff[f]! * 3;
        for (let i = start; i < end; i++) {
          const r = idx[i]!;
          const p = off + codes[base + r]! * 3;
          const wr = w[r]!;
          H[p]! += 1;
          H[p + 1]! += wr;
          H[p + 2]! += wr * y[r]!;
        }
      }
    }
    return H;
  }

  /** Stable partition of idx[start, end): rows with code <= bin first. Returns the boundary. */
  private partition(f: number, bin: number, start: number, end: number): number {
    const { idx, tmp } = this;
    const codes = this.data.codes;
    const base = f * this.n;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = idx[i]!;
      if (codes[base + row]! <= bin) idx[l++] = row;
      else tmp[r++] = row;
    }
    idx.set(tmp.subarray(0, r), l);
    return l;
  }

  /**
   * The real threshold for "bins <= b left, bins >= next right" (next = the first non-empty bin
   * above b in this node). Exact bins: midway between the two values, as sklearn's splitter
   * (falling back to the lower value when the midpoint rounds onto the upper). Quantile bins:
   * midway through the empty range of edges between the two bins.
   */
  private threshold(f: number, b: number, next: number): number {
    const values = this.data.binValues[f];
    if (values) {
      const a = values[b]!;
      const c = values[next]!;
      let t = a / 2 + c / 2;
      if (t === c || !Number.isFinite(t)) t = a;
      return t;
    }
    const edges = this.data.thresholds[f]!;
    return edges[b]! / 2 + edges[next - 1]! / 2;
  }
}

/** Gini impurity 1 - sum_k (c_k / total)^2 of (weighted) class counts. */
export function giniImpurity(counts: ArrayLike<number>, total: number): number {
  let sq = 0;
  for (let k = 0; k < counts.length; k++) {
    const p = counts[k]! / total;
    sq += p * p;
  }
  return 1 - sq;
}

function radixFaster(touched: number, nBins: number): boolean {
  return 4 * touched + 1024 < nBins;
}

/** Sorts a[0, n) (values < 65536) ascending: two counting-sort passes over the low and high bytes. */
export function radixSort16(a: Int32Array, n: number, tmp: Int32Array, count: Int32Array): void {
  count.fill(0);
  for (let i = 0; i < n; i++) count[a[i]! & 255]!++;
  for (let b = 0, sum = 0; b < 256; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) tmp[count[a[i]! & 255]!++] = a[i]!;
  count.fill(0);
  for (let i = 0; i < n; i++) count[tmp[i]! >>> 8]!++;
  for (let b = 0, sum = 0; b < 256; b++) {
    const c = count[b]!;
    count[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) a[count[tmp[i]! >>> 8]!++] = tmp[i]!;
}

/** parent -= child, in place; returns parent (now the sibling's histogram). */
function subtractInto(parent: Float64Array, child: Float64Array, size: number): Float64Array {
  for (let i = 0; i < size; i++) parent[i]! -= child[i]!;
  return parent;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
