/**
 * Bridges the Train/Predict stages and the MLP in server/ml (TensorFlow.js for training, plain JS
 * for prediction). Loaded only through `await import()` so the catalog never pulls TensorFlow in.
 */
import type { Matrix } from "../../ml/matrix";
import type { MlpState } from "../../ml/mlp-predict";
import { StageError } from "../types";
import type { StudioModel } from "./predict-core";
import type { TrainParams } from "./train";

/**
 * What a studio MLP model stores. A regression target is standardised for training (an MLP fitted
 * on raw prices or totals trains badly with one learning rate); predictions are mapped back.
 */
export interface StudioMlpState {
  mlp: MlpState;
  targetScale: { mean: number; std: number } | null;
}

export interface TrainMlpInput {
  X: Matrix;
  task: "classification" | "regression";
  y: Int32Array | null;
  yValues: Float64Array | null;
  nClasses: number;
  params: TrainParams;
  featureNames: string[];
  classNames?: string[];
  device?: { kind: "cpu" } | { kind: "gpu"; index: number };
  signal: AbortSignal;
  onEpoch(epoch: number, total: number, loss: number): void;
  onBackend(name: string): void;
  log(message: string): void;
}

export async function trainMlp(input: TrainMlpInput): Promise<{ state: StudioMlpState; backend: string }> {
  const { selectTfBackend } = await import("../../workers/tf-backend");
  const { fitMlpClassifier, fitMlpRegressor } = await import("../../ml/mlp");
  const selection = await selectTfBackend();
  for (const t of selection.tried) input.log(`TensorFlow backend ${t.backend} not used: ${t.error}`);
  const backend =
    selection.backend === "tensorflow-gpu" && input.device?.kind === "gpu" ? `tensorflow-gpu (GPU ${input.device.index})` : selection.backend;
  input.onBackend(backend);
  input.log(`Training an MLP with hidden layers [${input.params.hiddenLayers.join(", ")}] on ${backend}.`);

  const p = input.params;
  const mlpParams = { hiddenLayers: p.hiddenLayers, learningRate: p.learningRate, epochs: p.epochs, batchSize: p.batchSize, seed: p.seed };
  const options = {
    featureNames: input.featureNames,
    classNames: input.classNames,
    onEpoch: (epoch: number, loss: number) => {
      if (input.signal.aborted) throw new StageError("Training was cancelled.");
      input.onEpoch(epoch, p.epochs, loss);
    },
  };
  if (input.task === "classification") {
    const mlp = await fitMlpClassifier(selection, input.X, input.y!, input.nClasses, mlpParams, options);
    return { state: { mlp, targetScale: null }, backend };
  }
  const y = input.yValues!;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let ss = 0;
  for (const v of y) ss += (v - mean) * (v - mean);
  const std = Math.sqrt(ss / y.length) || 1;
  const scaled = Float64Array.from(y, (v) => (v - mean) / std);
  const mlp = await fitMlpRegressor(selection, input.X, scaled, mlpParams, options);
  return { state: { mlp, targetScale: { mean, std } }, backend };
}

/** Probabilities (rows x classes) for a classifier, values for a regressor; no TensorFlow needed. */
export async function predictMlp(model: StudioModel, X: Matrix, _signal?: AbortSignal): Promise<Float64Array> {
  const { predictProbaMlp, predictMlpRegression } = await import("../../ml/mlp-predict");
  const state = model.state as StudioMlpState;
  if (!state?.mlp || state.mlp.kind !== "mlp") {
    throw new StageError("The MLP model's saved state is unreadable. Re-train it.", { field: "model" });
  }
  if (model.task === "classification") return predictProbaMlp(state.mlp, X);
  const out = predictMlpRegression(state.mlp, X);
  const scale = state.targetScale ?? { mean: 0, std: 1 };
  for (let i = 0; i < out.length; i++) out[i] = out[i] * scale.std + scale.mean;
  return out;
}
