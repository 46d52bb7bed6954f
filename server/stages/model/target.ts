import type { TableColumn } from "../../artifacts/table";
import { cellText, compareStrings } from "../common";
import { StageError } from "../types";

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
