import type { DataTable, TableColumn } from "../../artifacts/table";
import type { Matrix } from "../../ml/matrix";
import { cellText, compareStrings, requireColumn, requireColumns } from "../common";
import { StageError } from "../types";
import { featureMatrix } from "./predict-core";

/** A numeric target with at most this many distinct integer values is read as classes by task "auto". */
export const AUTO_CLASS_LIMIT = 20;

export function inferTask(column: TableColumn): "classification" | "regression" {
  if (column.kind === "string") return "classification";
  const distinct = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return "regression";
    distinct.add(v);
    if (distinct.size > AUTO_CLASS_LIMIT) return "regression";
  }
  return "classification";
}

/** Throws naming the first row (1-based) whose target is missing. */
export function assertNoMissingTarget(column: TableColumn, what: string): void {
  for (let i = 0; i < column.values.length; i++) {
    if (cellText(column, i) === null) {
      throw new StageError(
        `The target column '${column.name}' has no value at row ${i + 1} of the ${what}. Drop rows without a target (Clean with "drop" on that column) first.`,
        { column: column.name, row: i + 1 },
      );
    }
  }
}

/** Sorted distinct class labels (numerically for a number column), as text. */
export function classLabels(column: TableColumn): string[] {
  const set = new Set<string>();
  for (let i = 0; i < column.values.length; i++) {
    const t = cellText(column, i);
    if (t !== null) set.add(t);
  }
  return [...set].sort(column.kind === "number" ? (a, b) => Number(a) - Number(b) : compareStrings);
}

/** Class index of every row; labels not in `classes` get indices after them, in order of appearance. */
export function encodeLabels(column: TableColumn, classes: readonly string[]): { y: Int32Array; extra: string[] } {
  const index = new Map(classes.map((c, k) => [c, k]));
  const extra: string[] = [];
  const y = new Int32Array(column.values.length);
  for (let i = 0; i < y.length; i++) {
    const t = cellText(column, i)!;
    let k = index.get(t);
    if (k === undefined) {
      k = classes.length + extra.length;
      index.set(t, k);
      extra.push(t);
    }
    y[i] = k;
  }
  return { y, extra };
}

export interface TrainingDataParams {
  target: string;
  ignore?: string[];
  task: "auto" | "classification" | "regression";
}

/** Everything a model fit needs from a labelled table, with the stage-level checks done. */
export interface TrainingData {
  features: string[];
  task: "classification" | "regression";
  X: Matrix;
  /** Class indices (classification) or target values (regression). */
  y: Int32Array | Float64Array;
  /** Class labels in index order; null for regression. */
  classes: string[] | null;
  targetColumn: TableColumn;
}

/**
 * Reads target and features out of a training table, naming the field, column or row of anything
 * that cannot be trained on. `supported` are the tasks of the chosen model: with task "auto", a
 * regression-only model on a number target means regression.
 */
export function prepareTrainingData(
  table: DataTable,
  p: TrainingDataParams,
  log: (message: string) => void,
  supported: readonly ("classification" | "regression")[] = ["classification", "regression"],
  what = "training table",
): TrainingData {
  const targetColumn = requireColumn(table, p.target, "target", what);
  const ignored = new Set(p.ignore ?? []);
  requireColumns(table, [...ignored], "ignore", what);
  if (ignored.has(p.target)) {
    throw new StageError(`The target '${p.target}' is also listed under "Columns to leave out". Remove it from that list.`, { field: "ignore" });
  }
  const features = table.columns.filter((c) => c.name !== p.target && !ignored.has(c.name)).map((c) => c.name);
  if (ignored.size) log(`Left out: ${[...ignored].join(", ")}.`);
  if (features.length === 0) {
    throw new StageError(`The ${what} has no feature columns besides the target '${p.target}'. Keep some columns (check "Columns to leave out").`, {
      field: "target",
    });
  }
  if (table.rowCount < 2) throw new StageError(`The ${what} has ${table.rowCount} row(s); training needs at least 2.`);

  let task: "classification" | "regression";
  if (p.task !== "auto") task = p.task;
  else if (supported.length === 1 && supported[0] === "regression" && targetColumn.kind === "number") {
    task = "regression";
    log(`Task: regression (the chosen model only does regression).`);
  } else {
    task = inferTask(targetColumn);
    log(
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
  assertNoMissingTarget(targetColumn, what);
  const X = featureMatrix(table, features, what, { shared: true });

  if (task === "regression") {
    const values = targetColumn.values as Float64Array;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new StageError(`The target column '${p.target}' has a non-finite value (${values[i]}) at row ${i + 1} of the ${what}. Drop or cap it with Clean first.`, {
          column: p.target,
          row: i + 1,
        });
      }
    }
    return { features, task, X, y: values, classes: null, targetColumn };
  }
  const classes = classLabels(targetColumn);
  if (classes.length < 2) {
    throw new StageError(
      `The target '${p.target}' has a single class ('${classes[0]}') in the ${table.rowCount} ${what.replace(/ table$/, "")} rows; a classifier needs at least two. ` +
        "Check the target column, or stratify the split by it.",
      { column: p.target, field: "target" },
    );
  }
  if (classes.length >= table.rowCount && table.rowCount > 2) {
    throw new StageError(
      `The target '${p.target}' has ${classes.length} classes in ${table.rowCount} rows: every row is its own class, so there is nothing to generalise from. ` +
        "Pick another target column (is this an ID?), or set the task to regression if it is a number.",
      { column: p.target, field: "target" },
    );
  }
  log(`Classes: ${classes.slice(0, 20).map((c) => `'${c}'`).join(", ")}${classes.length > 20 ? ` and ${classes.length - 20} more` : ""}.`);
  return { features, task, X, y: encodeLabels(targetColumn, classes).y, classes, targetColumn };
}
