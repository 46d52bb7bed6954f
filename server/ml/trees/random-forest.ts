/**
 * Random forests as scikit-learn 1.2's RandomForestClassifier / RandomForestRegressor: each tree
 * is a CART tree (cart.ts) on a bootstrap sample, drawing maxFeatures features per node
 * ("sqrt" for classification, all for regression by default); predict_proba is the average of the
 * trees' leaf class proportions.
 *
 * Trees are grown in parallel on worker threads that share the binned data through a
 * SharedArrayBuffer. Tree i is a function of (seed, i) alone, and the main thread hands out tree
 * indices to whichever worker is free, so the forest is identical for every thread count and
 * timing (and equal to the in-process, one-thread result).
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { Matrix } from "../matrix";
import { applyBinMapper, fitBinMapper, MAX_BINS } from "./binning";
import { CartGrower, type CartData, type CartParams } from "./cart";
import {
  abortError,
  checkClassLabels,
  checkFeatures,
  checkInt,
  checkMaxDepth,
  checkRegressionTarget,
  checkSeed,
  checkThreads,
  deriveSeed,
  resolveMaxFeatures,
  throwIfAborted,
  toFittedTree,
  yieldToEventLoop,
  type MaxFeatures,
  type TrainingNames,
  type TypedTree,
} from "./common";
import type { ForestWorkerData, ForestWorkerResult } from "./forest-worker";
import { BINNING_STREAM, growForestTree, type ForestSpec } from "./forest-tree";
import type { FittedTree, TreeEnsembleState } from "./types";
import { startTsWorker } from "../worker-threads";

export interface RandomForestParams extends TrainingNames {
  /** Number of trees. Default 100. */
  nEstimators?: number;
  /** Default null: trees grow until leaves are pure or too small. */
  maxDepth?: number | null;
  minSamplesSplit?: number;
  minSamplesLeaf?: number;
  /** Features drawn per node. Default "sqrt" for classification, null (all) for regression (sklearn 1.2). */
  maxFeatures?: MaxFeatures;
  /** Fit each tree on a bootstrap sample of n rows (default true); false = every tree sees all rows. */
  bootstrap?: boolean;
  /**
   * Bins per feature, 2..65535. Default 255: candidate splits at 254 quantiles per feature, which
   * fits 2-3x faster than exact splits and, averaged over the trees, scores as sklearn's exact
   * forest does (see sklearn-parity.test.ts). 65535 = exact CART splits as in sklearn.
   */
  maxBins?: number;
  seed?: number;
  /**
   * Worker threads growing trees. Default: os.availableParallelism(), except that small fits
   * (rows x trees < 500k) stay in-process because starting threads costs more than they save.
   * 1 = in-process. The fitted forest does not depend on this.
   */
  threads?: number;
  /** Called with the fraction of trees done, after each tree. */
  onProgress?: (fraction: number) => void;
  /** Checked between trees; an abort rejects with the signal's reason (or an AbortError). */
  signal?: AbortSignal;
}

/** Below this many rows x trees an automatic thread count stays in-process. */
const AUTO_THREADS_MIN_WORK = 500_000;

export async function fitRandomForestClassifier(X: Matrix, y: Int32Array, nClasses: number, params: RandomForestParams = {}): Promise<TreeEnsembleState> {
  checkFeatures(X, y.length, params, "random forest");
  checkClassLabels(y, nClasses, params);
  return fitForest(X, { yClass: y, yReal: null, nClasses }, params.maxFeatures === undefined ? "sqrt" : params.maxFeatures, params);
}

export async function fitRandomForestRegressor(X: Matrix, y: Float64Array, params: RandomForestParams = {}): Promise<TreeEnsembleState> {
  checkFeatures(X, y.length, params, "random forest");
  checkRegressionTarget(y);
  return fitForest(X, { yClass: null, yReal: y, nClasses: 0 }, params.maxFeatures === undefined ? null : params.maxFeatures, params);
}

