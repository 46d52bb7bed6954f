import { z } from "zod";
import { getColumn } from "../../artifacts/table";
import { MlInputError } from "../../ml/errors";
import { listNames, fmt } from "../common";
import { defineStage, StageError } from "../types";
import { featureMatrix, isStudioModel, predictMatrix, predictWithModel, toStageError, type StudioModel } from "./predict-core";
import { assertNoMissingTarget, encodeLabels } from "./target";

const params = z.object({
  importanceRepeats: z
    .number()
    .int()
    .min(0)
    .max(100)
    .default(5)
    .describe("Permutation importance: shuffles per feature (0 = skip)"),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42).describe("Permutation importance: random seed"),
});

export const evaluate = defineStage({
  id: "evaluate",
  version: 3,
  title: "Evaluate",
  category: "Evaluate",
  description:
    "Scores a trained model on labelled rows (e.g. the test split): accuracy, F1, ROC AUC, a confusion matrix and a calibration curve, or R² and RMSE; plus permutation feature importance.",
  params,
  inputs: {
    model: { type: "model", label: "Model" },
    table: { type: "table", label: "Labelled data", description: "Rows with the target column, e.g. the test split." },
  },
  outputs: { metrics: { type: "metrics", label: "Metrics" } },
  async run(ctx) {
    const model = ctx.readJson<StudioModel>("model");
    if (!isStudioModel(model)) {
      throw new StageError("The model input is not a studio model. Connect the Model output of a Train node.", { field: "model" });
    }
    const table = ctx.readTable("table");
    const targetColumn = getColumn(table, model.target);
    if (!targetColumn) {
      throw new StageError(
        `The table has no target column '${model.target}', so predictions cannot be compared with true values. ` +
          `Connect rows that still hold it (e.g. the test split); its columns are ${listNames(table.columns.map((c) => c.name))}.`,
        { field: "table", column: model.target },
      );
    }
    if (table.rowCount === 0) throw new StageError("The table has no rows to evaluate on.", { field: "table" });
    assertNoMissingTarget(targetColumn, "evaluation table");
    const prediction = await predictWithModel(model, table, { what: "evaluation table", signal: ctx.signal });
    ctx.progress(0.5, "scoring");

    // Shuffling works on the numeric feature matrix; a model fed raw text columns (an imported ONNX
    // graph with its own encoder) gets no importances rather than a failed evaluation.
    const textFeature = model.features.find((f) => getColumn(table, f)?.kind === "string");
    if (textFeature && ctx.params.importanceRepeats > 0) ctx.log(`Permutation importance skipped: the model reads the text column '${textFeature}' directly.`);
    const tooMany = model.features.length > IMPORTANCE_MAX_FEATURES;
    if (tooMany && !textFeature && ctx.params.importanceRepeats > 0) {
      ctx.log(
        `Permutation importance skipped: the model has ${model.features.length} features (more than ${IMPORTANCE_MAX_FEATURES}), ` +
          "and shuffling each one (pixels, vectorised words) would cost a prediction per feature and say little about any single one.",
      );
    }
    const repeats = textFeature || tooMany ? 0 : ctx.params.importanceRepeats;
    const importance = await importanceOf(model, table, targetColumn, repeats, ctx.params.seed, ctx.signal, (f) =>
      ctx.progress(0.6 + 0.35 * f, "permutation importance"),
    );
    const { classificationReport, regressionReport } = await import("../../ml/metrics");
    const header = { model: { algorithm: model.algorithm, target: model.target, task: model.task }, rows: table.rowCount };
    try {
      if (model.task === "classification") {
        const classes = model.classes!;
        const { y, extra } = encodeLabels(targetColumn, classes);
        if (extra.length) {
          ctx.warn(
            `The table holds ${extra.length === 1 ? "a class" : "classes"} the model never saw in training (${extra.map((e) => `'${e}'`).join(", ")}); those rows count as errors.`,
          );
        }
        const names = [...classes, ...extra];
        const k = classes.length;
        let proba = prediction.probabilities!;
        if (extra.length) {
          // Unseen classes get probability 0, so rows still sum to 1 over the widened class list.
          const wide = new Float64Array(table.rowCount * names.length);
          for (let i = 0; i < table.rowCount; i++) wide.set(proba.subarray(i * k, (i + 1) * k), i * names.length);
          proba = wide;
        }
        const report = classificationReport(y, prediction.classIndex!, proba, names);
        const summary = {
          accuracy: report.accuracy,
          macroF1: report.averages.macro.f1,
          rocAuc: headlineAuc(report.rocAuc),
          rows: table.rowCount,
        };
        ctx.log(`Accuracy ${fmt(report.accuracy)}, macro F1 ${fmt(report.averages.macro.f1)} on ${table.rowCount} rows.`);
        for (const w of report.warnings) ctx.warn(w.message);
        ctx.progress(1);
        return { metrics: ctx.writeJson("metrics", { ...report, ...header, ...importance }, summary) };
      }
      const yTrue = targetColumn.values as Float64Array;
      const report = regressionReport(yTrue, prediction.values!);
      ctx.log(`R² ${fmt(report.r2)}, RMSE ${fmt(report.rmse)}, MAE ${fmt(report.mae)} on ${table.rowCount} rows.`);
      for (const w of report.warnings) ctx.warn(w.message);
      ctx.progress(1);
      return { metrics: ctx.writeJson("metrics", { ...report, ...header, ...importance }, { r2: report.r2, rmse: report.rmse, rows: table.rowCount }) };
    } catch (error) {
      if (error instanceof MlInputError) throw new StageError(error.message);
      throw error;
    }
  },
});

