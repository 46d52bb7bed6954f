import { z } from "zod";
import { makeTable, takeRows, type DataTable, type TableColumn } from "../../artifacts/table";
import { compareStrings, fmt, requireColumns } from "../common";
import { defineStage, StageError } from "../types";

const params = z
  .object({
    dropDuplicates: z.boolean().default(true).describe("Drop exact duplicate rows"),
    missing: z
      .enum(["drop", "mean", "median", "mode", "constant"])
      .default("median")
      .describe("Missing values"),
    constant: z.string().optional().describe("Fill value (for 'constant')"),
    columns: z.array(z.string()).optional().meta({ widget: "columns" }).describe("Columns to clean (empty = all)"),
  })
  .refine((p) => p.missing !== "constant" || (p.constant !== undefined && p.constant !== ""), {
    message: "Give a fill value when missing values are filled with a constant",
    path: ["constant"],
  });

export type CleanParams = z.output<typeof params>;

export const clean = defineStage({
  id: "clean",
  version: 1,
  title: "Clean",
  category: "Transform",
  description: "Drops duplicate rows and fills in (or drops) missing values with the mean, median, most frequent value or a constant.",
  params,
  inputs: { table: { type: "table", label: "Table" } },
  outputs: { table: { type: "table", label: "Table" } },
  run(ctx) {
    const p = ctx.params;
    let table = ctx.readTable("table");
    const inputRows = table.rowCount;

    if (p.dropDuplicates) {
      const { keep, duplicates, firstExample } = findDuplicates(table);
      if (duplicates > 0) {
        table = takeRows(table, keep);
        ctx.log(
          `Dropped ${duplicates} exact duplicate row${duplicates === 1 ? "" : "s"} (e.g. row ${firstExample![0]} repeats row ${firstExample![1]}).`,
        );
      } else ctx.log("No duplicate rows.");
    }
    ctx.progress(0.3);

    const names = p.columns && p.columns.length ? p.columns : table.columns.map((c) => c.name);
    const selected = new Set(requireColumns(table, names, "columns").map((c) => c.name));

    if (p.missing === "drop") {
      const keep: number[] = [];
      const perColumn = new Map<string, number>();
      for (let i = 0; i < table.rowCount; i++) {
        let missing = false;
        for (const column of table.columns) {
          if (!selected.has(column.name) || !missingAt(column, i)) continue;
          missing = true;
          perColumn.set(column.name, (perColumn.get(column.name) ?? 0) + 1);
        }
        if (!missing) keep.push(i);
      }
      const dropped = table.rowCount - keep.length;
      if (dropped) {
        table = takeRows(table, keep);
        const detail = [...perColumn].map(([n, c]) => `${n}: ${c}`).join(", ");
        ctx.log(`Dropped ${dropped} row${dropped === 1 ? "" : "s"} with missing values (${detail}).`);
      }
    } else {
      table = makeTable(table.columns.map((column) => (selected.has(column.name) ? fillColumn(column, p, ctx) : column)));
    }

    if (table.rowCount === 0) {
      throw new StageError(
        `Cleaning left no rows (${inputRows} in). Every row had a missing value in the selected columns; fill missing values instead of dropping them, or choose fewer columns.`,
        { field: "missing" },
      );
    }
    ctx.log(`${inputRows} rows in, ${table.rowCount} out.`);
    ctx.progress(1);
    return { table: ctx.writeTable(table) };
  },
});

function missingAt(column: TableColumn, i: number): boolean {
  return column.kind === "number" ? Number.isNaN(column.values[i]) : column.values[i] === null;
}

/** Keeps the first of each set of identical rows; returns the kept indices and an example pair (1-based). */
export function findDuplicates(table: DataTable): { keep: number[]; duplicates: number; firstExample?: [number, number] } {
  const seen = new Map<string, number>();
  const keep: number[] = [];
  let firstExample: [number, number] | undefined;
  for (let i = 0; i < table.rowCount; i++) {
    // NaN and null both serialise to null, so two rows missing the same cell are equal.
    const key = JSON.stringify(table.columns.map((c) => (missingAt(c, i) ? null : c.values[i])));
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      keep.push(i);
    } else firstExample ??= [i + 1, first + 1];
  }
  return { keep, duplicates: table.rowCount - keep.length, firstExample };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Most frequent value; ties go to the smallest (as scikit-learn's SimpleImputer does). */
export function mode<T extends string | number>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) {
    const smaller =
      best !== undefined &&
      (typeof v === "number" ? (v as number) < (best as number) : compareStrings(v as string, best as string) < 0);
    if (c > bestCount || (c === bestCount && smaller)) {
      best = v;
      bestCount = c;
    }
  }
  return best as T;
}

function fillColumn(
  column: TableColumn,
  p: CleanParams,
  ctx: { log(m: string): void },
): TableColumn {
  const missingRows: number[] = [];
  for (let i = 0; i < column.values.length; i++) if (missingAt(column, i)) missingRows.push(i);
  if (missingRows.length === 0) return column;
  const count = missingRows.length;
  const present = column.values.length - count;

  if (p.missing === "constant") {
    const raw = p.constant!;
    if (column.kind === "number") {
      const value = Number(raw.trim());
      if (raw.trim() === "" || !Number.isFinite(value)) {
        throw new StageError(
          `Fill value '${raw}' is not a number, but column '${column.name}' holds numbers. Use a number, or limit "Columns to clean" to text columns.`,
          { field: "constant", column: column.name },
        );
      }
      const values = Float64Array.from(column.values);
      for (const i of missingRows) values[i] = value;
      ctx.log(`${column.name}: filled ${count} missing with ${fmt(value)}.`);
      return { ...column, values };
    }
    const values = [...column.values];
    for (const i of missingRows) values[i] = raw;
    ctx.log(`${column.name}: filled ${count} missing with '${raw}'.`);
    return { ...column, values };
  }

  if (present === 0) {
    throw new StageError(
      `Column '${column.name}' has no values at all, so there is no ${p.missing} to fill it with. Drop the column, or fill with a constant.`,
      { field: "missing", column: column.name },
    );
  }

  if (column.kind === "number") {
    const known: number[] = [];
    for (const v of column.values) if (!Number.isNaN(v)) known.push(v);
    const value =
      p.missing === "mean" ? known.reduce((a, b) => a + b, 0) / known.length : p.missing === "median" ? median(known) : mode(known);
    const values = Float64Array.from(column.values);
    for (const i of missingRows) values[i] = value;
    ctx.log(`${column.name}: filled ${count} missing with the ${p.missing} ${fmt(value)}.`);
    return { ...column, values };
  }

  const known = column.values.filter((v): v is string => v !== null);
  const value = mode(known);
  const values = [...column.values];
  for (const i of missingRows) values[i] = value;
  const note = p.missing === "mode" ? "" : ` (text column: the ${p.missing} is undefined, so the most frequent value is used)`;
  ctx.log(`${column.name}: filled ${count} missing with the most frequent value '${value}'${note}.`);
  return { ...column, values };
}
