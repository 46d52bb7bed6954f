/**
 * Fit and replay of the Encode/Scale transform, kept free of stage I/O: the Encode/Scale stage
 * fits it on train, and Predict (and later serving) replay the stored JSON on new rows.
 */
import { getColumn, makeTable, type ColumnKind, type DataTable, type TableColumn } from "../../artifacts/table";
import { compareStrings, listNames } from "../common";
import { StageError } from "../types";

export interface EncodeScaleOptions {
  target?: string;
  oneHot: boolean;
  scaling: "standardize" | "minmax" | "none";
  exclude?: string[];
}

export type EncodeScaleStep =
  /** A text column becomes one 0/1 column per category seen in training, named `column=category`. */
  | { op: "one-hot"; column: string; categories: string[]; outputs: string[] }
  /** out = (x - center) / scale; for a constant column scale is 1, so train values become 0. */
  | { op: "scale"; column: string; method: "standardize" | "minmax"; center: number; scale: number; constant: boolean }
  /** Copied unchanged: the target, excluded columns, or columns the settings leave alone. */
  | { op: "pass"; column: string; reason: "target" | "excluded" | "not-encoded" };

export interface EncodeScaleTransform {
  kind: "encode-scale";
  version: 1;
  target: string | null;
  inputColumns: { name: string; kind: ColumnKind }[];
  steps: EncodeScaleStep[];
  outputColumns: { name: string; kind: ColumnKind }[];
}

export interface ApplyResult {
  table: DataTable;
  /** Per one-hot column, how many rows held a category not seen in training (encoded as all zeros). */
  unseen: { column: string; rows: number; examples: string[] }[];
}

/** Learns categories and scaling statistics from `table` (the training rows). Missing values are ignored. */
export function fitEncodeScale(table: DataTable, options: EncodeScaleOptions): EncodeScaleTransform {
  const target = options.target || null;
  const exclude = new Set(options.exclude ?? []);
  if (target && !getColumn(table, target)) {
    throw new StageError(`Target column '${target}' is not in the training table; its columns are ${listNames(table.columns.map((c) => c.name))}.`, {
      field: "target",
      column: target,
    });
  }
  const unknownExcluded = [...exclude].filter((n) => !getColumn(table, n));
  if (unknownExcluded.length) {
    throw new StageError(`Excluded ${listNames(unknownExcluded)} ${unknownExcluded.length === 1 ? "is" : "are"} not in the training table.`, {
      field: "exclude",
      column: unknownExcluded[0],
    });
  }

  const steps: EncodeScaleStep[] = table.columns.map((column): EncodeScaleStep => {
    if (column.name === target) return { op: "pass", column: column.name, reason: "target" };
    if (exclude.has(column.name)) return { op: "pass", column: column.name, reason: "excluded" };
    if (column.kind === "string") {
      if (!options.oneHot) return { op: "pass", column: column.name, reason: "not-encoded" };
      const categories = [...new Set(column.values.filter((v): v is string => v !== null))].sort(compareStrings);
      return { op: "one-hot", column: column.name, categories, outputs: categories.map((c) => `${column.name}=${c}`) };
    }
    if (options.scaling === "none") return { op: "pass", column: column.name, reason: "not-encoded" };
    return scaleStep(column.name, column.values, options.scaling);
  });

  const outputColumns = outputsOf(steps, table.columns);
  const seen = new Map<string, number>();
  outputColumns.forEach((c, i) => {
    if (seen.has(c.name)) {
      throw new StageError(
        `Encoding would create two columns named '${c.name}' (a one-hot column clashes with an existing column). Rename the existing column or exclude one of them.`,
        { column: c.name },
      );
    }
    seen.set(c.name, i);
  });

  return {
    kind: "encode-scale",
    version: 1,
    target,
    inputColumns: table.columns.map((c) => ({ name: c.name, kind: c.kind })),
    steps,
    outputColumns,
  };
}

