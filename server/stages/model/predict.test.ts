import { describe, expect, it } from "vitest";
import { getColumn, type DataTable } from "../../artifacts/table";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { fitEncodeScale } from "../transform/encode-scale-core";
import { predict } from "./predict";
import type { StudioModel } from "./predict-core";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const nums = (t: DataTable, name: string) => Array.from(getColumn(t, name)!.values as Float64Array);

const model = (over: Partial<StudioModel> = {}): StudioModel => ({
  format: "studio-model",
  version: 1,
  algorithm: "logistic-regression",
  task: "classification",
  target: "churn",
  targetKind: "string",
  features: ["x"],
  classes: ["no", "yes"],
  state: { kind: "logistic-regression", coef: [[1]], intercept: [0], nClasses: 2, nFeatures: 1, iterations: 1, converged: true },
  trainedOn: { rows: 10 },
  backend: "cpu",
  ...over,
});

describe("predict", () => {
  it("adds the predicted label and one probability column per class", async () => {
    const h = stageHarness();
    const out = await h.run(predict, {}, { model: h.putJson("model", model()), table: h.putTable(tableOf({ id: ["a", "b"], x: [-1, 0.5] })) });
    const t = h.readTable(out.table);
    expect(t.columns.map((c) => c.name)).toEqual(["id", "x", "prediction", "proba_no", "proba_yes"]);
    expect(getColumn(t, "prediction")!.values).toEqual(["no", "yes"]);
    expect(nums(t, "proba_yes")[0]).toBeCloseTo(sigmoid(-1), 12);
    expect(nums(t, "proba_no")[1]).toBeCloseTo(1 - sigmoid(0.5), 12);
  });

  it("replays a connected Encode/Scale transform on raw rows and keeps the raw columns in the output", async () => {
    // Fitted on x = {0, 2} (mean 1, std 1) and c = {a, b}: x' = x - 1, c=a in {0, 1}.
    const transform = fitEncodeScale(tableOf({ x: [0, 2], c: ["a", "b"], churn: ["no", "yes"] }), {
      target: "churn",
      oneHot: true,
      scaling: "standardize",
    });
    const m = model({
      features: ["x", "c=a", "c=b"],
      state: { kind: "logistic-regression", coef: [[1, 2, 0]], intercept: [-1], nClasses: 2, nFeatures: 3, iterations: 1, converged: true },
    });
    const h = stageHarness();
    const raw = tableOf({ id: ["r1", "r2"], x: [1, 1], c: ["a", "b"] });
    const out = await h.run(predict, {}, { model: h.putJson("model", m), table: h.putTable(raw), transform: h.putJson("transform", transform) });
    const t = h.readTable(out.table);
    expect(t.columns.map((c) => c.name)).toEqual(["id", "x", "c", "prediction", "proba_no", "proba_yes"]);
    // r1: z = 0 + 2*1 - 1 = 1 -> yes; r2: z = 0 + 0 - 1 = -1 -> no
    expect(getColumn(t, "prediction")!.values).toEqual(["yes", "no"]);
    expect(nums(t, "proba_yes")[0]).toBeCloseTo(sigmoid(1), 12);
    expect(nums(t, "proba_yes")[1]).toBeCloseTo(sigmoid(-1), 12);
    expect(getColumn(t, "c")!.values).toEqual(["a", "b"]);
  });

  it("writes numeric class labels back as numbers", async () => {
    const h = stageHarness();
    const m = model({ classes: ["0", "1"], targetKind: "number" });
    const out = await h.run(predict, {}, { model: h.putJson("model", m), table: h.putTable(tableOf({ x: [-3, 3] })) });
    const col = getColumn(h.readTable(out.table), "prediction")!;
    expect(col.kind).toBe("number");
    expect(Array.from(col.values as Float64Array)).toEqual([0, 1]);
  });

  it("without the transform, raw text features get a message pointing at it", async () => {
    const h = stageHarness();
    const m = model({ features: ["x", "c"] });
    const error = await h
      .run(predict, {}, { model: h.putJson("model", m), table: h.putTable(tableOf({ x: [1], c: ["a"] })) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(StageError);
    expect(error.message).toContain("Column 'c' holds text");
  });

  it("a transform input that is not Encode/Scale", async () => {
    const h = stageHarness();
    const error = await h
      .run(predict, {}, { model: h.putJson("model", model()), table: h.putTable(tableOf({ x: [1] })), transform: h.putJson("transform", { kind: "pca" }) })
      .catch((e) => e);
    expect(error.field).toBe("transform");
  });
});
