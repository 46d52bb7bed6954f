/**
 * The MLP as one Gemm per layer (x.W + b), Relu or Tanh between them, Softmax (classifier) or nothing
 * (regressor) last. Accepts the bare MlpState and the registry's { mlp, targetScale } wrapper, whose
 * regressor was trained on a standardised target (mapped back with y * std + mean).
 */
import type { MlpState } from "../../mlp-predict";
import { attr } from "../builder";
import { TensorType } from "../proto";
import { invalidState, registerOnnxExporter, requireFeatureCount, type ExporterInput, type ExporterOutput } from "../exporters";

export function exportMlp({ g, features, nFeatures, state, classes }: ExporterInput): ExporterOutput {
  const wrapped = state as { mlp?: MlpState; targetScale?: { mean: number; std: number } | null } | null;
  const s = (wrapped?.mlp ?? state) as MlpState;
  const targetScale = wrapped?.mlp ? (wrapped.targetScale ?? null) : null;
  const what = "MLP";
  if (!Array.isArray(s?.layers) || s.layers.length === 0) invalidState(what, "it has no layers");
  if (s.activation !== "relu" && s.activation !== "tanh") invalidState(what, `unknown activation '${String(s.activation)}'`);
  requireFeatureCount(what, s.nFeatures, nFeatures);
  let x = features;
  let width = nFeatures;
  s.layers.forEach((layer, i) => {
    const [inDim, outDim] = layer.shape;
    if (inDim !== width || layer.weights.length !== inDim * outDim || layer.bias.length !== outDim) {
      invalidState(what, `layer ${i} has shape [${inDim}, ${outDim}] but receives ${width} inputs`);
    }
    // Weights are row-major [in, out] (tf's Dense kernel), exactly Gemm's B layout.
    const W = g.double(`mlp_w${i}`, layer.weights, [inDim, outDim]);
    const b = g.double(`mlp_b${i}`, layer.bias, [outDim]);
    x = g.op("Gemm", [x, W, b]);
    if (i < s.layers.length - 1) x = g.op(s.activation === "relu" ? "Relu" : "Tanh", [x]);
    width = outDim;
  });
  if (s.task === "classification") {
    if (!classes || classes.length !== width) invalidState(what, `its last layer has ${width} units but the model lists ${classes?.length ?? 0} classes`);
    // As for logistic regression (linear.ts): the label is the argmax of the float64 logits, the
    // softmax runs in float32.
    const probabilities = g.op("Softmax", [g.op("Cast", [x], { to: attr.int(TensorType.FLOAT) })], { axis: attr.int(1) });
    return { task: "classification", probabilities, float32Probabilities: true, labelScores: x };
  }
  if (width !== 1) invalidState(what, `a regressor's last layer has ${width} units; export supports one`);
  if (targetScale) x = g.op("Add", [g.op("Mul", [x, g.double("target_std", [targetScale.std], [1])]), g.double("target_mean", [targetScale.mean], [1])]);
  return { task: "regression", values: x };
}

registerOnnxExporter("mlp", exportMlp);
