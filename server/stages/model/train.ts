import { z } from "zod";
import { MlInputError } from "../../ml/errors";
import { fmt, requireColumn, requireColumns } from "../common";
import { defineStage, StageError } from "../types";
import { featureMatrix, type StudioModel } from "./predict-core";
import { assertNoMissingTarget, classLabels, encodeLabels, inferTask, AUTO_CLASS_LIMIT } from "./target";

const params = z.object({
  target: z.string().min(1, "Pick the column to predict").meta({ widget: "column" }).describe("Target column"),
  ignore: z.array(z.string()).optional().meta({ widget: "columns" }).describe("Columns to leave out (e.g. IDs)"),
  model: z.enum(["logistic-regression", "mlp"]).default("logistic-regression").describe("Model"),
  task: z.enum(["auto", "classification", "regression"]).default("auto").describe("Task"),
  C: z.number().gt(0, "C must be greater than 0").max(1e6).default(1).describe("Logistic: inverse regularisation strength C"),
  maxIter: z.number().int().min(1).max(100_000).default(200).describe("Logistic: maximum iterations"),
  hiddenLayers: z
    .array(z.number().int().min(1).max(4096))
    .min(1, "Give at least one hidden layer")
    .max(10)
    .default([32])
    .describe("MLP: units per hidden layer"),
  epochs: z.number().int().min(1).max(10_000).default(50).describe("MLP: epochs"),
  learningRate: z.number().gt(0, "The learning rate must be greater than 0").max(10).default(0.01).describe("MLP: learning rate"),
  batchSize: z.number().int().min(1).max(65_536).default(64).describe("MLP: batch size"),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe("MLP: random seed"),
});

export type TrainParams = z.output<typeof params>;

export const train = defineStage({
  id: "train",
  version: 1,
  title: "Train model",
  category: "Train",
  description: "Trains a logistic regression or a small neural network (MLP) to predict the target column from the other columns.",
  params,
  prefers: "cpu",
  inputs: { train: { type: "table", label: "Training data" } },
  outputs: { model: { type: "model", label: "Model" } },
  async run(ctx) {
    const p = ctx.params;
    const table = ctx.readTable("train");
    const targetColumn = requireColumn(table, p.target, "target", "training table");
    const ignored = new Set(p.ignore ?? []);
    requireColumns(table, [...ignored], "ignore", "training table");
    if (ignored.has(p.target)) {
      throw new StageError(`The target '${p.target}' is also listed under "Columns to leave out". Remove it from that list.`, { field: "ignore" });
    }
    const features = table.columns.filter((c) => c.name !== p.target && !ignored.has(c.name)).map((c) => c.name);
    if (ignored.size) ctx.log(`Left out: ${[...ignored].join(", ")}.`);
    if (features.length === 0) {
      throw new StageError(`The training table has no feature columns besides the target '${p.target}'. Keep some columns (check "Columns to leave out").`, { field: "target" });
    }
    if (table.rowCount < 2) {
      throw new StageError(`The training table has ${table.rowCount} row(s); training needs at least 2.`);
    }

    const task = p.task === "auto" ? inferTask(targetColumn) : p.task;
    if (p.task === "auto") {
      ctx.log(
        task === "classification"
          ? `Task: classification (target '${p.target}' is ${targetColumn.kind === "string" ? "text" : `whole numbers with at most ${AUTO_CLASS_LIMIT} distinct values`}).`
          : `Task: regression (target '${p.target}' holds numbers with more than ${AUTO_CLASS_LIMIT} distinct values or fractions).`,
      );
    }
    if (task === "regression" && targetColumn.kind === "string") {
      throw new StageError(`Regression needs a number target, but '${p.target}' holds text. Set the task to classification.`, {
        field: "task",
        column: p.target,
      });
    }
    if (task === "regression" && p.model === "logistic-regression") {
      throw new StageError(
        "Logistic regression is a classifier and cannot predict a continuous target. Choose the MLP model for regression, or set the task to classification.",
        { field: "model" },
      );
    }

    assertNoMissingTarget(targetColumn, "training table");
    const X = featureMatrix(table, features, "training table");
    ctx.progress(0.05, "prepared features");

    let classes: string[] | null = null;
    let y: Int32Array | null = null;
    if (task === "classification") {
      classes = classLabels(targetColumn);
      if (classes.length < 2) {
        throw new StageError(
          `The target '${p.target}' has a single class ('${classes[0]}') in the ${table.rowCount} training rows; a classifier needs at least two. ` +
            "Check the target column, or stratify the split by it.",
          { column: p.target, field: "target" },
        );
      }
      y = encodeLabels(targetColumn, classes).y;
      ctx.log(`Classes: ${classes.map((c) => `'${c}'`).join(", ")}.`);
    }

    let state: unknown;
    let backend: string;
    try {
      if (p.model === "logistic-regression") {
        const { fitLogisticRegression } = await import("../../ml/logistic-regression");
        backend = "cpu";
        ctx.reportBackend(backend);
        const fitted = fitLogisticRegression(X, y!, classes!.length, { C: p.C, maxIter: p.maxIter, classNames: classes!, featureNames: features });
        if (!fitted.converged) {
          ctx.warn(
            `Logistic regression did not converge in ${fitted.iterations} iterations. Raise "maximum iterations", or scale the features with an Encode/Scale node.`,
          );
        } else ctx.log(`Converged in ${fitted.iterations} iterations.`);
        state = fitted;
      } else {
        const { trainMlp } = await import("./mlp-adapter");
        const result = await trainMlp({
          X,
          task,
          y,
          yValues: task === "regression" ? (targetColumn.values as Float64Array) : null,
          nClasses: classes?.length ?? 0,
          params: p,
          featureNames: features,
          classNames: classes ?? undefined,
          device: ctx.device,
          signal: ctx.signal,
          onEpoch: (epoch, total, loss) => ctx.progress(0.05 + (0.9 * epoch) / total, `epoch ${epoch}/${total}, loss ${fmt(loss)}`),
          onBackend: (name) => ctx.reportBackend(name),
          log: (m) => ctx.log(m),
        });
        state = result.state;
        backend = result.backend;
      }
    } catch (error) {
      if (error instanceof MlInputError) throw new StageError(error.message);
      throw error;
    }

    const model: StudioModel = {
      format: "studio-model",
      version: 1,
      algorithm: p.model,
      task,
      target: p.target,
      targetKind: targetColumn.kind,
      features,
      classes,
      state,
      trainedOn: { rows: table.rowCount },
      backend,
    };
    if (task === "classification") {
      const { predictWithModel } = await import("./predict-core");
      const prediction = await predictWithModel(model, table, { what: "training table" });
      let hit = 0;
      for (let i = 0; i < y!.length; i++) if (prediction.classIndex![i] === y![i]) hit++;
      ctx.log(`Training accuracy ${fmt(hit / y!.length)} on ${table.rowCount} rows (evaluate on held-out rows for a fair estimate).`);
    }
    ctx.progress(1);
    return {
      model: ctx.writeJson("model", model, {
        algorithm: p.model,
        task,
        target: p.target,
        features: features.length,
        classes: classes?.length ?? 0,
        backend,
      }),
    };
  },
});
