/**
 * Kept for modules that imported the MLP bridge before the model registry: the MLP now lives in
 * server/ml/models/mlp.ts (fit and predict), reached through the registry like every model.
 */
import type { Matrix } from "../../ml/matrix";
import type { StudioModel } from "./predict-core";

export type { StudioMlpState } from "../../ml/models/mlp";

/** Probabilities (rows x classes) for a classifier, values for a regressor; no TensorFlow needed. */
export async function predictMlp(model: StudioModel, X: Matrix): Promise<Float64Array> {
  const { mlpModel } = await import("../../ml/models/mlp");
  return mlpModel.predict(model.state as never, X);
}