/** Binary: the positive class's AUC (scikit-learn's roc_auc_score); multiclass: the one-vs-rest macro mean. */
function headlineAuc(auc: { perClass: Record<string, number | null>; macro: number | null; positiveClass: string | null } | null): number | null {
  if (!auc) return null;
  return auc.positiveClass ? (auc.perClass[auc.positiveClass] ?? null) : auc.macro;
}

/**
 * Above this many features permutation importance is skipped: it needs features x repeats
 * predictions, and per-feature scores of pixels or word counts are noise. A fixed count rather than
 * a time budget keeps the metrics artifact the same on a fast and a slow machine.
 */
export const IMPORTANCE_MAX_FEATURES = 100;

/**
 * Permutation importance on the evaluated rows with the model's own predict (accuracy for
 * classifiers, R² for regressors); empty when repeats is 0. Rows of classes the model never saw
 * count as errors, as in the accuracy above.
 */
async function importanceOf(
  model: StudioModel,
  table: import("../../artifacts/table").DataTable,
  targetColumn: import("../../artifacts/table").TableColumn,
  repeats: number,
  seed: number,
  signal: AbortSignal,
  progress: (fraction: number) => void,
): Promise<{ permutationImportance: { feature: string; mean: number; std: number }[]; permutationImportanceMetric: "accuracy" | "r2" | null }> {
  if (repeats === 0) return { permutationImportance: [], permutationImportanceMetric: null };
  const { permutationImportance } = await import("../../ml/permutation-importance");
  const X = featureMatrix(table, model.features, "evaluation table");
  const y = model.task === "classification" ? encodeLabels(targetColumn, model.classes!).y : (targetColumn.values as Float64Array);
  try {
    const result = await permutationImportance(X, y, (M) => predictMatrix(model, M, { signal }), {
      task: model.task,
      repeats,
      seed,
      featureNames: model.features,
      onProgress: (done, total) => {
        if (signal.aborted) throw new StageError("Evaluation was cancelled.");
        progress(done / total);
      },
    });
    return { permutationImportance: result.importances, permutationImportanceMetric: result.metric };
  } catch (error) {
    throw toStageError(error);
  }
}
