import { describe, expect, it } from "vitest";
import { getColumn, type DataTable } from "../../artifacts/table";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { split } from "./split";

async function runSplit(table: DataTable, params: Record<string, unknown>) {
  const h = stageHarness();
  const out = await h.run(split, params, { table: h.putTable(table) });
  const warnings = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
  return { train: h.readTable(out.train), test: h.readTable(out.test), warnings, out };
}

const ids = (t: DataTable) => Array.from(getColumn(t, "id")!.values as Float64Array);
const labels = (t: DataTable, name = "label") => getColumn(t, name)!.values as (string | null)[];
const count = (values: (string | null)[], v: string) => values.filter((x) => x === v).length;

const numbered = (n: number, label?: (i: number) => string) =>
  tableOf({ id: Array.from({ length: n }, (_, i) => i), ...(label ? { label: Array.from({ length: n }, (_, i) => label(i)) } : {}) });

async function splitError(table: DataTable, params: Record<string, unknown>): Promise<StageError> {
  const h = stageHarness();
  const error = await h.run(split, params, { table: h.putTable(table) }).catch((e) => e);
  expect(error).toBeInstanceOf(StageError);
  return error;
}

describe("split", () => {
  it("puts ceil(testSize * n) rows in test and the rest in train, disjoint and complete", async () => {
    const { train, test, out } = await runSplit(numbered(10), { testSize: 0.25 });
    expect(test.rowCount).toBe(3); // ceil(2.5)
    expect(train.rowCount).toBe(7);
    expect([...ids(train), ...ids(test)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.train.summary.rows).toBe(7);
  });

  it("is reproducible for a seed and differs between seeds", async () => {
    const a = await runSplit(numbered(40), { seed: 7 });
    const b = await runSplit(numbered(40), { seed: 7 });
    const c = await runSplit(numbered(40), { seed: 8 });
    expect(ids(a.test)).toEqual(ids(b.test));
    expect(ids(a.test)).not.toEqual(ids(c.test));
    expect(ids(a.test)).not.toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]); // shuffled, not the last rows
  });

  it("without shuffling, the last rows are the test set", async () => {
    const { train, test } = await runSplit(numbered(8), { testSize: 0.25, shuffle: false });
    expect(ids(train)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ids(test)).toEqual([6, 7]);
  });

  it("stratified: allocates test rows by largest remainder", async () => {
    // 6 a + 4 b, testSize 0.3 -> 3 test rows; exact shares a 1.8, b 1.2 -> floor 1 + 1, the spare goes to a.
    const { train, test } = await runSplit(numbered(10, (i) => (i < 6 ? "a" : "b")), { testSize: 0.3, stratifyBy: "label" });
    expect([count(labels(test), "a"), count(labels(test), "b")]).toEqual([2, 1]);
    expect([count(labels(train), "a"), count(labels(train), "b")]).toEqual([4, 3]);
  });

  it("stratified: every class with >= 2 rows gets a test row", async () => {
    // 18 a + 2 b, testSize 0.1 -> 2 test rows, both would go to a; b is given one.
    const { test, train } = await runSplit(numbered(20, (i) => (i < 18 ? "a" : "b")), { testSize: 0.1, stratifyBy: "label" });
    expect(count(labels(test), "b")).toBe(1);
    expect(count(labels(train), "b")).toBe(1);
    expect(count(labels(test), "a")).toBe(2);
  });

  it("stratified without shuffle takes each class's last rows, in data order", async () => {
    const { test } = await runSplit(numbered(8, (i) => (i % 2 ? "odd" : "even")), { testSize: 0.25, stratifyBy: "label", shuffle: false });
    expect(ids(test)).toEqual([6, 7]);
  });

  it("stratifies by a number column", async () => {
    const t = tableOf({ id: [0, 1, 2, 3], y: [0, 1, 0, 1] });
    const { test } = await runSplit(t, { testSize: 0.5, stratifyBy: "y" });
    expect(Array.from(getColumn(test, "y")!.values as Float64Array).sort()).toEqual([0, 1]);
  });

  it("warns naming a class that a plain split left out of the test set", async () => {
    const { warnings } = await runSplit(numbered(8, (i) => (i === 0 ? "rare" : "common")), { testSize: 0.25, shuffle: false });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("label = 'rare'");
    expect(warnings[0]).toContain("Stratify by");
  });

  describe("errors", () => {
    it("a class with a single row under stratification", async () => {
      const error = await splitError(tableOf({ churn: ["y", "y", "y", "x", "y", "y"] }), { stratifyBy: "churn" });
      expect(error.message).toContain("class 'x' in column 'churn' has 1 row; stratified split needs at least 2 per class");
    });

    it("an empty train side", async () => {
      const error = await splitError(numbered(3), { testSize: 0.95 });
      expect(error.message).toContain("leaves the train set empty");
      expect(error.field).toBe("testSize");
    });

    it("a single row cannot be split", async () => {
      const error = await splitError(numbered(1), {});
      expect(error.message).toContain("at least 2 rows");
    });

    it("a missing label under stratification names the row", async () => {
      const error = await splitError(tableOf({ label: ["a", "a", null, "b", "b"] }), { stratifyBy: "label" });
      expect(error.message).toContain("Row 3 has no value in column 'label'");
    });

    it("an unknown stratify column", async () => {
      const error = await splitError(numbered(4), { stratifyBy: "nope" });
      expect(error.field).toBe("stratifyBy");
    });

    it("testSize outside 0.05..0.95 fails validation", () => {
      expect(split.params.safeParse({ testSize: 0 }).success).toBe(false);
      expect(split.params.safeParse({ testSize: 0.99 }).success).toBe(false);
      expect(split.params.safeParse({ seed: 1.5 }).success).toBe(false);
    });
  });
});
