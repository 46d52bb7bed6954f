/**
 * The studio's model artifact and how to predict with it: used by Evaluate, Predict and (later)
 * serving, so a model predicts the same way everywhere. Heavy libraries load lazily.
 */
import type { OnnxModelState } from "../../ml/onnx/runtime";
import { getColumn, type ColumnKind, type DataTable } from "../../artifacts/table";
import { MlInputError } from "../../ml/errors";
import { matrixStorage, type Matrix } from "../../ml/matrix";
import { listNames } from "../common";
import { StageError } from "../types";

/** A model id of the registry in server/ml/models ("logistic-regression", "knn", ...), or "onnx". */
export type ModelAlgorithm = string;
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
  /** The model's own params as fitted (registry names), and the seed; absent in models from before the registry. */
  params?: Record<string, unknown>;
  seed?: number;
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
 * names the column (and row) and what to do about it. A matrix to fit on is `shared`: when large,
 * it is stored in shared memory for the fit's kernel threads (matrixStorage).
 */
export function featureMatrix(table: DataTable, features: readonly string[], what = "table", { shared = false } = {}): Matrix {
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
  const data = shared ? matrixStorage(n * d) : new Float64Array(n * d);
  features.forEach((name, j) => {
    const column = getColumn(table, name)!;
    if (column.kind !== "number") {
      throw new StageError(
        `Column '${name}' holds text; models need numbers. Add an Encode/Scale node before this one to one-hot encode a category column, ` +
          `or a Vectorize text node for free text, or leave the column out ("Columns to leave out" in Train).`,
        { column: name },
      );
    }
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        throw new StageError(
          `Column '${name}' has a ${Number.isNaN(v) ? "missing value" : `non-finite value (${v})`} at row ${i + 1} of the ${what}. ` +
            (Number.isNaN(v) ? "Add a Clean node to fill or drop missing values first." : "Add a Clean node to drop or cap infinite values first."),
          { column: name, row: i + 1 },
        );
      }
      data[i * d + j] = v;
    }
  });
  return { data, rows: n, cols: d };
}

/**
 * The model's raw output for a feature matrix in its feature order: row-major probabilities
 * (rows x classes) for a classifier, one value per row for a regressor.
 */
export async function predictMatrix(model: StudioModel, X: Matrix, _options: { signal?: AbortSignal } = {}): Promise<Float64Array> {
  try {
    if (model.algorithm === "onnx") {
      const onnx = await import("../../ml/onnx/runtime");
      return await onnx.predictOnnxMatrix(model.state as OnnxModelState, model.features, X);
    }
    const { getModel } = await import("../../ml/models/registry");
    const spec = getModel(model.algorithm);
    if (!spec) {
      throw new StageError(`Unknown model algorithm '${model.algorithm}'. Re-train the model with this studio version.`, { field: "model" });
    }
    return spec.predict(model.state, X);
  } catch (error) {
    throw toStageError(error);
  }
}

/** Runs the model on the table's rows. Throws StageError for missing or unusable feature columns. */
export async function predictWithModel(model: StudioModel, table: DataTable, options: { what?: string; signal?: AbortSignal } = {}): Promise<Prediction> {
  if (!isStudioModel(model)) {
    throw new StageError("The model input is not a studio model (format 'studio-model', version 1). Connect the output of a Train node.", {
      field: "model",
    });
  }
  // An imported ONNX graph may read raw text columns, so it predicts from the table itself.
  if (model.algorithm === "onnx") {
    const onnx = await import("../../ml/onnx/runtime");
    return await onnx.predictOnnxModel(model.state as OnnxModelState, table, { what: options.what });
  }
  const X = featureMatrix(table, model.features, options.what ?? "table");
  const out = await predictMatrix(model, X, options);
  return model.task === "classification" ? classify(model, out, X.rows) : { values: out };
}

/** Arg-max class of each row of a probability matrix. */
export function argmaxRows(probabilities: Float64Array, rows: number, k: number): Int32Array {
  const classIndex = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[i * k + c] > probabilities[i * k + best]) best = c;
    classIndex[i] = best;
  }
  return classIndex;
}

function classify(model: StudioModel, probabilities: Float64Array, rows: number): Prediction {
  const classes = model.classes!;
  const classIndex = argmaxRows(probabilities, rows, classes.length);
  const labels = Array.from(classIndex, (c) => classes[c]);
  return { labels, classIndex, probabilities };
}

/**
 * An MlInputError from the numeric code as a StageError the UI can point with: `param` becomes the
 * field, a column name the column. Other errors pass through unchanged.
 */
export function toStageError(error: unknown): unknown {
  if (!(error instanceof MlInputError)) return error;
  const d = error.details ?? {};
  // Sentences start with a capital, but a leading identifier (nNeighbors, maxDepth) keeps its case.
  const camel = /^[a-z]+[A-Z]\w*\b/.test(error.message);
  const message = camel ? error.message : error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return new StageError(message.endsWith(".") ? message : `${message}.`, {
    field: typeof d.param === "string" ? d.param : undefined,
    column: typeof d.columnName === "string" ? d.columnName : undefined,
  });
}
