/**
 * MLP training on TensorFlow.js. Training needs tf (pass the selection from
 * server/workers/tf-backend.ts); prediction does not (mlp-predict.ts replays the saved weights).
 */
import { MlInputError } from "./errors";
import { validateLabels } from "./labels";
import { assertFinite, type Matrix } from "./matrix";
import { Rng } from "./rng";
import { glorotUniform, trainWithAdam } from "./tf-training";
import type { MlpActivation, MlpLayerState, MlpState } from "./mlp-predict";

export { predictMlpRegression, predictProbaMlp } from "./mlp-predict";
export type { MlpActivation, MlpLayerState, MlpState } from "./mlp-predict";

type Tf = typeof import("@tensorflow/tfjs");
type Tensor = import("@tensorflow/tfjs").Tensor;

/** What selectTfBackend returns; only these two fields are used. */
export interface TfRuntime {
  tf: Tf;
  backend: string;
}

export interface MlpParams {
  hiddenLayers?: number[];
  activation?: MlpActivation;
  /** Adam step size. */
  learningRate?: number;
  epochs?: number;
  batchSize?: number;
  /** Keras-style kernel penalty: l2 * sum(W^2) added to the mean batch loss. */
  l2?: number;
  seed?: number;
}

export interface MlpFitOptions {
  /** Called after each epoch (1-based) with the mean training loss; may be async, and throwing stops training. */
  onEpoch?: (epoch: number, loss: number) => void | Promise<void>;
  featureNames?: readonly string[];
  classNames?: readonly string[];
}

/** Rows per tf call when predicting; tf's default of 32 makes the wasm backend ~130x slower (docs/STACK.md trap 8). */
export const PREDICT_BATCH_SIZE = 8192;

interface ResolvedParams {
  hiddenLayers: number[];
  activation: MlpActivation;
  learningRate: number;
  epochs: number;
  batchSize: number;
  l2: number;
  seed: number;
}

function resolveParams(p: MlpParams): ResolvedParams {
  const r: ResolvedParams = {
    hiddenLayers: p.hiddenLayers ?? [32],
    activation: p.activation ?? "relu",
    learningRate: p.learningRate ?? 0.01,
    epochs: p.epochs ?? 50,
    batchSize: p.batchSize ?? 64,
    l2: p.l2 ?? 0,
    seed: p.seed ?? 0,
  };
  if (!r.hiddenLayers.every((u) => Number.isInteger(u) && u > 0)) {
    throw new MlInputError(`hiddenLayers must be positive integers (got ${JSON.stringify(r.hiddenLayers)})`);
  }
  if (r.activation !== "relu" && r.activation !== "tanh") {
    throw new MlInputError(`activation must be 'relu' or 'tanh' (got '${String(r.activation)}')`);
  }
  if (!(r.learningRate > 0) || !Number.isFinite(r.learningRate)) throw new MlInputError(`learningRate must be > 0 (got ${r.learningRate})`);
  if (!Number.isInteger(r.epochs) || r.epochs < 1) throw new MlInputError(`epochs must be a positive integer (got ${r.epochs})`);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1) throw new MlInputError(`batchSize must be a positive integer (got ${r.batchSize})`);
  if (!(r.l2 >= 0) || !Number.isFinite(r.l2)) throw new MlInputError(`l2 must be >= 0 (got ${r.l2})`);
  return r;
}

export async function fitMlpClassifier(
  runtime: TfRuntime,
  X: Matrix,
  y: Int32Array,
  nClasses: number,
  params: MlpParams = {},
  options: MlpFitOptions = {},
): Promise<MlpState> {
  const p = resolveParams(params);
  checkRows(X, y.length, options.featureNames);
  validateLabels(y, nClasses, "training labels");
  if (y.every((v) => v === y[0])) {
    const name = options.classNames?.[y[0]!] ?? `class index ${y[0]}`;
    throw new MlInputError(`training data has a single class ('${name}'); a classifier needs at least two`);
  }
  const { tf } = runtime;
  const oneHot = new Float32Array(y.length * nClasses);
  for (let i = 0; i < y.length; i++) oneHot[i * nClasses + y[i]!] = 1;
  const ys = tf.tensor2d(oneHot, [y.length, nClasses]);
  return train(runtime, X, ys, "classification", nClasses, p, options);
}

export async function fitMlpRegressor(
  runtime: TfRuntime,
  X: Matrix,
  y: Float64Array,
  params: MlpParams = {},
  options: MlpFitOptions = {},
): Promise<MlpState> {
  const p = resolveParams(params);
  checkRows(X, y.length, options.featureNames);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new MlInputError(`target at row ${i} is ${y[i]}; drop or impute rows with missing targets`);
  }
  const ys = runtime.tf.tensor2d(Float32Array.from(y), [y.length, 1]);
  return train(runtime, X, ys, "regression", null, p, options);
}

