/**
 * The MLP on TensorFlow.js. Training loads tf lazily (the backend is chosen at run time, best
 * first); prediction replays the saved weights in plain JS (mlp-predict.ts), so serving, threads
 * and Evaluate never need tf.
 */
import { z } from "zod";
import { MlInputError } from "../errors";
import type { Matrix } from "../matrix";
import { predictMlpRegression, predictProbaMlp, type MlpState } from "../mlp-predict";
import { activation, batchSize, epochs, hiddenLayers, l2, learningRate } from "./params";
import { defineModel } from "./types";

/**
 * What a studio MLP model stores. A regression target is standardised for training (an MLP fitted
 * on raw prices or totals trains badly with one learning rate); predictions are mapped back.
 */
export interface StudioMlpState {
  mlp: MlpState;
  targetScale: { mean: number; std: number } | null;
}

export const mlpModel = defineModel({
  id: "mlp",
  title: "Neural network (MLP)",
  description: "A small fully connected network trained with Adam on TensorFlow.js (GPU when available).",
  tasks: ["classification", "regression"],
  params: z.object({ hiddenLayers, epochs, learningRate, batchSize, activation, l2 }),
  constantColumns: "warn",
  prefersGpu: true,
  defaultSpace: [
    { param: "learningRate", type: "log-float", low: 1e-4, high: 1e-1 },
    { param: "hiddenLayers", type: "choice", values: [[16], [32], [64], [32, 16]] },
  ],
  async fit(X, y, ctx): Promise<StudioMlpState> {
    const { selectTfBackend } = await import("../../workers/tf-backend");
    const { fitMlpClassifier, fitMlpRegressor } = await import("../mlp");
    const selection = await selectTfBackend();
    for (const t of selection.tried) ctx.log?.(`TensorFlow backend ${t.backend} not used: ${t.error}`);
    const backend = selection.backend === "tensorflow-gpu" && ctx.device?.kind === "gpu" ? `tensorflow-gpu (GPU ${ctx.device.index})` : selection.backend;
    ctx.onBackend?.(backend);
    const p = ctx.params;
    ctx.log?.(`Training an MLP with hidden layers [${p.hiddenLayers.join(", ")}] on ${backend}.`);
    const mlpParams = { hiddenLayers: p.hiddenLayers, learningRate: p.learningRate, epochs: p.epochs, batchSize: p.batchSize, activation: p.activation, l2: p.l2, seed: ctx.seed };
    const options = {
      featureNames: ctx.featureNames,
      classNames: ctx.classNames,
      onEpoch: (epoch: number, loss: number) => {
        if (ctx.signal?.aborted) throw new MlInputError("training was cancelled");
        ctx.onProgress?.(epoch / p.epochs, `epoch ${epoch}/${p.epochs}, loss ${Number(loss.toPrecision(6))}`);
      },
    };
    if (ctx.task === "classification") {
      const mlp = await fitMlpClassifier(selection, X, y as Int32Array, ctx.nClasses, mlpParams, options);
      return { mlp, targetScale: null };
    }
    let mean = 0;
    for (const v of y) mean += v;
    mean /= y.length;
    let ss = 0;
    for (const v of y) ss += (v - mean) * (v - mean);
    const std = Math.sqrt(ss / y.length) || 1;
    const scaled = Float64Array.from(y, (v) => (v - mean) / std);
    const mlp = await fitMlpRegressor(selection, X, scaled, mlpParams, options);
    return { mlp, targetScale: { mean, std } };
  },
  predict(state, X: Matrix): Float64Array {
    if (!state?.mlp || state.mlp.kind !== "mlp") throw new MlInputError("the MLP model's saved state is unreadable; re-train it");
    if (state.mlp.task === "classification") return predictProbaMlp(state.mlp, X);
    const out = predictMlpRegression(state.mlp, X);
    const scale = state.targetScale ?? { mean: 0, std: 1 };
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale.std + scale.mean;
    return out;
  },
});
