/**
 * Prediction from a TreeEnsembleState, exactly as types.ts defines it (and as the ONNX
 * TreeEnsembleClassifier/Regressor export computes it): route each row with
 * "x[feature] <= threshold goes left", combine the leaves' value vectors by "average" or
 * baseScore + "sum", then apply postTransform.
 */
import { MlInputError } from "../errors";
import { assertFinite, type Matrix } from "../matrix";
import type { TreeEnsembleState } from "./types";

interface CompiledTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** States are immutable once fitted, so their typed-array form is compiled once per state object. */
const compiled = new WeakMap<TreeEnsembleState, CompiledTree[]>();

function compile(state: TreeEnsembleState): CompiledTree[] {
  let trees = compiled.get(state);
  if (!trees) {
    trees = state.trees.map((t, i) => {
      const n = t.feature.length;
      if (t.threshold.length !== n || t.left.length !== n || t.right.length !== n || t.value.length !== n * state.nOutputs) {
        throw new MlInputError(`tree ${i} of the model is malformed: its node arrays have different lengths`);
      }
      return {
        feature: new Int32Array(t.feature),
        threshold: new Float64Array(t.threshold),
        left: new Int32Array(t.left),
        right: new Int32Array(t.right),
        value: new Float64Array(t.value),
      };
    });
    compiled.set(state, trees);
  }
  return trees;
}

/** Number of output columns of predictTreeEnsemble: nClasses for classification, 1 for regression. */
export function outputWidth(state: TreeEnsembleState): number {
  return state.task === "classification" ? state.nClasses! : 1;
}

/**
 * Classification: class probabilities, row-major rows x nClasses (binary boosting gives the two
 * columns [1 - p, p]). Regression: one value per row.
 */
export function predictTreeEnsemble(state: TreeEnsembleState, X: Matrix, options: { featureNames?: readonly string[] } = {}): Float64Array {
  if (X.cols !== state.nFeatures) {
    throw new MlInputError(`the model was trained on ${state.nFeatures} feature column(s) but the data has ${X.cols}; pass the same feature columns in the same order`);
  }
  assertFinite(X, options.featureNames);
  const raw = rawScores(state, X);
  const n = X.rows;
  const nOut = state.nOutputs;
  switch (state.postTransform) {
    case "none":
      return raw;
    case "logistic": {
      if (nOut !== 1) throw new MlInputError(`a "logistic" model must have one output per leaf, this one has ${nOut}`);
      const out = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-raw[i]!));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    case "softmax": {
      for (let i = 0; i < n; i++) {
        const o = i * nOut;
        let max = -Infinity;
        for (let k = 0; k < nOut; k++) max = Math.max(max, raw[o + k]!);
        let s = 0;
        for (let k = 0; k < nOut; k++) {
          const e = Math.exp(raw[o + k]! - max);
          raw[o + k] = e;
          s += e;
        }
        for (let k = 0; k < nOut; k++) raw[o + k]! /= s;
      }
      return raw;
    }
  }
}

/** The combined leaf values before postTransform: rows x nOutputs. */
export function rawScores(state: TreeEnsembleState, X: Matrix): Float64Array {
  const trees = compile(state);
  const n = X.rows;
  const d = X.cols;
  const nOut = state.nOutputs;
  const x = X.data;
  const out = new Float64Array(n * nOut);
  for (const t of trees) {
    const { feature, threshold, left, right, value } = t;
    if (nOut === 1) {
      for (let i = 0; i < n; i++) {
        const base = i * d;
        let node = 0;
        let f = feature[0]!;
        while (f >= 0) {
          node = x[base + f]! <= threshold[node]! ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        out[i]! += value[node]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const base = i * d;
        let node = 0;
        let f = feature[0]!;
        while (f >= 0) {
          node = x[base + f]! <= threshold[node]! ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        const vo = node * nOut;
        const oo = i * nOut;
        for (let k = 0; k < nOut; k++) out[oo + k]! += value[vo + k]!;
      }
    }
  }
  if (state.aggregate === "average") {
    const inv = 1 / trees.length;
    for (let i = 0; i < out.length; i++) out[i]! *= inv;
  }
  const base = state.baseScore;
  if (base.length !== nOut) throw new MlInputError(`the model's baseScore has ${base.length} entries but nOutputs is ${nOut}`);
  for (let k = 0; k < nOut; k++) {
    const b = base[k]!;
    if (b !== 0) for (let i = 0; i < n; i++) out[i * nOut + k]! += b;
  }
  return out;
}

/** Class index with the highest probability per row (ties: the lowest index, like numpy's argmax). */
export function predictClasses(state: TreeEnsembleState, X: Matrix, options: { featureNames?: readonly string[] } = {}): Int32Array {
  if (state.task !== "classification") throw new MlInputError("predictClasses needs a classification model; this one is a regressor");
  const proba = predictTreeEnsemble(state, X, options);
  const K = state.nClasses!;
  const out = new Int32Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k]! > proba[i * K + best]!) best = k;
    out[i] = best;
  }
  return out;
}

/**
 * How often each feature is used to split, over all trees, normalised to sum to 1 (all zeros
 * when no tree splits). This is split-count ("frequency") importance, not scikit-learn's
 * impurity-based feature_importances_: that needs per-node sample weights, which the state does
 * not keep. Use permutation importance for a model-agnostic measure.
 */
export function splitCountImportances(state: TreeEnsembleState): Float64Array {
  const out = new Float64Array(state.nFeatures);
  let total = 0;
  for (const t of state.trees) {
    for (const f of t.feature) {
      if (f >= 0) {
        out[f]!++;
        total++;
      }
    }
  }
  if (total > 0) for (let j = 0; j < out.length; j++) out[j]! /= total;
  return out;
}