function checkRows(X: Matrix, nLabels: number, featureNames?: readonly string[]): void {
  if (X.rows !== nLabels) throw new MlInputError(`feature matrix has ${X.rows} rows but there are ${nLabels} targets; they must match`);
  if (X.rows < 1) throw new MlInputError("training data is empty");
  if (X.cols < 1) throw new MlInputError("training data has no feature columns; select at least one numeric feature");
  assertFinite(X, featureNames);
}

type Variable = import("@tensorflow/tfjs").Variable;

/**
 * Forward pass on tf tensors up to the output layer's pre-activation (logits or regression values).
 * Written with plain ops rather than tf.layers: model.fit's per-batch bookkeeping cost ~5 ms a step,
 * more than the arithmetic of a small MLP, and this keeps training and replay on one code path.
 */
function forwardTf(tf: Tf, x: Tensor, weights: { W: Tensor; b: Tensor }[], activation: MlpActivation): Tensor {
  let h = x;
  weights.forEach(({ W, b }, li) => {
    const z = tf.add(tf.matMul(h, W), b);
    h = li < weights.length - 1 ? (activation === "relu" ? tf.relu(z) : tf.tanh(z)) : z;
  });
  return h;
}

async function train(
  runtime: TfRuntime,
  X: Matrix,
  ys: Tensor,
  task: MlpState["task"],
  nClasses: number | null,
  p: ResolvedParams,
  options: MlpFitOptions,
): Promise<MlpState> {
  const { tf } = runtime;
  const n = X.rows;
  const units = [...p.hiddenLayers, nClasses ?? 1];
  const rng = new Rng(p.seed);
  const vars: { W: Variable; b: Variable }[] = [];
  const xs = tf.tensor2d(Float32Array.from(X.data), [n, X.cols]);
  try {
    let fanIn = X.cols;
    for (const fanOut of units) {
      const w = glorotUniform(rng, fanIn * fanOut, fanIn, fanOut);
      // tidy disposes the initial tensors; the variables share their data and are not tracked by tidy.
      vars.push(tf.tidy(() => ({ W: tf.variable(tf.tensor2d(w, [fanIn, fanOut])), b: tf.variable(tf.zeros([fanOut])) })));
      fanIn = fanOut;
    }
    await trainWithAdam({
      tf,
      xs,
      ys,
      variables: vars.flatMap((v) => [v.W, v.b]),
      lossOf: (xb, yb) => {
        const out = forwardTf(tf, xb, vars, p.activation);
        let loss = task === "classification" ? tf.losses.softmaxCrossEntropy(yb, out) : tf.losses.meanSquaredError(yb, out);
        if (p.l2 > 0) {
          for (const v of vars) loss = tf.add(loss, tf.mul(p.l2, tf.sum(tf.square(v.W))));
        }
        return loss as import("@tensorflow/tfjs").Scalar;
      },
      learningRate: p.learningRate,
      epochs: p.epochs,
      batchSize: p.batchSize,
      rng,
      onEpoch: options.onEpoch,
      divergenceHint: "lower learningRate or standardise the features and target",
    });

    let inDim = X.cols;
    const layers: MlpLayerState[] = vars.map((v, li) => {
      const layer: MlpLayerState = {
        weights: Array.from(v.W.dataSync()),
        shape: [inDim, units[li]!],
        bias: Array.from(v.b.dataSync()),
      };
      inDim = units[li]!;
      return layer;
    });
    return { kind: "mlp", task, layers, activation: p.activation, nClasses, nFeatures: X.cols, backend: runtime.backend };
  } finally {
    xs.dispose();
    ys.dispose();
    for (const v of vars) {
      v.W.dispose();
      v.b.dispose();
    }
  }
}

/**
 * Runs a saved MLP through tf (e.g. large batches on a GPU backend): probabilities for a classifier,
 * values for a regressor, rows x outputs. Works in chunks of 8192 rows, the batch size that keeps the
 * single-threaded wasm backend fast (docs/STACK.md trap 8) and bounds device memory.
 */
export function predictMlpWithTf(tf: Tf, state: MlpState, X: Matrix): Float64Array {
  if (X.cols !== state.nFeatures) {
    throw new MlInputError(`model was trained on ${state.nFeatures} features but the input has ${X.cols}`);
  }
  assertFinite(X);
  const units = state.layers.at(-1)!.shape[1];
  const out = new Float64Array(X.rows * units);
  const weights = state.layers.map((l) => ({ W: tf.tensor2d(l.weights, l.shape), b: tf.tensor1d(l.bias) }));
  try {
    for (let start = 0; start < X.rows; start += PREDICT_BATCH_SIZE) {
      const rows = Math.min(PREDICT_BATCH_SIZE, X.rows - start);
      const chunk = tf.tidy(() => {
        const xs = tf.tensor2d(Float32Array.from(X.data.subarray(start * X.cols, (start + rows) * X.cols)), [rows, X.cols]);
        const z = forwardTf(tf, xs, weights, state.activation);
        return (state.task === "classification" ? tf.softmax(z) : z).dataSync();
      });
      out.set(chunk, start * units);
    }
  } finally {
    for (const w of weights) {
      w.W.dispose();
      w.b.dispose();
    }
  }
  return out;
}
