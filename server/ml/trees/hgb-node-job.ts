/**
 * The work a histogram-boosting tree does for each node, cut into chunks of four features so that
 * threads can share it (hgb-threads.ts). A node job builds one node's histograms; when that node
 * is the smaller child, it also turns the parent's histograms into the larger child's by
 * subtraction; then it searches the best split of up to two nodes. Every step for a feature
 * reads and writes only that feature's bins, so a chunk is independent of every other chunk.
 *
 * Sums follow scikit-learn (histogram.pyx, splitting.pyx): per bin, the gradient sum, hessian sum
 * and count in row order; gain = G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2); the first feature
 * and bin with the strictly largest gain wins. A feature's sums are always made by one thread in
 * row order, and the chunks' best splits are reduced in feature order, so the tree is the same
 * bit for bit whichever thread did which chunk.
 *
 * No Node-only imports: this runs inside worker threads too (hgb-worker.ts).
 */
import type { BoostingLoops } from "./hgb-memory";

/**
 * The data a node job reads. codes, idx, grad and hess are views of the fit's WebAssembly memory
 * (hgb-memory.ts), at the byte offsets in `at`, where the WebAssembly loops read them.
 */
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
  /**
   * Every hessian is 1 (squared error). As in sklearn (hessians_are_constant), the histograms then
   * skip the hessian sums and the split search reads a bin's hessian sum as its count: one
   * read-modify-write fewer per row and feature, and the same sums, since a sum of ones is exact.
   */
  hessianIsOne: boolean;
  /**
   * Byte offsets in the memory. scratch (nRows ints) is the tree grower's, for partitioning idx.
   * A classifier's raw scores (K blocks of nRows doubles) and classes (nRows ints) are there too,
   * and softmax scratch space (softmaxBytes per block of GRADIENT_ROWS rows); 0 for a regressor.
   */
  at: { codes: number; idx: number; grad: number; hess: number; scratch: number; raw: number; classes: number; softmax: number };
  /** Trees per iteration (K): the classes of a multiclass fit, else 1. */
  trees: number;
}

/** Rows per chunk of the gradient job. */
export const GRADIENT_ROWS = 4096;

/** A classifier's gradients and hessians of rows [c * GRADIENT_ROWS, ...) at the current raw scores. */
export function gradientChunk(ctx: ChunkContext, c: number): void {
  const { at, nRows, trees } = ctx.data;
  const from = c * GRADIENT_ROWS;
  const to = Math.min(nRows, from + GRADIENT_ROWS);
  ctx.loops.classGradients(at.raw, at.classes, nRows, from, to, trees, at.grad, at.hess, at.softmax + c * softmaxBytes(trees));
}

/**
 * Bytes of a gradient chunk's softmax scratch: K doubles, rounded up to whole cache lines, since
 * chunks next to each other run on different threads and write theirs for every row.
 */
export function softmaxBytes(trees: number): number {
  return Math.ceil((trees * 8) / 64) * 64;
}

/** How a job reads rows: a node's rows through idx, or all rows in order (the root). */
export const ROWS_NODE = 0;
export const ROWS_ROOT = 1;
/** The root without the per-bin counts: they are the same in every tree, so they are copied from the first root's. */
export const ROWS_ROOT_NO_COUNT = 2;

/** Features per chunk (two passes of the histogram loops): the unit of work the threads claim. */
export const CHUNK_FEATURES = 4;
/** sklearn's min_hessian_to_split default. */
export const MIN_HESSIAN_TO_SPLIT = 1e-3;
/** A job searches at most this many nodes (the two children of a split). */
export const MAX_SEARCHES = 2;
/** Doubles per split record: gain, feature, bin, G_left, H_left, n_left. */
export const SPLIT_FIELDS = 6;

export function histogramOffsets(nBins: Int32Array): Int32Array {
  const off = new Int32Array(nBins.length + 1);
  for (let f = 0; f < nBins.length; f++) off[f + 1] = off[f]! + nBins[f]!;
  return off;
}

export function chunkCount(nFeatures: number): number {
  return Math.ceil(nFeatures / CHUNK_FEATURES);
}

/** Doubles of ChunkContext.results. */
export function resultsLength(nFeatures: number): number {
  return MAX_SEARCHES * chunkCount(nFeatures) * SPLIT_FIELDS;
}

/** A node whose best split a job searches: its histogram slot and its totals. */
export interface SplitSearch {
  slot: number;
  G: number;
  H: number;
  N: number;
}

export interface NodeJob {
  /** Offset of the tree's gradients in data.grad / data.hess. */
  gOff: number;
  /** The rows whose histograms are built: idx[start, end), or all rows for a root mode. */
  start: number;
  end: number;
  mode: number;
  /** Slot that receives the built histograms. */
  built: number;
  /** Slot of the parent's histograms, which become the sibling's (parent - built); -1 for none. */
  parent: number;
  searches: SplitSearch[];
}

/** What a thread needs to run chunks: the data, its views of the shared buffers, the split rules. */
export interface ChunkContext {
  data: HgbData;
  loops: BoostingLoops;
  /** A histogram slot: a view of the fit's memory, whose byteOffset the WebAssembly loops take. */
  hist(slot: number): Float64Array;
  /** The root's per-bin counts, saved by the first root job (ROWS_ROOT) and copied by later ones. */
  rootCounts: Float64Array;
  /** Best split per search per chunk: [search][chunk][SPLIT_FIELDS], in the fit's memory (resultsLength). */
  results: Float64Array;
  nChunks: number;
  l2: number;
  minLeaf: number;
}

