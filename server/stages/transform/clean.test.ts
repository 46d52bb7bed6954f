import { describe, expect, it } from "vitest";
import { getColumn, type DataTable } from "../../artifacts/table";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { clean, median, mode } from "./clean";

const sample = () =>
  tableOf({
    x: [1, null, 4, 10, 1, null],
    city: ["a", "b", null, "b", "a", "c"],
    y: [0, 1, 0, 1, 0, 1],
  });

async function runClean(table: DataTable, params: Record<string, unknown>) {
  const h = stageHarness();
  const out = await h.run(clean, params, { table: h.putTable(table) });
  const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
  return { table: h.readTable(out.table), logs };
}

const nums = (t: DataTable, name: string) => Array.from(getColumn(t, name)!.values as Float64Array);

describe("clean", () => {
  it("drops exact duplicate rows (row 5 repeats row 1) and fills number columns with the median", async () => {
    // After dropping row 5: x = 1, NaN, 4, 10, NaN -> median of {1, 4, 10} = 4.
    const { table, logs } = await runClean(sample(), {});
    expect(table.rowCount).toBe(5);
    expect(nums(table, "x")).toEqual([1, 4, 4, 10, 4]);
    // city after dedup: a, b, null, b, c -> mode 'b'
    expect(getColumn(table, "city")!.values).toEqual(["a", "b", "b", "b", "c"]);
    expect(logs.some((m) => m.includes("e.g. row 5 repeats row 1"))).toBe(true);
    expect(logs.some((m) => m.includes("city") && m.includes("most frequent"))).toBe(true);
  });

  it("treats two rows missing the same cells as duplicates", async () => {
    const { table } = await runClean(tableOf({ a: [null, null, 1], b: ["x", "x", "x"] }), { missing: "constant", constant: "0" });
    expect(table.rowCount).toBe(2);
  });

  it("fills with the mean computed over present values", async () => {
    // x without dedup: 1, 4, 10, 1 -> mean 4
    const { table } = await runClean(sample(), { dropDuplicates: false, missing: "mean", columns: ["x"] });
    expect(table.rowCount).toBe(6);
    expect(nums(table, "x")).toEqual([1, 4, 4, 10, 1, 4]);
    expect(getColumn(table, "city")!.values[2]).toBeNull(); // not selected
  });

  it("median of an even count averages the middle pair", async () => {
    const { table } = await runClean(tableOf({ v: [3, null, 1, 10, 4] }), { missing: "median" });
    // {1, 3, 4, 10} -> (3 + 4) / 2
    expect(nums(table, "v")).toEqual([3, 3.5, 1, 10, 4]);
  });

  it("mode breaks ties toward the smallest value", () => {
    expect(mode([3, 1, 3, 1, 2])).toBe(1);
    expect(mode(["b", "a", "b", "a"])).toBe("a");
    expect(median([5, 1, 3])).toBe(3);
  });

  it("fills with a constant, parsed as a number for number columns", async () => {
    const { table } = await runClean(sample(), { dropDuplicates: false, missing: "constant", constant: "-1", columns: ["x"] });
    expect(nums(table, "x")).toEqual([1, -1, 4, 10, 1, -1]);
    const text = await runClean(sample(), { dropDuplicates: false, missing: "constant", constant: "unknown", columns: ["city"] });
    expect(getColumn(text.table, "city")!.values[2]).toBe("unknown");
  });

  it("drop removes rows missing a value in the selected columns only", async () => {
    const { table, logs } = await runClean(sample(), { dropDuplicates: false, missing: "drop", columns: ["x"] });
    expect(nums(table, "x")).toEqual([1, 4, 10, 1]);
    expect(logs.some((m) => m.includes("Dropped 2 rows with missing values (x: 2)"))).toBe(true);
  });

  describe("errors", () => {
    it("constant fill without a value fails validation on the constant field", () => {
      const r = clean.params.safeParse({ missing: "constant" });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].path).toEqual(["constant"]);
    });

    it("a text constant for a number column names the column", async () => {
      const h = stageHarness();
      const error = await h.run(clean, { missing: "constant", constant: "n/a" }, { table: h.putTable(sample()) }).catch((e) => e);
      expect(error).toBeInstanceOf(StageError);
      expect(error.message).toContain("column 'x' holds numbers");
      expect(error.field).toBe("constant");
    });

    it("an unknown column in the list", async () => {
      const h = stageHarness();
      const error = await h.run(clean, { columns: ["x", "nope"] }, { table: h.putTable(sample()) }).catch((e) => e);
      expect(error.message).toContain("'nope'");
      expect(error.field).toBe("columns");
    });

    it("a column with no values cannot be filled with its median", async () => {
      const h = stageHarness();
      const error = await h.run(clean, {}, { table: h.putTable(tableOf({ e: [null, null], k: [1, 2] })) }).catch((e) => e);
      expect(error.message).toContain("Column 'e' has no values");
    });

    it("dropping every row", async () => {
      const h = stageHarness();
      const error = await h.run(clean, { missing: "drop" }, { table: h.putTable(tableOf({ a: [null, 1], b: ["x", null] })) }).catch((e) => e);
      expect(error.message).toContain("left no rows");
    });
  });
});
