import { z } from "zod";
import { MlInputError } from "../../ml/errors";
import type { EncodeScaleTransform } from "../transform/encode-scale-core";
import { listNames } from "../common";
import { defineStage, StageError } from "../types";
import { isStudioModel, type StudioModel } from "./predict-core";

const params = z.object({});

export const exportOnnx = defineStage({
  id: "export-onnx",
  version: 1,
  title: "Export ONNX",
  category: "Train",
  description:
    "Writes the model, with the Encode/Scale transform it was trained after, as one ONNX graph that takes the raw table columns " +
    "(number columns as double [N, 1], text columns as string [N, 1]; without a transform one double input 'input' [N, features]) " +
    "and outputs 'label' and 'probabilities' (classifiers) or 'variable' (regressors). Runs in onnxruntime and other ONNX runtimes.",
  params,
  inputs: {
    model: { type: "model", label: "Model" },
    transform: {
      type: "transform",
      label: "Fitted transform",
      optional: true,
      description: "Connect the Encode/Scale transform the model was trained after, so the ONNX graph takes raw columns.",
    },
  },
  outputs: { onnx: { type: "onnx", label: "ONNX model" } },
  async run(ctx) {
    const model = ctx.readJson<StudioModel>("model");
    if (!isStudioModel(model)) {
      throw new StageError("The model input is not a studio model. Connect the Model output of a Train node.", { field: "model" });
    }
    let transform: EncodeScaleTransform | null = null;
    if (ctx.inputs.transform) {
      transform = ctx.readJson<EncodeScaleTransform>("transform");
      if (transform?.kind !== "encode-scale") {
        throw new StageError("The transform input is not an Encode/Scale transform. Connect the Fitted transform output of an Encode/Scale node.", {
          field: "transform",
        });
      }
    }

    let bytes: Uint8Array;
    let summary: Record<string, unknown>;
    if (model.algorithm === "onnx") {
      // An imported ONNX model is written back as it came.
      if (transform) {
        throw new StageError("This model was imported from ONNX; it cannot be combined with an Encode/Scale transform. Disconnect the transform.", {
          field: "transform",
        });
      }
      const state = model.state as { bytes?: string; inputs?: { name: string }[]; outputs?: { name: string }[]; opsets?: Record<string, number> };
      if (typeof state?.bytes !== "string") throw new StageError("The imported model holds no ONNX bytes; import the file again.", { field: "model" });
      bytes = Buffer.from(state.bytes, "base64");
      summary = { inputs: (state.inputs ?? []).map((i) => i.name), outputs: (state.outputs ?? []).map((o) => o.name), opset: state.opsets ?? {} };
    } else {
      const { exportToOnnx } = await import("../../ml/onnx/export");
      let exported;
      try {
        exported = exportToOnnx(model, transform);
      } catch (error) {
        if (error instanceof MlInputError) {
          const column = typeof error.details?.column === "string" ? error.details.column : undefined;
          throw new StageError(error.message, { field: column ? "transform" : "model", column });
        }
        throw error;
      }
      bytes = exported.bytes;
      summary = { inputs: exported.inputs.map((b) => b.input), outputs: exported.outputs, opset: exported.opset };
      ctx.log(
        `Inputs: ${exported.inputs.map((b) => (b.columns.length === 1 && b.columns[0] === b.input ? `${b.input} (${b.kind === "number" ? "double" : "string"})` : `${b.input} (double [N, ${b.columns.length}]: ${listNames(b.columns)})`)).join(", ")}.`,
      );
      if (!transform && model.features.some((f) => f.includes("="))) {
        ctx.warn("The model's features look one-hot encoded but no transform is connected: the ONNX graph takes encoded features. Connect the Encode/Scale transform to take raw columns.");
      }
    }

    // Check that onnxruntime loads what we wrote before handing it on.
    const ort = await import("onnxruntime-node");
    try {
      await ort.InferenceSession.create(bytes);
    } catch (error) {
      throw new Error(`The exported ONNX graph does not load in onnxruntime (an exporter bug): ${(error as Error).message}`);
    }
    ctx.log(`ONNX model: ${bytes.length} bytes, outputs ${(summary.outputs as string[]).join(", ")}.`);
    ctx.progress(1);
    const inputs = summary.inputs as string[];
    return {
      onnx: ctx.writeBytes("onnx", bytes, {
        ...summary,
        // A summary stays small on the canvas: the first names and a count.
        inputs: inputs.length > MAX_NAMES ? [...inputs.slice(0, MAX_NAMES), `… ${inputs.length - MAX_NAMES} more`] : inputs,
        bytes: bytes.length,
        algorithm: model.algorithm,
        task: model.task,
      }),
    };
  },
});

const MAX_NAMES = 32;
