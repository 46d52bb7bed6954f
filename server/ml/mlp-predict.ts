import { MlInputError } from "./errors";
import { assertFinite, type Matrix } from "./matrix";

export type MlpActivation = "relu" | "tanh";

export interface MlpLayerState {
  /** Row-major [in, out] kernel, the layout tf's Dense kernel uses, so y = x W + b. */
  weights: number[];
  shape: [number, number];
  bias: number[];
}

/**
 * A trained MLP as plain JSON: hidden layers use `activation`, the last layer is softmax
 * (classification, nClasses units) or linear (regression, 1 unit). Enough to replay the network
 * without TensorFlow (here, or as an ONNX graph).
 */
export interface MlpState {
  kind: "mlp";
  task: "classification" | "regression";
  layers: MlpLayerState[];
  activation: MlpActivation;
  nClasses: number | null;
  nFeatures: number;
  /** The tf backend that trained it (for the run view); prediction does not depend on it. */
  backend: string;
}

/** The last layer's outputs before softmax (logits) or the regression values, rows x outUnits. */
function forward(state: MlpState, X: Matrix): { out: Float64Array; units: number } {
  if (X.cols !== state.nFeatures) {
    throw new MlInputError(
      `model was trained on ${state.nFeatures} features but the input has ${X.cols}; use the same feature columns as in training`,
    );
  }
  assertFinite(X);
  let cur = X.data;
  let width = X.cols;
  const n = X.rows;
  state.layers.forEach((layer, li) => {
    const [inDim, outDim] = layer.shape;
    if (inDim !== width) throw new MlInputError(`MLP state is inconsistent: layer ${li} expects ${inDim} inputs, gets ${width}`);
    const W = Float64Array.from(layer.weights);
    const next = new Float64Array(n * outDim);
    const hidden = li < state.layers.length - 1;
    for (let i = 0; i < n; i++) {
      const o = i * outDim;
      for (let u = 0; u < outDim; u++) next[o + u] = layer.bias[u]!;
      const xo = i * inDim;
      // i-k-j loop order walks W row by row, which is its memory order.
      for (let k = 0; k < inDim; k++) {
        const xv = cur[xo + k]!;
        if (xv === 0) continue;
        const wo = k * outDim;
        for (let u = 0; u < outDim; u++) next[o + u]! += xv * W[wo + u]!;
      }
      if (hidden) {
        for (let u = 0; u < outDim; u++) {
          const v = next[o + u]!;
          next[o + u] = state.activation === "relu" ? (v > 0 ? v : 0) : Math.tanh(v);
        }
      }
    }
    cur = next;
    width = outDim;
  });
  return { out: cur, units: width };
}

/** Class probabilities, rows x nClasses, in float64 from the stored weights (stable softmax). */
export function predictProbaMlp(state: MlpState, X: Matrix): Float64Array {
  if (state.task !== "classification") {
    throw new MlInputError("predictProbaMlp needs a classification MLP; use predictMlpRegression for a regressor");
  }
  const { out, units: k } = forward(state, X);
  for (let i = 0; i < X.rows; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (out[o + c]! > max) max = out[o + c]!;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(out[o + c]! - max);
      out[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[o + c]! /= sum;
  }
  return out;
}

export function predictMlpRegression(state: MlpState, X: Matrix): Float64Array {
  if (state.task !== "regression") {
    throw new MlInputError("predictMlpRegression needs a regression MLP; use predictProbaMlp for a classifier");
  }
  return forward(state, X).out;
}