async function fitForest(
  X: Matrix,
  target: Pick<CartData, "yClass" | "yReal" | "nClasses">,
  maxFeatures: MaxFeatures,
  params: RandomForestParams,
): Promise<TreeEnsembleState> {
  const nEstimators = checkInt("nEstimators", params.nEstimators ?? 100, 1);
  const cartParams: CartParams = {
    maxDepth: checkMaxDepth(params.maxDepth ?? null),
    minSamplesSplit: checkInt("minSamplesSplit", params.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: checkInt("minSamplesLeaf", params.minSamplesLeaf ?? 1, 1),
    maxFeatures: resolveMaxFeatures(maxFeatures, X.cols),
  };
  const seed = checkSeed(params.seed ?? 0);
  let threads = checkThreads(params.threads, availableParallelism());
  if (params.threads === undefined && X.rows * nEstimators < AUTO_THREADS_MIN_WORK) threads = 1;
  threads = Math.min(threads, nEstimators);
  const { signal, onProgress } = params;
  throwIfAborted(signal);

  const spec: ForestSpec = { params: cartParams, bootstrap: params.bootstrap ?? true, seed };
  const mapper = fitBinMapper(X, { maxBins: params.maxBins ?? MAX_BINS, seed: deriveSeed(seed, BINNING_STREAM) });
  const n = X.rows;
  const trees: FittedTree[] = new Array<FittedTree>(nEstimators);

  if (threads <= 1) {
    const data: CartData = {
      nRows: n,
      nFeatures: X.cols,
      codes: applyBinMapper(X, mapper, new Uint16Array(n * X.cols)),
      nBins: mapper.nBins,
      thresholds: mapper.thresholds,
      binValues: mapper.binValues,
      ...target,
    };
    const grower = new CartGrower(data, cartParams);
    for (let i = 0; i < nEstimators; i++) {
      trees[i] = toFittedTree(growForestTree(grower, data, spec, i));
      onProgress?.((i + 1) / nEstimators);
      if (i + 1 < nEstimators) {
        await yieldToEventLoop();
        throwIfAborted(signal);
      }
    }
  } else {
    const codes = new SharedArrayBuffer(n * X.cols * 2);
    applyBinMapper(X, mapper, new Uint16Array(codes));
    const workerData: ForestWorkerData = {
      codes,
      yClass: target.yClass ? shareCopy(target.yClass) : null,
      yReal: target.yReal ? shareCopy(target.yReal) : null,
      nRows: n,
      nFeatures: X.cols,
      nClasses: target.nClasses,
      nBins: mapper.nBins,
      thresholds: mapper.thresholds,
      binValues: mapper.binValues,
      spec,
    };
    let done = 0;
    await runOnWorkers(workerData, nEstimators, threads, signal, (i, t) => {
      trees[i] = toFittedTree(t);
      onProgress?.(++done / nEstimators);
    });
  }

  const classification = target.nClasses > 0;
  const nOutputs = classification ? target.nClasses : 1;
  return {
    kind: "tree-ensemble",
    algorithm: "random-forest",
    task: classification ? "classification" : "regression",
    nFeatures: X.cols,
    nClasses: classification ? target.nClasses : null,
    nOutputs,
    trees,
    aggregate: "average",
    baseScore: new Array<number>(nOutputs).fill(0),
    postTransform: "none",
  };
}

function shareCopy(a: Int32Array | Float64Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return sab;
}

/** Hands tree indices 0..nTrees-1 to `threads` workers, the next index to whichever finishes first. */
function runOnWorkers(
  workerData: ForestWorkerData,
  nTrees: number,
  threads: number,
  signal: AbortSignal | undefined,
  onTree: (index: number, tree: TypedTree) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => settle(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    for (let k = 0; k < threads; k++) {
      const worker = startTsWorker(new URL("./forest-worker.ts", import.meta.url), workerData as unknown as Record<string, unknown>);
      workers.push(worker);
      worker.on("message", (msg: ForestWorkerResult) => {
        if (settled) return;
        try {
          onTree(msg.tree, msg);
        } catch (error) {
          settle(error as Error);
          return;
        }
        if (++done === nTrees) return settle();
        if (next < nTrees) worker.postMessage(next++);
      });
      worker.on("error", (error) => settle(error));
      worker.on("exit", (code) => {
        if (!settled) settle(new Error(`a random-forest worker thread exited early (code ${code})`));
      });
      worker.postMessage(next++);
    }
  });
}
