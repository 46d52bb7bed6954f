import { z } from "zod";
import { takeRows, type DataTable } from "../../artifacts/table";
import { Rng } from "../../ml/rng";
import { cellText, compareStrings, requireColumn } from "../common";
import { defineStage, StageError } from "../types";

const params = z.object({
  testSize: z.number().min(0.05).max(0.95).default(0.25).describe("Test share (0.05-0.95)"),
  stratifyBy: z.string().optional().meta({ widget: "column" }).describe("Stratify by (keeps class shares equal)"),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42).describe("Random seed"),
  shuffle: z.boolean().default(true).describe("Shuffle before splitting"),
});

export type SplitParams = z.output<typeof params>;

/** Text columns with at most this many distinct values are checked for classes missing from a side. */
const CATEGORICAL_MAX = 20;

export const split = defineStage({
  id: "split",
  version: 1,
  title: "Train/test split",
  category: "Transform",
  description: "Splits the rows into a training set and a test set, optionally keeping each class's share equal in both.",
  params,
  inputs: { table: { type: "table", label: "Table" } },
  outputs: {
    train: { type: "table", label: "Train" },
    test: { type: "table", label: "Test" },
  },
  run(ctx) {
    const table = ctx.readTable("table");
    const { train, test, perClass } = splitIndices(table, ctx.params);
    ctx.progress(0.5);
    const trainTable = takeRows(table, train);
    const testTable = takeRows(table, test);
    const how = ctx.params.stratifyBy
      ? ` stratified by '${ctx.params.stratifyBy}' (${perClass!.map((c) => `${c.label}: ${c.train}/${c.test}`).join(", ")})`
      : "";
    ctx.log(`Split ${table.rowCount} rows into ${train.length} train and ${test.length} test${how}.`);
    if (!ctx.params.stratifyBy) for (const message of missingClassWarnings(trainTable, testTable)) ctx.warn(message);
    ctx.progress(1);
    return { train: ctx.writeTable(trainTable), test: ctx.writeTable(testTable) };
  },
});

/**
 * The row indices of each side. Test size is ceil(testSize * n) as in scikit-learn's
 * train_test_split; a stratified split gives each class its proportional share (largest
 * remainders), at least one test row and at least one train row.
 */
export function splitIndices(
  table: DataTable,
  p: SplitParams,
): { train: number[]; test: number[]; perClass?: { label: string; train: number; test: number }[] } {
  const n = table.rowCount;
  const nTest = Math.ceil(p.testSize * n - 1e-9);
  const nTrain = n - nTest;
  if (nTest < 1 || nTrain < 1) {
    throw new StageError(
      `Splitting ${n} row${n === 1 ? "" : "s"} with a test share of ${p.testSize} leaves the ${nTrain < 1 ? "train" : "test"} set empty. ` +
        (n < 2 ? "A split needs at least 2 rows." : `Make the test share ${nTrain < 1 ? "smaller" : "larger"}, or use more rows.`),
      { field: "testSize" },
    );
  }
  const rng = new Rng(p.seed);

  if (!p.stratifyBy) {
    if (!p.shuffle) return { train: range(0, nTrain), test: range(nTrain, n) };
    const perm = Array.from(rng.permutation(n));
    return { train: perm.slice(nTest), test: perm.slice(0, nTest) };
  }

  const column = requireColumn(table, p.stratifyBy, "stratifyBy");
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const label = cellText(column, i);
    if (label === null) {
      throw new StageError(
        `Row ${i + 1} has no value in column '${column.name}', so it cannot be stratified. Fill or drop missing values with a Clean node first.`,
        { row: i + 1, column: column.name, field: "stratifyBy" },
      );
    }
    const rows = groups.get(label);
    if (rows) rows.push(i);
    else groups.set(label, [i]);
  }
  const classes = [...groups.keys()].sort(column.kind === "number" ? (a, b) => Number(a) - Number(b) : compareStrings);
  for (const label of classes) {
    if (groups.get(label)!.length < 2) {
      throw new StageError(
        `class '${label}' in column '${column.name}' has 1 row; stratified split needs at least 2 per class. Remove that row, merge rare classes, or split without stratifying.`,
        { column: column.name, field: "stratifyBy" },
      );
    }
  }

  // Largest-remainder allocation of nTest over classes, then at least one row on each side per class.
  const counts = classes.map((c) => groups.get(c)!.length);
  const exact = counts.map((c) => (nTest * c) / n);
  const alloc = exact.map(Math.floor);
  let left = nTest - alloc.reduce((a, b) => a + b, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => exact[b] - alloc[b] - (exact[a] - alloc[a]) || a - b);
  for (const k of byRemainder) {
    if (left <= 0) break;
    alloc[k]++;
    left--;
  }
  for (let k = 0; k < classes.length; k++) alloc[k] = Math.min(Math.max(alloc[k], 1), counts[k] - 1);

  const train: number[] = [];
  const test: number[] = [];
  const perClass = classes.map((label, k) => {
    const rows = [...groups.get(label)!];
    if (p.shuffle) {
      rng.shuffle(rows);
      test.push(...rows.slice(0, alloc[k]));
      train.push(...rows.slice(alloc[k]));
    } else {
      // Without shuffling, each class's last rows go to test (the data's order is kept).
      test.push(...rows.slice(rows.length - alloc[k]));
      train.push(...rows.slice(0, rows.length - alloc[k]));
    }
    return { label, train: rows.length - alloc[k], test: alloc[k] };
  });
  if (p.shuffle) {
    rng.shuffle(train);
    rng.shuffle(test);
  } else {
    train.sort((a, b) => a - b);
    test.sort((a, b) => a - b);
  }
  return { train, test, perClass };
}

/** Warnings for categories (of low-cardinality text columns) that ended up on only one side. */
export function missingClassWarnings(train: DataTable, test: DataTable): string[] {
  const messages: string[] = [];
  for (let c = 0; c < train.columns.length; c++) {
    const a = train.columns[c];
    const b = test.columns[c];
    if (a.kind !== "string" || b.kind !== "string") continue;
    const inTrain = new Set(a.values.filter((v): v is string => v !== null));
    const inTest = new Set(b.values.filter((v): v is string => v !== null));
    const all = new Set([...inTrain, ...inTest]);
    if (all.size < 2 || all.size > CATEGORICAL_MAX) continue;
    const notInTest = [...inTrain].filter((v) => !inTest.has(v)).sort(compareStrings);
    const notInTrain = [...inTest].filter((v) => !inTrain.has(v)).sort(compareStrings);
    if (notInTest.length) {
      messages.push(
        `The test set has no rows with ${a.name} = ${notInTest.map((v) => `'${v}'`).join(", ")}; if '${a.name}' is the target, set "Stratify by" to it so every class is tested.`,
      );
    }
    if (notInTrain.length) {
      messages.push(
        `The train set has no rows with ${a.name} = ${notInTrain.map((v) => `'${v}'`).join(", ")}; a model cannot learn them. Stratify by '${a.name}' or use more rows.`,
      );
    }
  }
  return messages;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