function scaleStep(name: string, values: Float64Array, method: "standardize" | "minmax"): EncodeScaleStep {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) {
    throw new StageError(`Column '${name}' has no values in the training rows, so it cannot be scaled. Drop it, fill it with Clean, or exclude it.`, {
      column: name,
    });
  }
  if (method === "minmax") {
    const range = max - min;
    return { op: "scale", column: name, method, center: min, scale: range > 0 ? range : 1, constant: !(range > 0) };
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  // Population standard deviation (ddof = 0), as scikit-learn's StandardScaler.
  const std = Math.sqrt(ss / n);
  const constant = !(std > 1e-12 * Math.max(1, Math.abs(mean)));
  return { op: "scale", column: name, method, center: mean, scale: constant ? 1 : std, constant };
}

function outputsOf(steps: EncodeScaleStep[], columns: { name: string; kind: ColumnKind }[]): { name: string; kind: ColumnKind }[] {
  return steps.flatMap((step, i) => {
    if (step.op === "one-hot") return step.outputs.map((name) => ({ name, kind: "number" as const }));
    if (step.op === "scale") return [{ name: step.column, kind: "number" as const }];
    return [{ name: step.column, kind: columns[i].kind }];
  });
}

/**
 * Replays a fitted transform on new rows. Every fitted input column must be present with the same
 * kind, except the target, which may be absent (rows to predict have no label). Columns the
 * transform did not see are appended unchanged.
 */
export function applyEncodeScale(transform: EncodeScaleTransform, table: DataTable): ApplyResult {
  const missing = transform.inputColumns.filter((c) => c.name !== transform.target && !getColumn(table, c.name)).map((c) => c.name);
  if (missing.length) {
    throw new StageError(
      `The table lacks ${missing.length === 1 ? "column" : "columns"} ${listNames(missing)} that the Encode/Scale transform was fitted on. Give it the same columns as the training data.`,
      { column: missing[0] },
    );
  }
  for (const expected of transform.inputColumns) {
    const actual = getColumn(table, expected.name);
    if (actual && actual.kind !== expected.kind) {
      throw new StageError(
        `Column '${expected.name}' holds ${actual.kind === "number" ? "numbers" : "text"} here but held ${expected.kind === "number" ? "numbers" : "text"} when the transform was fitted. Load it with the same type (Load CSV's "Column types").`,
        { column: expected.name },
      );
    }
  }

  const unseen: ApplyResult["unseen"] = [];
  const out: TableColumn[] = [];
  const rows = table.rowCount;
  for (const step of transform.steps) {
    const column = getColumn(table, step.column);
    if (!column) continue; // only the target may be absent (checked above)
    if (step.op === "pass") {
      out.push(column);
    } else if (step.op === "scale") {
      const src = column.values as Float64Array;
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = (src[i] - step.center) / step.scale;
      out.push({ name: step.column, kind: "number", values });
    } else {
      const src = column.values as (string | null)[];
      const index = new Map(step.categories.map((c, k) => [c, k]));
      const encoded = step.categories.map(() => new Float64Array(rows));
      let unseenRows = 0;
      const examples = new Set<string>();
      for (let i = 0; i < rows; i++) {
        const v = src[i];
        if (v === null) continue; // missing: all zeros
        const k = index.get(v);
        if (k === undefined) {
          unseenRows++;
          if (examples.size < 5) examples.add(v);
        } else encoded[k][i] = 1;
      }
      if (unseenRows) unseen.push({ column: step.column, rows: unseenRows, examples: [...examples] });
      step.outputs.forEach((name, k) => out.push({ name, kind: "number", values: encoded[k] }));
    }
  }
  const known = new Set(transform.inputColumns.map((c) => c.name));
  const produced = new Set(out.map((c) => c.name));
  for (const column of table.columns) {
    if (known.has(column.name)) continue;
    if (produced.has(column.name)) {
      throw new StageError(
        `Column '${column.name}' clashes with a column the Encode/Scale transform creates. Rename or drop it before this step.`,
        { column: column.name },
      );
    }
    out.push(column);
  }
  return { table: makeTable(out), unseen };
}
