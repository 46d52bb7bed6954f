/**
 * Decision tree, random forest and gradient boosting from server/ml/trees. All three share the
 * TreeEnsembleState (server/ml/trees/types.ts) and one predict, predictTreeEnsemble.
 */
import { z } from "zod";
import { fitDecisionTreeClassifier, fitDecisionTreeRegressor } from "../trees/decision-tree";
import { predictTreeEnsemble } from "../trees/predict";
import { fitGradientBoostingClassifier, fitGradientBoostingRegressor } from "../trees/gradient-boosting";
import { fitRandomForestClassifier, fitRandomForestRegressor } from "../trees/random-forest";
import type { TreeEnsembleState } from "../trees/types";
import type { MaxFeatures } from "../trees/common";
import {
  boostingLearningRate,
  boostingMinSamplesLeaf,
  bootstrap,
  earlyStopping,
  l2Regularization,
  maxBins,
  maxDepth,
  maxFeatures,
  maxLeafNodes,
  minSamplesLeaf,
  minSamplesSplit,
  nEstimators,
} from "./params";
import { KERNELS } from "../kernels";
import { defineModel, type ModelSpec } from "./types";

const predict = (state: TreeEnsembleState, X: import("../matrix").Matrix) => predictTreeEnsemble(state, X);

export const decisionTreeModel = defineModel({
  id: "decision-tree",
  title: "Decision tree",
  description: "A single CART tree (gini / squared error), as scikit-learn's DecisionTreeClassifier/Regressor.",
  tasks: ["classification", "regression"],
  params: z.object({ maxDepth, minSamplesSplit, minSamplesLeaf }),
  constantColumns: "ok",
  defaultSpace: [
    { param: "maxDepth", type: "int", low: 1, high: 20 },
    { param: "minSamplesLeaf", type: "int", low: 1, high: 20 },
  ],
  fit(X, y, ctx): TreeEnsembleState {
    const p = {
      maxDepth: ctx.params.maxDepth ?? null,
      minSamplesSplit: ctx.params.minSamplesSplit,
      minSamplesLeaf: ctx.params.minSamplesLeaf,
      seed: ctx.seed,
      featureNames: ctx.featureNames,
      classNames: ctx.classNames,
    };
    return ctx.task === "classification"
      ? fitDecisionTreeClassifier(X, y as Int32Array, ctx.nClasses, p)
      : fitDecisionTreeRegressor(X, y as Float64Array, p);
  },
  predict,
});

/** "auto" is scikit-learn 1.2's default: sqrt(features) per split for classes, all for numbers. */
function forestMaxFeatures(value: "auto" | "sqrt" | "log2" | "all", task: "classification" | "regression"): MaxFeatures {
  if (value === "auto") return task === "classification" ? "sqrt" : null;
  return value === "all" ? null : value;
}

export const randomForestModel = defineModel({
  id: "random-forest",
  title: "Random forest",
  description: "Bootstrap-aggregated CART trees grown in parallel, as scikit-learn's RandomForestClassifier/Regressor.",
  tasks: ["classification", "regression"],
  params: z.object({ nEstimators, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures, bootstrap }),
  constantColumns: "ok",
  defaultSpace: [
    { param: "maxDepth", type: "int", low: 2, high: 30 },
    { param: "minSamplesLeaf", type: "int", low: 1, high: 10 },
    { param: "maxFeatures", type: "choice", values: ["sqrt", "log2", "all"] },
  ],
  fit(X, y, ctx): Promise<TreeEnsembleState> {
    const p = {
      nEstimators: ctx.params.nEstimators,
      maxDepth: ctx.params.maxDepth ?? null,
      minSamplesSplit: ctx.params.minSamplesSplit,
      minSamplesLeaf: ctx.params.minSamplesLeaf,
      maxFeatures: forestMaxFeatures(ctx.params.maxFeatures, ctx.task),
      bootstrap: ctx.params.bootstrap,
      seed: ctx.seed,
      threads: ctx.threads,
      signal: ctx.signal,
      onProgress: (f: number) => ctx.onProgress?.(f, `tree ${Math.round(f * ctx.params.nEstimators)}/${ctx.params.nEstimators}`),
      featureNames: ctx.featureNames,
      classNames: ctx.classNames,
    };
    return ctx.task === "classification"
      ? fitRandomForestClassifier(X, y as Int32Array, ctx.nClasses, p)
      : fitRandomForestRegressor(X, y as Float64Array, p);
  },
  predict,
});

export const gradientBoostingModel = defineModel({
  id: "gradient-boosting",
  title: "Gradient boosting",
  description: "Histogram-based gradient-boosted trees, as scikit-learn's HistGradientBoostingClassifier/Regressor.",
  tasks: ["classification", "regression"],
  params: z.object({ nEstimators, boostingLearningRate, maxLeafNodes, maxDepth, boostingMinSamplesLeaf, l2Regularization, maxBins, earlyStopping }),
  constantColumns: "ok",
  kernelThreads: [KERNELS.histogramBoosting],
  defaultSpace: [
    { param: "boostingLearningRate", type: "log-float", low: 0.01, high: 0.5 },
    { param: "maxLeafNodes", type: "int", low: 4, high: 64 },
    { param: "boostingMinSamplesLeaf", type: "int", low: 5, high: 100 },
    { param: "l2Regularization", type: "log-float", low: 1e-3, high: 10 },
  ],
  fit(X, y, ctx): Promise<TreeEnsembleState> {
    const q = ctx.params;
    const p = {
      learningRate: q.boostingLearningRate,
      maxIter: q.nEstimators,
      maxLeafNodes: q.maxLeafNodes,
      maxDepth: q.maxDepth ?? null,
      minSamplesLeaf: q.boostingMinSamplesLeaf,
      l2Regularization: q.l2Regularization,
      maxBins: q.maxBins,
      earlyStopping: q.earlyStopping === "auto" ? ("auto" as const) : q.earlyStopping === "on",
      seed: ctx.seed,
      threads: ctx.threads,
      signal: ctx.signal,
      onProgress: (f: number) => ctx.onProgress?.(f, `iteration ${Math.round(f * q.nEstimators)}/${q.nEstimators}`),
      featureNames: ctx.featureNames,
      classNames: ctx.classNames,
    };
    return ctx.task === "classification"
      ? fitGradientBoostingClassifier(X, y as Int32Array, ctx.nClasses, p)
      : fitGradientBoostingRegressor(X, y as Float64Array, p);
  },
  predict,
});

export const TREE_MODELS: ModelSpec<any, any>[] = [decisionTreeModel, randomForestModel, gradientBoostingModel];
