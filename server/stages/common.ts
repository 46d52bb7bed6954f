import { getColumn, type DataTable, type TableColumn } from "../artifacts/table";
import { StageError } from "./types";

/** Shared helpers for stage modules: column look-ups and value formatting for messages. */

/** Lists column names for a message, shortened so a 500-column table does not flood the UI. */
export function listNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((n) => `'${n}'`);
  return names.length > max ? `${shown.join(", ")} and ${names.length - max} more` : shown.join(", ");
}

/** Returns the column or throws a StageError naming the param and the columns that do exist. */
export function requireColumn(table: DataTable, name: string, field: string, what = "table"): TableColumn {
  const column = getColumn(table, name);
  if (!column) {
    throw new StageError(
      `Column '${name}' (field '${field}') is not in the ${what}; its columns are ${listNames(table.columns.map((c) => c.name))}. Pick one of those.`,
      { field, column: name },
    );
  }
  return column;
}

/** Checks a list of column names against the table, naming every unknown one at once. */
export function requireColumns(table: DataTable, names: readonly string[], field: string, what = "table"): TableColumn[] {
  const missing = names.filter((n) => !getColumn(table, n));
  if (missing.length) {
    throw new StageError(
      `${missing.length === 1 ? "Column" : "Columns"} ${listNames(missing)} (field '${field}') ${missing.length === 1 ? "is" : "are"} not in the ${what}; its columns are ${listNames(table.columns.map((c) => c.name))}.`,
      { field, column: missing[0] },
    );
  }
  return names.map((n) => getColumn(table, n)!);
}

/** A cell as text for messages and class labels; null for missing. */
export function cellText(column: TableColumn, row: number): string | null {
  if (column.kind === "number") {
    const v = column.values[row];
    return Number.isNaN(v) ? null : String(v);
  }
  return column.values[row];
}

/** Compares two strings by code unit: locale-independent, so category order is the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Short number formatting for logs (no 0.30000000000000004). */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
