import { z } from "zod";
import { UserPathError } from "../../files";
import { listNames } from "../common";
import { fileSourceExternalFiles, fileSourceParams } from "../file-source";
import { defineStage, StageError } from "../types";
import type { StudioModel } from "./predict-core";

const params = z.object({
  ...fileSourceParams({ defaultSource: "upload", defaultPath: "", uploadLabel: "Uploaded .onnx file", accept: ".onnx" }),
  target: z.string().optional().describe("Target column (for Evaluate; default: the file's own)"),
  task: z.enum(["auto", "classification", "regression"]).default("auto").describe("Task"),
  classes: z.array(z.string()).optional().describe("Class labels, in the order of the model's probability columns (when the file does not say)"),
  columns: z
    .array(z.string())
    .optional()
    .describe("Feature columns for a single matrix input, in order (default: every number column but the target)"),
});

export type ImportOnnxParams = z.output<typeof params>;

export const importOnnx = defineStage({
  id: "import-onnx",
  version: 1,
  title: "Import ONNX",
  category: "Train",
  description:
    "Loads an ONNX model trained elsewhere (or exported here), reads its inputs and outputs, and makes it a model that Predict and Evaluate can use. " +
    "Inputs named like table columns take those columns; a single matrix input takes the number columns in order.",
  params,
  inputs: {},
  outputs: { model: { type: "model", label: "Model" } },
  externalFiles: fileSourceExternalFiles,
  async run(ctx) {
    const p = ctx.params;
    const field = p.source === "upload" ? "uploadId" : "path";
    const file = readSource(ctx, p);
    ctx.progress(0.2, "loading in onnxruntime");
    const { inspectOnnx } = await import("../../ml/onnx/runtime");
    let inspected;
    try {
      inspected = await inspectOnnx(file.bytes, file.name, {
        task: p.task === "auto" ? undefined : p.task,
        classes: p.classes,
        target: p.target,
        columns: p.columns,
      });
    } catch (error) {
      if (error instanceof StageError) throw new StageError(error.message, { field: error.field === "path" ? field : error.field, column: error.column });
      throw error;
    }
    const { state, target, targetKind, features } = inspected;
    const describe = (list: { name: string; type: string; shape: (number | string | null)[] | null }[]) =>
      list.map((t) => `${t.name} (${t.type}${t.shape ? ` [${t.shape.map((d) => d ?? "?").join(", ")}]` : ""})`).join(", ");
    ctx.log(`${file.name}: produced by ${state.producer}, opsets ${Object.entries(state.opsets).map(([d, v]) => `${d} ${v}`).join(", ")}.`);
    ctx.log(`Inputs: ${describe(state.inputs)}.`);
    ctx.log(`Outputs: ${describe(state.outputs)}.`);
    if (state.task === "classification") {
      ctx.log(`Classification with classes ${listNames(state.classes!)}; label from ${state.labelOutput ?? "the probabilities"}, probabilities from ${state.probabilitiesOutput ?? "the label (1 for the predicted class)"}.`);
    } else ctx.log(`Regression; the prediction is output '${state.valueOutput}'.`);
    if (!target) ctx.warn('No target column is known: set "Target column" to evaluate this model on labelled rows.');

    const model: StudioModel = {
      format: "studio-model",
      version: 1,
      algorithm: "onnx",
      task: state.task,
      target: target ?? "",
      targetKind,
      features,
      classes: state.classes,
      state,
      trainedOn: { rows: 0 },
      backend: "onnxruntime (cpu)",
    };
    ctx.progress(1);
    return {
      model: ctx.writeJson("model", model, {
        algorithm: "onnx",
        task: state.task,
        target: target ?? null,
        inputs: state.inputs.length,
        outputs: state.outputs.map((o) => o.name),
        classes: state.classes?.length ?? 0,
        producer: state.producer,
        bytes: file.bytes.length,
      }),
    };
  },
});

function readSource(ctx: { readUserFile(s: { path?: string; uploadId?: string }): { bytes: Buffer; name: string } }, p: ImportOnnxParams) {
  if (p.source === "upload") {
    if (!p.uploadId) throw new StageError("No file uploaded yet: upload an .onnx file, or switch the source to a path.", { field: "uploadId" });
    try {
      return ctx.readUserFile({ uploadId: p.uploadId });
    } catch (error) {
      if (error instanceof StageError) throw error;
      throw new StageError(`The uploaded file ${p.uploadId.slice(0, 12)} could not be read (${(error as Error).message}). Upload it again.`, { field: "uploadId" });
    }
  }
  if (!p.path) throw new StageError("No file path given: enter the path of an .onnx file, or upload one.", { field: "path" });
  try {
    return ctx.readUserFile({ path: p.path });
  } catch (error) {
    if (error instanceof StageError) throw error;
    const message = error instanceof UserPathError ? error.message : `${p.path} could not be read: ${(error as Error).message}`;
    throw new StageError(`Field 'path': ${message}`, { field: "path" });
  }
}
