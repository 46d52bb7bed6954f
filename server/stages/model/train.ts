import { z } from "zod";
import type { DataTable } from "../../artifacts/table";
import { fitModel, prestartModelThreads } from "../../ml/models/fit";
import { getModel, modelChoiceField, modelParamsOf, modelParamsShape, modelsForTask, requireModel } from "../../ml/models/registry";
import { fmt } from "../common";
import { defineStage, StageError, type StageContext } from "../types";
import { toStageError, type StudioModel } from "./predict-core";
import { prepareTrainingData, type TrainingData } from "./target";

/**
 * The params every model-fitting stage shares (Train, Cross-validate, Tune): the target, the
 * columns to leave out, the model and, flat, every model's own params (each field tagged
 * `meta.showWhen = { model: [ids] }`), and the seed. Stages spread this into their schema.
 */
export function modelTrainingShape() {
  return {
    target: z.string().min(1, "Pick the column to predict").meta({ widget: "column" }).describe("Target column"),
    ignore: z.array(z.string()).optional().meta({ widget: "columns" }).describe("Columns to leave out (e.g. IDs)"),
    model: modelChoiceField(),
    task: z.enum(["auto", "classification", "regression"]).default("auto").describe("Task"),
    ...modelParamsShape(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe("Random seed (MLP weights, forests, folds)"),
  };
}

const params = z.object(modelTrainingShape());

/** Train's params as parsed; Cross-validate and Tune params extend it. */
export type TrainParams = z.output<typeof params>;
export type ModelTrainingParams = { target: string; ignore?: string[]; model: string; task: "auto" | "classification" | "regression"; seed: number } & Record<string, unknown>;

type FitHooks = Pick<StageContext<unknown>, "log" | "warn" | "progress" | "reportBackend" | "signal" | "device">;

/**
 * Prepares the table and fits the chosen model on all its rows: the studio model artifact (not yet
 * written) and the prepared data. Progress from the fit is mapped into [from, to].
 */
export async function fitStudioModel(
  table: DataTable,
  p: ModelTrainingParams,
  hooks: FitHooks,
  range: [number, number] = [0.05, 0.95],
  overrides: Record<string, unknown> = {},
): Promise<{ model: StudioModel; data: TrainingData }> {
  const spec = requireModel(p.model);
  void prestartModelThreads(spec, table.rowCount * table.columns.length);
  const data = prepareTrainingData(table, p, (m) => hooks.log(m), spec.tasks);
  checkModelTask(spec.id, data.task);
  let modelParams: Record<string, unknown>;
  try {
    modelParams = modelParamsOf(spec, { ...p, ...overrides });
  } catch (error) {
    throw toStageError(error);
  }
  hooks.progress(range[0], "prepared features");
  let backend = "cpu";
  let reported = false;
  const report = (name: string) => {
    backend = name;
    reported = true;
    hooks.reportBackend(name);
  };
  let state: unknown;
  try {
    state = await fitModel(spec, data.X, data.y, {
      task: data.task,
      nClasses: data.classes?.length ?? 0,
      params: modelParams,
      seed: p.seed,
      featureNames: data.features,
      classNames: data.classes ?? undefined,
      signal: hooks.signal,
      device: hooks.device,
      log: (m) => hooks.log(m),
      warn: (m) => hooks.warn(m),
      onBackend: report,
      onProgress: (f, message) => hooks.progress(range[0] + (range[1] - range[0]) * Math.min(1, Math.max(0, f)), message),
    });
  } catch (error) {
    throw toStageError(error);
  }
  if (!reported) report("cpu");
  const model: StudioModel = {
    format: "studio-model",
    version: 1,
    algorithm: spec.id,
    task: data.task,
    target: p.target,
    targetKind: data.targetColumn.kind,
    features: data.features,
    classes: data.classes,
    state,
    trainedOn: { rows: table.rowCount },
    backend,
    params: modelParams,
    seed: p.seed,
  };
  return { model, data };
}

/** A model that cannot do the task: name it and the models that can. */
export function checkModelTask(modelId: string, task: "classification" | "regression"): void {
  const spec = requireModel(modelId);
  if (spec.tasks.includes(task)) return;
  const others = modelsForTask(task)
    .filter((m) => m.id !== "mlp")
    .map((m) => m.title.toLowerCase());
  if (task === "regression") {
    throw new StageError(
      `${spec.title} is a classifier and cannot predict a continuous target. Choose the MLP model for regression, or another regression model (${others.join(", ")}), or set the task to classification.`,
      { field: "model" },
    );
  }
  throw new StageError(
    `${spec.title} predicts numbers and cannot classify. Choose a classifier (${others.join(", ")}, or the MLP), or set the task to regression.`,
    { field: "model" },
  );
}

export const train = defineStage({
  id: "train",
  version: 1,
  title: "Train model",
  category: "Train",
  description:
    "Fits a model from the library (logistic/linear/ridge regression, trees, forests, boosting, k-NN, naive Bayes, MLP, and a CNN for images) to predict the target column from the other columns.",
  params,
  prefers: (p) => (getModel(p.model)?.prefersGpu ? "gpu" : "cpu"),
  inputs: { train: { type: "table", label: "Training data" } },
  outputs: { model: { type: "model", label: "Model" } },
  async run(ctx) {
    const p = ctx.params;
    const table = ctx.readTable("train");
    const { model, data } = await fitStudioModel(table, p, ctx);
    if (model.task === "classification") {
      const { predictWithModel } = await import("./predict-core");
      const prediction = await predictWithModel(model, table, { what: "training table" });
      const y = data.y as Int32Array;
      let hit = 0;
      for (let i = 0; i < y.length; i++) if (prediction.classIndex![i] === y[i]) hit++;
      ctx.log(`Training accuracy ${fmt(hit / y.length)} on ${table.rowCount} rows (evaluate on held-out rows for a fair estimate).`);
    }
    ctx.progress(1);
    return {
      model: ctx.writeJson("model", model, {
        algorithm: model.algorithm,
        task: model.task,
        target: p.target,
        features: model.features.length,
        classes: model.classes?.length ?? 0,
        backend: model.backend,
      }),
    };
  },
});

