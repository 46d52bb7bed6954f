/**
 * The CNN on TensorFlow.js, for images loaded by the Load images stage: it reads the image shape
 * from the px_<row>_<col>_<channel> feature columns. Training loads tf lazily; prediction replays
 * the saved weights in plain JS (cnn-predict.ts).
 */
import { z } from "zod";
import { predictProbaCnn, type CnnState } from "../cnn-predict";
import { MlInputError } from "../errors";
import { imageShapeOf } from "../images/pixel-columns";
import { batchSize, convFilters, denseUnits, epochs, learningRate } from "./params";
import { defineModel } from "./types";

export const cnnModel = defineModel({
  id: "cnn",
  title: "Convolutional network (CNN)",
  description: "A small image classifier (3x3 conv + max-pool blocks, a dense layer) trained with Adam on TensorFlow.js; takes the pixel columns of Load images.",
  tasks: ["classification"],
  params: z.object({ convFilters, denseUnits, epochs, learningRate, batchSize }),
  constantColumns: "ok",
  prefersGpu: true,
  defaultSpace: [
    { param: "learningRate", type: "log-float", low: 1e-4, high: 3e-2 },
    { param: "convFilters", type: "choice", values: [[8, 16], [16, 32], [32, 64]] },
  ],
  async fit(X, y, ctx): Promise<CnnState> {
    const image = imageShapeOf(ctx.featureNames ?? []);
    const { selectTfBackend } = await import("../../workers/tf-backend");
    const { fitCnnClassifier } = await import("../cnn");
    const selection = await selectTfBackend();
    for (const t of selection.tried) ctx.log?.(`TensorFlow backend ${t.backend} not used: ${t.error}`);
    const backend = selection.backend === "tensorflow-gpu" && ctx.device?.kind === "gpu" ? `tensorflow-gpu (GPU ${ctx.device.index})` : selection.backend;
    ctx.onBackend?.(backend);
    const p = ctx.params;
    ctx.log?.(`Training a CNN on ${image.height}x${image.width}x${image.channels} images: conv filters [${p.convFilters.join(", ")}], dense ${p.denseUnits}, on ${backend}.`);
    return fitCnnClassifier(
      selection,
      X,
      y as Int32Array,
      ctx.nClasses,
      image,
      { convFilters: p.convFilters, denseUnits: p.denseUnits, learningRate: p.learningRate, epochs: p.epochs, batchSize: p.batchSize, seed: ctx.seed },
      {
        featureNames: ctx.featureNames,
        classNames: ctx.classNames,
        onEpoch: (epoch, loss) => {
          if (ctx.signal?.aborted) throw new MlInputError("training was cancelled");
          ctx.onProgress?.(epoch / p.epochs, `epoch ${epoch}/${p.epochs}, loss ${Number(loss.toPrecision(6))}`);
        },
      },
    );
  },
  predict(state: CnnState, X): Float64Array {
    if (!state || state.kind !== "cnn") throw new MlInputError("the CNN model's saved state is unreadable; re-train it");
    return predictProbaCnn(state, X);
  },
});
