/**
 * One tree of histogram gradient boosting, as scikit-learn's TreeGrower
 * (sklearn/ensemble/_hist_gradient_boosting/grower.py, splitting.pyx, histogram.pyx):
 * best-first growth (the splittable leaf with the largest gain is split next) up to maxLeafNodes
 * leaves; per-node histograms of gradient sum, hessian sum and count per bin; the smaller child's
 * histogram is built from its rows and the larger child's is the parent's minus the smaller's;
 * gain = G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2); leaf value = -G/(H+l2) * learningRate.
 * The per-node work (histograms, subtraction, split search) is done in node jobs
 * (hgb-node-job.ts) by a NodeJobRunner, on one thread or several (hgb-threads.ts).
 */
import { MIN_HESSIAN_TO_SPLIT, ROWS_NODE, type HgbData, type SplitSearch, type Split } from "./hgb-node-job";
import type { NodeJobRunner } from "./hgb-threads";

export interface HgbParams {
  /** Infinity for no limit. */
  maxLeafNodes: number;
  /** Infinity for no limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  learningRate: number;
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
  /** Histogram slot of each node that holds one (splittable leaves), else -1. */
  private hist: number[] = [];
  // Best split of each splittable node.
  private sGain: number[] = [];
  private sFeature: number[] = [];
  private sBin: number[] = [];
  private sGL: number[] = [];
  private sHL: number[] = [];
  /** Max-heap of splittable node ids by gain (ties: lower id first). */
  private heap: number[] = [];

  constructor(
    private readonly data: HgbData,
    private readonly runner: NodeJobRunner,
    private readonly params: HgbParams,
  ) {}

  /**
   * Grows a tree on the gradients/hessians at offset gOff, and adds each leaf's value to
   * raw[rawOff + row] for the rows it holds.
   */
  grow(gOff: number, raw: Float64Array, rawOff: number): HgbTree {
    const { data, params, runner } = this;
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
      const slot = runner.slots.take();
      this.hist[root] = slot;
      runner.run({ gOff, start: 0, end: n, mode: runner.rootMode(), built: slot, parent: -1, searches: [this.search(root)] });
      this.splitOrFinalize(root, runner.best(0));
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
      const parentSlot = this.hist[id]!;
      this.hist[id] = -1;

      const nLeaves = finalized + this.heap.length + 2;
      if (nLeaves >= params.maxLeafNodes) {
        // The leaf budget is spent: every remaining splittable node becomes a leaf.
        runner.slots.release(parentSlot);
        for (const k of this.heap) this.releaseHist(k);
        finalized += this.heap.length + 2;
        this.heap.length = 0;
        break;
      }
      const splitL = d < params.maxDepth && mid - s >= 2 * minLeaf;
      const splitR = d < params.maxDepth && e - mid >= 2 * minLeaf;
      if (!splitL && !splitR) {
        runner.slots.release(parentSlot);
        finalized += 2;
        continue;
      }
      // Build the smaller child's histograms; the larger child's are the parent's minus those.
      const small = mid - s < e - mid ? l : r;
      const large = small === l ? r : l;
      this.hist[small] = runner.slots.take();
      this.hist[large] = parentSlot;
      const searched = [...(splitL ? [l] : []), ...(splitR ? [r] : [])];
      runner.run({
        gOff,
        start: this.start[small]!,
        end: this.end[small]!,
        mode: ROWS_NODE,
        built: this.hist[small]!,
        parent: parentSlot,
        searches: searched.map((k) => this.search(k)),
      });
      searched.forEach((k, t) => {
        if (!this.splitOrFinalize(k, runner.best(t))) finalized++;
      });
      for (const k of [l, r]) {
        if (!searched.includes(k)) {
          this.releaseHist(k);
          finalized++;
        }
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
    this.hist.push(-1);
    this.sGain.push(-1);
    this.sFeature.push(-1);
    this.sBin.push(-1);
    this.sGL.push(0);
    this.sHL.push(0);
    return id;
  }

  private search(id: number): SplitSearch {
    return { slot: this.hist[id]!, G: this.sumG[id]!, H: this.sumH[id]!, N: this.end[id]! - this.start[id]! };
  }

  private releaseHist(id: number): void {
    const slot = this.hist[id]!;
    if (slot >= 0) {
      this.runner.slots.release(slot);
      this.hist[id] = -1;
    }
  }

  /** Records the node's best split and pushes it on the heap (true), or makes it a leaf (false). */
  private splitOrFinalize(id: number, split: Split | null): boolean {
    if (!split) {
      this.releaseHist(id);
      return false;
    }
    this.sGain[id] = split.gain;
    this.sFeature[id] = split.feature;
    this.sBin[id] = split.bin;
    this.sGL[id] = split.GL;
    this.sHL[id] = split.HL;
    this.pushHeap(id);
    return true;
  }

  /** Stable partition of idx[start, end) by code <= bin (a WebAssembly loop, ~2x the TypeScript one). */
  private partition(f: number, bin: number, start: number, end: number): number {
    const { at, nRows } = this.data;
    return this.runner.loops.partition(at.codes, nRows, f, bin, at.idx, at.scratch, start, end);
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