/** Everything a job does for the features of chunk c. */
export function runChunk(ctx: ChunkContext, job: NodeJob, c: number): void {
  const { data } = ctx;
  const fStart = c * CHUNK_FEATURES;
  const fEnd = Math.min(fStart + CHUNK_FEATURES, data.nFeatures);
  const from = data.binOff[fStart]! * 3;
  const to = data.binOff[fEnd]! * 3;
  const built = ctx.hist(job.built);
  built.fill(0, from, to);
  accumulate(ctx, job, fStart, fEnd);
  if (job.mode === ROWS_ROOT) {
    for (let p = from + 2; p < to; p += 3) ctx.rootCounts[(p - 2) / 3] = built[p]!;
  } else if (job.mode === ROWS_ROOT_NO_COUNT) {
    for (let p = from + 2; p < to; p += 3) built[p] = ctx.rootCounts[(p - 2) / 3]!;
  }
  if (job.parent >= 0) ctx.loops.subtract(ctx.hist(job.parent).byteOffset, built.byteOffset, from, to);
  for (let t = 0; t < job.searches.length; t++) {
    const s = job.searches[t]!;
    bestSplit(ctx, s, fStart, fEnd, (t * ctx.nChunks + c) * SPLIT_FIELDS);
  }
}

/**
 * The histogram sums of features [fStart, fEnd), by the WebAssembly loops: two features per pass
 * over the rows, which loads each row index and gradient once for two histograms, then one for an
 * odd feature. A node's gradients are read through its row indices where they lie (a node's rows
 * are a few hundred KB of float32 at most, in cache); gathering them into row order first took as
 * long, on the main thread alone. The first root also counts its rows per bin; every later root
 * copies those counts (runChunk).
 */
function accumulate(ctx: ChunkContext, job: NodeJob, fStart: number, fEnd: number): void {
  const { data, loops } = ctx;
  const { binOff, nRows: n, at } = data;
  const out = ctx.hist(job.built).byteOffset;
  const grad = at.grad + 4 * job.gOff;
  const hess = at.hess + 4 * job.gOff;
  const node = job.mode === ROWS_NODE;
  const withHessians = !data.hessianIsOne;
  let f = fStart;
  for (; f + 2 <= fEnd; f += 2) {
    const o0 = binOff[f]! * 3;
    const o1 = binOff[f + 1]! * 3;
    if (node && withHessians) loops.node2(at.codes, n, f, at.idx, job.start, job.end, grad, hess, out, o0, o1);
    else if (node) loops.node2NoHessians(at.codes, n, f, at.idx, job.start, job.end, grad, out, o0, o1);
    else if (withHessians) loops.root2(at.codes, n, f, grad, hess, out, o0, o1);
    else loops.root2NoHessians(at.codes, n, f, grad, out, o0, o1);
  }
  if (f < fEnd) {
    const o = binOff[f]! * 3;
    if (node) loops.one(at.codes, n, f, at.idx, job.start, job.end, grad, hess, out, o, +withHessians, 1);
    else loops.one(at.codes, n, f, 0, 0, n, grad, hess, out, o, +withHessians, 0);
  }
  if (job.mode === ROWS_ROOT) for (let k = fStart; k < fEnd; k++) loops.countRows(at.codes, n, k, out, binOff[k]! * 3);
}

/**
 * The best split of a node over features [fStart, fEnd) into results[at..]: gain (-1 when there
 * is none), feature, bin (rows with code <= bin go left), and the left side's G, H and count.
 * sklearn's rules: both sides need minLeaf rows and MIN_HESSIAN_TO_SPLIT hessian; only a positive
 * gain counts.
 */
function bestSplit(ctx: ChunkContext, s: SplitSearch, fStart: number, fEnd: number, at: number): void {
  const { nBins, binOff } = ctx.data;
  // Where a bin's hessian sum is: its own slot, or its count when every hessian is 1.
  const hSlot = ctx.data.hessianIsOne ? 2 : 1;
  const l2 = ctx.l2 + 1e-15;
  const { G, H, N } = s;
  // sklearn: gain = loss(node) - loss(left) - loss(right), loss(G, H) = G * value = -G^2 / (H + l2).
  const lossNode = (-G * G) / (H + l2);
  const { results } = ctx;
  results.fill(0, at, at + SPLIT_FIELDS);
  results[at] = -1;
  results[at + 1] = -1;
  results[at + 2] = -1;
  const histAt = ctx.hist(s.slot).byteOffset;
  const resultAt = results.byteOffset + at * 8;
  for (let f = fStart; f < fEnd; f++) {
    ctx.loops.scanSplits(histAt + binOff[f]! * 24, nBins[f]! - 1, hSlot, f, G, H, N, lossNode, l2, ctx.minLeaf, MIN_HESSIAN_TO_SPLIT, resultAt);
  }
}

export interface Split {
  gain: number;
  feature: number;
  bin: number;
  GL: number;
  HL: number;
  NL: number;
}

/** The best split of search t over all chunks (the first strictly largest gain in feature order), or null. */
export function reduceChunks(results: Float64Array, nChunks: number, t: number): Split | null {
  let best = -1;
  for (let c = 0; c < nChunks; c++) {
    const at = (t * nChunks + c) * SPLIT_FIELDS;
    if (results[at + 1]! >= 0 && (best < 0 || results[at]! > results[best]!)) best = at;
  }
  if (best < 0) return null;
  return { gain: results[best]!, feature: results[best + 1]!, bin: results[best + 2]!, GL: results[best + 3]!, HL: results[best + 4]!, NL: results[best + 5]! };
}
