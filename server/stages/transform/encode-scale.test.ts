import { describe, expect, it } from "vitest";
import { getColumn, type DataTable } from "../../artifacts/table";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { encodeScale } from "./encode-scale";
import { applyEncodeScale, fitEncodeScale, type EncodeScaleTransform } from "./encode-scale-core";

const train = () => tableOf({ x: [1, 2, 3, 4], c: ["a", "b", "a", null], y: [0, 1, 0, 1] });
const test = () => tableOf({ x: [5, 2.5], c: ["b", "z"], y: [1, 0] });

const nums = (t: DataTable, name: string) => Array.from(getColumn(t, name)!.values as Float64Array);
// Train x = 1..4: mean 2.5, population std sqrt(1.25).
const STD = Math.sqrt(1.25);

async function run(params: Record<string, unknown>, withTest = true) {
  const h = stageHarness();
  const inputs = { train: h.putTable(train()), ...(withTest ? { test: h.putTable(test()) } : {}) };
  const out = await h.run(encodeScale, params, inputs);
  const warnings = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
  return { h, out, warnings };
}

describe("encode-scale", () => {
  it("standardizes with train statistics and one-hot encodes with train categories", async () => {
    const { h, out, warnings } = await run({ target: "y" });
    const tr = h.readTable(out.train);
    const te = h.readTable(out.test);
    expect(tr.columns.map((c) => c.name)).toEqual(["x", "c=a", "c=b", "y"]);
    nums(tr, "x").forEach((v, i) => expect(v).toBeCloseTo(([1, 2, 3, 4][i] - 2.5) / STD, 12));
    expect(nums(tr, "c=a")).toEqual([1, 0, 1, 0]);
    expect(nums(tr, "c=b")).toEqual([0, 1, 0, 0]); // missing -> all zeros
    expect(nums(tr, "y")).toEqual([0, 1, 0, 1]); // target untouched
    // Test uses train's mean/std, not its own (its own mean would be 3.75).
    expect(nums(te, "x")[0]).toBeCloseTo(2.5 / STD, 12);
    expect(nums(te, "x")[1]).toBe(0);
    expect(nums(te, "c=a")).toEqual([0, 0]);
    expect(nums(te, "c=b")).toEqual([1, 0]); // 'z' was never seen: all zeros
    expect(warnings).toEqual([expect.stringContaining("c: 1 row hold categories not seen in training ('z')")]);
  });

  it("writes a replayable transform artifact", async () => {
    const { h, out } = await run({ target: "y" });
    const t = h.readJson<EncodeScaleTransform>(out.transform);
    expect(out.transform.kind).toBe("transform");
    expect(t.kind).toBe("encode-scale");
    expect(t.target).toBe("y");
    expect(t.inputColumns).toEqual([
      { name: "x", kind: "number" },
      { name: "c", kind: "string" },
      { name: "y", kind: "number" },
    ]);
    expect(t.steps[0]).toMatchObject({ op: "scale", column: "x", method: "standardize", center: 2.5 });
    expect((t.steps[0] as { scale: number }).scale).toBeCloseTo(STD, 14);
    expect(t.steps[1]).toEqual({ op: "one-hot", column: "c", categories: ["a", "b"], outputs: ["c=a", "c=b"] });
    expect(t.steps[2]).toEqual({ op: "pass", column: "y", reason: "target" });
    expect(t.outputColumns.map((c) => c.name)).toEqual(["x", "c=a", "c=b", "y"]);
    expect(out.transform.summary).toMatchObject({ oneHot: 1, scaled: 1, outputColumns: 4 });
    // Replaying the stored JSON gives the same test table the stage wrote.
    const replayed = applyEncodeScale(t, test()).table;
    expect(replayed).toEqual(h.readTable(out.test));
  });

  it("min-max scales to the train range", async () => {
    const { h, out } = await run({ target: "y", scaling: "minmax" });
    expect(nums(h.readTable(out.train), "x")).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(nums(h.readTable(out.test), "x")).toEqual([4 / 3, 0.5]);
  });

  it("leaves excluded columns and (with oneHot off) text columns alone", async () => {
    const { h, out } = await run({ exclude: ["x"], oneHot: false, scaling: "standardize" });
    const tr = h.readTable(out.train);
    expect(tr.columns.map((c) => c.name)).toEqual(["x", "c", "y"]);
    expect(nums(tr, "x")).toEqual([1, 2, 3, 4]);
    expect(getColumn(tr, "c")!.values).toEqual(["a", "b", "a", null]);
    // y is not the target here, so it is standardized: mean 0.5, std 0.5
    expect(nums(tr, "y")).toEqual([-1, 1, -1, 1]);
  });

  it("a constant column scales to 0 and is warned about", async () => {
    const h = stageHarness();
    const out = await h.run(encodeScale, {}, { train: h.putTable(tableOf({ k: [7, 7, 7], v: [1, 2, 3] })) });
    expect(nums(h.readTable(out.train), "k")).toEqual([0, 0, 0]);
    const warns = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
    expect(warns).toEqual([expect.stringContaining("k is constant")]);
  });

  it("warns about a text column with very many categories (an ID)", async () => {
    const h = stageHarness();
    const ids = Array.from({ length: 60 }, (_, i) => `id${i}`);
    await h.run(encodeScale, {}, { train: h.putTable(tableOf({ id: ids, v: ids.map((_, i) => i) })) });
    const warns = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
    expect(warns).toEqual([expect.stringContaining("id has 60 distinct values")]);
  });

  it("without a test input there is no test output", async () => {
    const { out } = await run({ target: "y" }, false);
    expect(Object.keys(out).sort()).toEqual(["train", "transform"]);
  });

  describe("applyEncodeScale", () => {
    const fitted = () => fitEncodeScale(train(), { target: "y", oneHot: true, scaling: "standardize" });

    it("works without the target column and appends unknown columns", () => {
      const { table } = applyEncodeScale(fitted(), tableOf({ id: ["r1"], x: [2.5], c: ["a"] }));
      expect(table.columns.map((c) => c.name)).toEqual(["x", "c=a", "c=b", "id"]);
      expect(nums(table, "x")).toEqual([0]);
    });

    it("names the fitted columns a table lacks", () => {
      expect(() => applyEncodeScale(fitted(), tableOf({ y: [1] }))).toThrow(/lacks columns 'x', 'c'/);
    });

    it("rejects a column whose kind changed", () => {
      const error = (() => {
        try {
          applyEncodeScale(fitted(), tableOf({ x: ["1"], c: ["a"] }));
        } catch (e) {
          return e as StageError;
        }
      })();
      expect(error).toBeInstanceOf(StageError);
      expect(error!.message).toContain("Column 'x' holds text here but held numbers");
    });

    it("an unknown target or excluded column fails the fit", () => {
      expect(() => fitEncodeScale(train(), { target: "label", oneHot: true, scaling: "none" })).toThrow(/Target column 'label'/);
      expect(() => fitEncodeScale(train(), { exclude: ["q"], oneHot: true, scaling: "none" })).toThrow(/'q'/);
    });

    it("a one-hot name clash is an error", () => {
      const t = tableOf({ c: ["a", "b"], "c=a": [1, 2] });
      expect(() => fitEncodeScale(t, { oneHot: true, scaling: "none" })).toThrow(/two columns named 'c=a'/);
    });
  });
});
