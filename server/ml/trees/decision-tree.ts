/**
 * A single CART decision tree (scikit-learn's DecisionTreeClassifier / DecisionTreeRegressor with
 * criterion "gini" / "squared_error"), grown on binned features; see cart.ts for the algorithm.
 * With the default fine binning it is exact CART; on 255 bins (the HGB binning) a fully grown
 * tree on noisy data can lose a couple of accuracy points because deep nodes cannot split
 * inside a bin (sklearn's own DecisionTreeClassifier fed 255-bin codes loses the same).
 */
import type { Matrix } from "../matrix";
import { applyBinMapper, fitBinMapper, MAX_FINE_BINS } from "./binning";
import { CartGrower, type CartData } from "./cart";
import {
  checkClassLabels,
  checkFeatures,
  checkInt,
  checkMaxDepth,
  checkRegressionTarget,
  checkSeed,
  deriveSeed,
  resolveMaxFeatures,
  toFittedTree,
  type MaxFeatures,
  type TrainingNames,
} from "./common";
import { BINNING_STREAM } from "./forest-tree";
import { SklearnTreeRandom } from "./sklearn-random";
import type { TreeEnsembleState } from "./types";

export interface DecisionTreeParams extends TrainingNames {
  /** Longest root-to-leaf path in edges; null (default) = grow until leaves are pure or too small. */
  maxDepth?: number | null;
  /** A node with fewer rows is not split. Default 2. */
  minSamplesSplit?: number;
  /** Every leaf keeps at least this many rows. Default 1. */
  minSamplesLeaf?: number;
  /**
   * Features drawn at each node; default null = all. The draws are scikit-learn's for
   * random_state = seed, so ties between equally good splits are broken as sklearn breaks them.
   */
  maxFeatures?: MaxFeatures;
  /**
   * Bins per feature, 2..65535. Default 65535: one bin per distinct value (up to 65535 of them,
   * then quantiles), so that the candidate splits and thresholds are those of exact CART. Fewer
   * bins (e.g. 255) fit faster on large data but coarsen the splits of deep nodes.
   */
  maxBins?: number;
  seed?: number;
}

export function fitDecisionTreeClassifier(X: Matrix, y: Int32Array, nClasses: number, params: DecisionTreeParams = {}): TreeEnsembleState {
  checkFeatures(X, y.length, params, "decision tree");
  checkClassLabels(y, nClasses, params);
  const tree = fitTree(X, { yClass: y, yReal: null, nClasses }, params);
  return {
    kind: "tree-ensemble",
    algorithm: "decision-tree",
    task: "classification",
    nFeatures: X.cols,
    nClasses,
    nOutputs: nClasses,
    trees: [tree],
    aggregate: "average",
    baseScore: new Array<number>(nClasses).fill(0),
    postTransform: "none",
  };
}

export function fitDecisionTreeRegressor(X: Matrix, y: Float64Array, params: DecisionTreeParams = {}): TreeEnsembleState {
  checkFeatures(X, y.length, params, "decision tree");
  checkRegressionTarget(y);
  const tree = fitTree(X, { yClass: null, yReal: y, nClasses: 0 }, params);
  return {
    kind: "tree-ensemble",
    algorithm: "decision-tree",
    task: "regression",
    nFeatures: X.cols,
    nClasses: null,
    nOutputs: 1,
    trees: [tree],
    aggregate: "average",
    baseScore: [0],
    postTransform: "none",
  };
}

function fitTree(X: Matrix, target: Pick<CartData, "yClass" | "yReal" | "nClasses">, params: DecisionTreeParams) {
  const maxDepth = checkMaxDepth(params.maxDepth ?? null);
  const minSamplesSplit = checkInt("minSamplesSplit", params.minSamplesSplit ?? 2, 2);
  const minSamplesLeaf = checkInt("minSamplesLeaf", params.minSamplesLeaf ?? 1, 1);
  const maxFeatures = resolveMaxFeatures(params.maxFeatures ?? null, X.cols);
  const seed = checkSeed(params.seed ?? 0);
  const mapper = fitBinMapper(X, { maxBins: params.maxBins ?? MAX_FINE_BINS, seed: deriveSeed(seed, BINNING_STREAM) });
  const data: CartData = {
    nRows: X.rows,
    nFeatures: X.cols,
    codes: applyBinMapper(X, mapper, new Uint16Array(X.rows * X.cols)),
    nBins: mapper.nBins,
    thresholds: mapper.thresholds,
    binValues: mapper.binValues,
    ...target,
  };
  const cartParams = { maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures };
  const grower = new CartGrower(data, cartParams);
  return toFittedTree(grower.grow(null, null, new SklearnTreeRandom(seed)));
}
