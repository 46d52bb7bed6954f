/**
 * The studio's model artifact and how to predict with it: used by Evaluate, Predict and (later)
 * serving, so a model predicts the same way everywhere. Heavy libraries load lazily.
 */
import { getColumn, type ColumnKind, type DataTable } from "../../artifacts/table";
import { MlInputError } from "../../ml/errors";
import type { Matrix } from "../../ml/matrix";
import { listNames } from "../common";
import { StageError } from "../types";

export type ModelAlgorithm = "logistic-regression" | "mlp";
export type ModelTask = "classification" | "regression";

export interface StudioModel {
  format: "studio-model";
  version: 1;
  algorithm: ModelAlgorithm;
  task: ModelTask;
  target: string;
  /** The target column's kind in training: predicted class labels are written back in this kind. */
  targetKind: ColumnKind;
  features: string[];
  /** Class labels (as text) in class-index order; null for regression. */
  classes: string[] | null;
  /** Algorithm-specific fitted state (plain JSON). */
  state: unknown;
  trainedOn: { rows: number };
  /** Where it was trained ("cpu", "tensorflow (wasm)", ...). */
  backend: string;
}

export interface Prediction {
  /** Classification: the predicted class label of each row. */
  labels?: string[];
  /** Classification: the predicted class index of each row (into model.classes). */
  classIndex?: Int32Array;
  /** Classification: row-major rows x classes probabilities. */
  probabilities?: Float64Array;
  /** Regression: the predicted value of each row. */
  values?: Float64Array;
}

export function isStudioModel(value: unknown): value is StudioModel {
  const m = value as StudioModel | null;
  return !!m && m.format === "studio-model" && m.version === 1 && Array.isArray(m.features);
}

/**
 * The feature columns of `table` as a row-major matrix, in the model's feature order. Every message
 * names the column (and row) and what to do about it.
 */
export function featureMatrix(table: DataTable, features: readonly string[], what = "table"): Matrix {
  const missing = features.filter((f) => !getColumn(table, f));
  if (missing.length) {
    throw new StageError(
      `The ${what} lacks feature ${missing.length === 1 ? "column" : "columns"} ${listNames(missing)} that the model was trained on. ` +
        "Give it the same columns as the training data (apply the same Encode/Scale transform).",
      { column: missing[0] },
    );
  }
  const n = table.rowCount;
  const d = features.length;
  const data = new Float64Array(n * d);
  features.forEach((name, j) => {
    const column = getColumn(table, name)!;
    if (column.kind !== "number") {
      throw new StageError(
        `Column '${name}' holds text; models need numbers. Add an Encode/Scale node before this one to one-hot encode it, or leave the column out ("Columns to leave out" in Train).`,
        { column: name },
      );
    }
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        throw new StageError(
          `Column '${name}' has a ${Number.isNaN(v) ? "missing value" : `non-finite value (${v})`} at row ${i + 1} of the ${what}. ` +
            "Add a Clean node to fill or drop missing values first.",
          { column: name, row: i + 1 },
        );
      }
      data[i * d + j] = v;
    }
  });
  return { data, rows: n, cols: d };
}

/** Runs the model on the table's rows. Throws StageError for missing or unusable feature columns. */
export async function predictWithModel(model: StudioModel, table: DataTable, options: { what?: string; signal?: AbortSignal } = {}): Promise<Prediction> {
  if (!isStudioModel(model)) {
    throw new StageError("The model input is not a studio model (format 'studio-model', version 1). Connect the output of a Train node.", {
      field: "model",
    });
  }
  const X = featureMatrix(table, model.features, options.what ?? "table");
  try {
    if (model.algorithm === "logistic-regression") {
      const { predictProbaLogistic } = await import("../../ml/logistic-regression");
      const probabilities = predictProbaLogistic(model.state as Parameters<typeof predictProbaLogistic>[0], X);
      return classify(model, probabilities, X.rows);
    }
    if (model.algorithm === "mlp") {
      const { predictMlp } = await import("./mlp-adapter");
      const out = await predictMlp(model, X, options.signal);
      return model.task === "classification" ? classify(model, out, X.rows) : { values: out };
    }
  } catch (error) {
    if (error instanceof MlInputError) throw new StageError(error.message);
    throw error;
  }
  throw new StageError(`Unknown model algorithm '${(model as StudioModel).algorithm}'. Re-train the model with this studio version.`);
}

function classify(model: StudioModel, probabilities: Float64Array, rows: number): Prediction {
  const classes = model.classes!;
  const k = classes.length;
  const classIndex = new Int32Array(rows);
  const labels = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[i * k + c] > probabilities[i * k + best]) best = c;
    classIndex[i] = best;
    labels[i] = classes[best];
  }
  return { labels, classIndex, probabilities };
}
