import { describe, expect, it } from "vitest";
import { getColumn, type DataTable } from "../../artifacts/table";
import { Rng } from "../../ml/rng";
import { predictClasses } from "../../ml/trees/predict";
import type { TreeEnsembleState } from "../../ml/trees/types";
import type { LogisticModelState } from "../../ml/logistic-regression";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import type { StudioModel } from "./predict-core";
import { predict } from "./predict";
import { train } from "./train";

// Symmetric around x = 3.5: the fitted boundary must sit there whatever the regularisation.
const separable = () => tableOf({ x: [0, 1, 2, 3, 4, 5, 6, 7], churn: ["no", "no", "no", "no", "yes", "yes", "yes", "yes"] });

async function fit(table: DataTable, params: Record<string, unknown>) {
  const h = stageHarness();
  const out = await h.run(train, params, { train: h.putTable(table) });
  return { h, out, model: h.readJson<StudioModel>(out.model) };
}

async function fitError(table: DataTable, params: Record<string, unknown>): Promise<StageError> {
  const h = stageHarness();
  const error = await h.run(train, params, { train: h.putTable(table) }).catch((e) => e);
  expect(error).toBeInstanceOf(StageError);
  return error;
}

describe("train", () => {
  it("fits logistic regression and writes the studio model artifact", async () => {
    const { h, out, model } = await fit(separable(), { target: "churn" });
    expect(model).toMatchObject({
      format: "studio-model",
      version: 1,
      algorithm: "logistic-regression",
      task: "classification",
      target: "churn",
      targetKind: "string",
      features: ["x"],
      classes: ["no", "yes"],
      trainedOn: { rows: 8 },
      backend: "cpu",
    });
    const state = model.state as LogisticModelState;
    expect(state.coef[0][0]).toBeGreaterThan(0);
    // p(yes | x = 3.5) = 0.5 by symmetry: intercept + 3.5 * coef = 0.
    expect(state.intercept[0] + 3.5 * state.coef[0][0]).toBeCloseTo(0, 3);
    expect(out.model.kind).toBe("model");
    expect(out.model.summary).toMatchObject({ algorithm: "logistic-regression", task: "classification", features: 1, classes: 2 });
    expect(h.events).toContainEqual({ type: "backend", name: "cpu" });
    const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
    expect(logs).toContainEqual(expect.stringContaining("Training accuracy 1 on 8 rows"));
  });

  it("auto task: whole-number targets with few values are classes, sorted numerically", async () => {
    const t = tableOf({ x: [0, 1, 2, 3, 4, 5], y: [10, 10, 2, 2, 10, 2] });
    const { model } = await fit(t, { target: "y" });
    expect(model.task).toBe("classification");
    expect(model.classes).toEqual(["2", "10"]);
    expect(model.targetKind).toBe("number");
  });

  it("fits three classes with a softmax", async () => {
    const t = tableOf({ x: [0, 0.5, 1, 5, 5.5, 6, 10, 10.5, 11], k: ["a", "a", "a", "b", "b", "b", "c", "c", "c"] });
    const { model } = await fit(t, { target: "k", C: 100 });
    expect(model.classes).toEqual(["a", "b", "c"]);
    expect((model.state as LogisticModelState).coef).toHaveLength(3);
  });

  it("leaves out ignored columns (an ID) from the features", async () => {
    const t = tableOf({ id: ["a", "b", "c", "d"], x: [0, 1, 2, 3], y: ["n", "n", "y", "y"] });
    const { model } = await fit(t, { target: "y", ignore: ["id"] });
    expect(model.features).toEqual(["x"]);
  });

  describe("mlp", () => {
    it("trains a classifier, reports the TensorFlow backend and progress per epoch", async () => {
      const { h, model, out } = await fit(separable(), { target: "churn", model: "mlp", hiddenLayers: [8], epochs: 60, learningRate: 0.05, batchSize: 8 });
      expect(model).toMatchObject({ algorithm: "mlp", task: "classification", classes: ["no", "yes"], features: ["x"] });
      expect(["tensorflow-gpu", "tensorflow", "wasm", "cpu"].some((b) => model.backend.startsWith(b))).toBe(true);
      expect(h.events).toContainEqual({ type: "backend", name: model.backend });
      expect(h.events.some((e) => e.type === "progress" && e.message?.startsWith("epoch "))).toBe(true);
      expect(out.model.summary.backend).toBe(model.backend);
      const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
      expect(logs).toContainEqual(expect.stringContaining("Training accuracy 1 on 8 rows"));
    });

    it("trains a regressor on a standardised target and predicts on the original scale", async () => {
      const xs = Array.from({ length: 20 }, (_, i) => i / 4);
      const t = tableOf({ x: xs, y: xs.map((x) => 300 * x + 1000) });
      const { model } = await fit(t, { target: "y", task: "regression", model: "mlp", hiddenLayers: [16], epochs: 300, learningRate: 0.02, batchSize: 20 });
      expect(model.task).toBe("regression");
      const { predictWithModel } = await import("./predict-core");
      const { values } = await predictWithModel(model, tableOf({ x: [1, 3] }));
      // y(1) = 1300, y(3) = 1900; the target spans 1000..2425, so 5% of the range is ~70.
      expect(Math.abs(values![0] - 1300)).toBeLessThan(70);
      expect(Math.abs(values![1] - 1900)).toBeLessThan(70);
      const { mean, std } = (model.state as { targetScale: { mean: number; std: number } }).targetScale;
      expect(mean).toBeCloseTo(1000 + 300 * 2.375, 9);
      expect(std).toBeGreaterThan(0);
    });
  });

  describe("model library", () => {
    it("trains registry models by id and records their params and seed", async () => {
      const t = tableOf({ x: [0, 1, 2, 3, 4, 5, 6, 7], z: [1, 0, 1, 0, 1, 0, 1, 0], churn: ["no", "no", "no", "no", "yes", "yes", "yes", "yes"] });
      for (const [model, extra] of [["knn", { nNeighbors: 3 }], ["decision-tree", {}], ["random-forest", { nEstimators: 5 }], ["gaussian-nb", {}], ["multinomial-nb", {}]] as const) {
        const { model: m, h } = await fit(t, { target: "churn", model, seed: 9, ...extra });
        expect(m.algorithm).toBe(model);
        expect(m.seed).toBe(9);
        expect(m.params).toMatchObject(extra);
        const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
        expect(logs.some((l) => l.startsWith("Training accuracy"))).toBe(true);
      }
    });

    it("a forest's model is stored with its node arrays packed, and Predict reads it back", async () => {
      // 3000 rows with noisy labels: fully grown trees of over 1024 nodes, whose arrays are packed.
      const rng = new Rng(4);
      const x1 = Array.from({ length: 3000 }, () => rng.normal());
      const x2 = Array.from({ length: 3000 }, () => rng.normal());
      const label = x1.map((v, i) => (v + x2[i]! + rng.normal() > 0 ? "yes" : "no"));
      const t = tableOf({ x1, x2, label });
      const { h, out, model } = await fit(t, { target: "label", model: "random-forest", nEstimators: 3, seed: 1 });
      expect(h.store.read(out.model.hash).subarray(0, 3).toString()).toBe("PSJ");
      const trees = (model.state as TreeEnsembleState).trees;
      expect(trees[0]!.feature.length).toBeGreaterThan(1024);
      expect(Array.isArray(trees[0]!.threshold)).toBe(true);
      const predicted = await h.run(predict, {}, { model: out.model, table: h.putTable(t) });
      const labels = getColumn(h.readTable(predicted.table), "prediction")!.values;
      const expected = predictClasses(model.state as TreeEnsembleState, { data: Float64Array.from(x1.flatMap((v, i) => [v, x2[i]!])), rows: 3000, cols: 2 });
      expect(labels).toEqual(Array.from(expected, (c) => model.classes![c]));
    });

    it("regression models; task auto follows a regression-only model on a whole-number target", async () => {
      const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const t = tableOf({ x, y: x.map((v) => 2 * v + 1) });
      const { model } = await fit(t, { target: "y", model: "linear-regression" });
      expect(model.task).toBe("regression");
      expect(model.state).toMatchObject({ kind: "linear-regression", nFeatures: 1 });
      expect((model.state as { coef: number[] }).coef[0]).toBeCloseTo(2, 10);
      const ridge = await fit(t, { target: "y", model: "ridge", alpha: 10 });
      expect((ridge.model.state as { coef: number[] }).coef[0]).toBeLessThan(2);
      const knn = await fit(t, { target: "y", model: "knn", task: "regression", nNeighbors: 2 });
      expect(knn.model.task).toBe("regression");
    });

    it("the catalog gets every model param with showWhen, and the model choice lists the registry", async () => {
      const { stageInfo } = await import("../registry");
      const info = stageInfo(train);
      const props = (info.paramsSchema as { properties: Record<string, { showWhen?: { model: string[] }; enum?: string[] }> }).properties;
      expect(props.C.showWhen).toEqual({ model: ["logistic-regression"] });
      expect(props.hiddenLayers.showWhen).toEqual({ model: ["mlp"] });
      expect(props.nNeighbors.showWhen).toEqual({ model: ["knn"] });
      expect(props.model.enum).toEqual(expect.arrayContaining(["logistic-regression", "mlp", "ridge", "knn", "random-forest"]));
      expect(props.target.showWhen).toBeUndefined();
      expect(info.defaults).toMatchObject({ model: "logistic-regression", nNeighbors: 5, alpha: 1, seed: 42 });
    });

    it("a constant column is warned about for linear models, not for trees", async () => {
      const t = tableOf({ x: [0, 1, 2, 3, 4, 5], flat: [3, 3, 3, 3, 3, 3], y: ["a", "a", "a", "b", "b", "b"] });
      const warnings = (h: ReturnType<typeof stageHarness>) => h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
      const linear = await fit(t, { target: "y", C: 10 });
      expect(warnings(linear.h)).toEqual([expect.stringContaining("Column 'flat' is constant in the training rows")]);
      const tree = await fit(t, { target: "y", model: "decision-tree" });
      expect(warnings(tree.h)).toEqual([]);
    });
  });

  describe("errors", () => {
    it("an ignored column that does not exist, or the target ignored", async () => {
      expect((await fitError(separable(), { target: "churn", ignore: ["nope"] })).field).toBe("ignore");
      expect((await fitError(separable(), { target: "churn", ignore: ["churn"] })).message).toContain("also listed");
    });

    it("a text feature asks for Encode/Scale", async () => {
      const t = tableOf({ x: [1, 2, 3, 4], city: ["a", "b", "a", "b"], y: ["n", "y", "n", "y"] });
      const error = await fitError(t, { target: "y" });
      expect(error.message).toContain("Column 'city' holds text");
      expect(error.message).toContain("Encode/Scale");
      expect(error.column).toBe("city");
    });

    it("a missing feature value names column and row and suggests Clean", async () => {
      const t = tableOf({ x: [1, 2, null, 4], y: ["n", "y", "n", "y"] });
      const error = await fitError(t, { target: "y" });
      expect(error.message).toContain("Column 'x' has a missing value at row 3");
      expect(error.message).toContain("Clean");
      expect(error.row).toBe(3);
    });

    it("a single class in the target", async () => {
      const error = await fitError(tableOf({ x: [1, 2, 3], y: ["n", "n", "n"] }), { target: "y" });
      expect(error.message).toContain("has a single class ('n')");
    });

    it("logistic regression for a regression task suggests the MLP", async () => {
      const t = tableOf({ x: [1, 2, 3, 4], price: [1.5, 2.25, 3.1, 4.7] });
      const error = await fitError(t, { target: "price" });
      expect(error.message).toContain("Choose the MLP model for regression");
      expect(error.field).toBe("model");
    });

    it("regression on a text target", async () => {
      const error = await fitError(separable(), { target: "churn", task: "regression", model: "mlp" });
      expect(error.message).toContain("'churn' holds text");
    });

    it("a target that is not a column", async () => {
      const error = await fitError(separable(), { target: "label" });
      expect(error.field).toBe("target");
      expect(error.message).toContain("'label'");
    });

    it("a row without a target value", async () => {
      const error = await fitError(tableOf({ x: [1, 2, 3], y: ["a", null, "b"] }), { target: "y" });
      expect(error.message).toContain("no value at row 2");
    });

    it("an infinite feature value names column and row", async () => {
      const error = await fitError(tableOf({ x: [1, 2, Infinity, 4], y: ["n", "y", "n", "y"] }), { target: "y" });
      expect(error.message).toContain("Column 'x' has a non-finite value (Infinity) at row 3");
      expect(error.column).toBe("x");
    });

    it("text features point at Encode/Scale and Vectorize text", async () => {
      const error = await fitError(tableOf({ note: ["a b", "c d", "e f", "g h"], y: ["n", "y", "n", "y"] }), { target: "y", model: "knn" });
      expect(error.message).toContain("Column 'note' holds text");
      expect(error.message).toContain("Vectorize text");
    });

    it("every row its own class (an ID as target)", async () => {
      const error = await fitError(tableOf({ x: [1, 2, 3, 4], id: ["a", "b", "c", "d"] }), { target: "id" });
      expect(error.message).toContain("has 4 classes in 4 rows: every row is its own class");
      expect(error.field).toBe("target");
    });

    it("a model param the data cannot satisfy names the field", async () => {
      const error = await fitError(separable(), { target: "churn", model: "knn", nNeighbors: 20 });
      expect(error.message).toContain("nNeighbors is 20 but there are only 8 training rows");
      expect(error.field).toBe("nNeighbors");
    });

    it("a collinear column for linear regression names it", async () => {
      const x = [0, 1, 2, 3, 4, 5];
      const error = await fitError(tableOf({ x, twice: x.map((v) => 2 * v), y: [1.5, 2.5, 5.5, 6.5, 9.5, 10.5] }), { target: "y", model: "linear-regression" });
      expect(error.message).toContain("Column 'twice' is a linear combination of 'x'");
      expect(error.column).toBe("twice");
    });

    it("a regression model on a text target", async () => {
      const error = await fitError(separable(), { target: "churn", model: "ridge" });
      expect(error.message).toContain("Ridge regression predicts numbers and cannot classify");
      expect(error.field).toBe("model");
    });

    it("params out of range fail validation", () => {
      expect(train.params.safeParse({ target: "y", C: 0 }).success).toBe(false);
      expect(train.params.safeParse({ target: "y", epochs: 0 }).success).toBe(false);
      expect(train.params.safeParse({ target: "y", hiddenLayers: [] }).success).toBe(false);
      expect(train.params.safeParse({}).success).toBe(false); // target is required
      expect(train.params.safeParse({ target: "y", model: "svm" }).success).toBe(false);
      expect(train.params.safeParse({ target: "y", nNeighbors: 0 }).success).toBe(false);
    });
  });
});

describe("train's device", () => {
  it("asks for a GPU worker for the neural networks only", () => {
    const prefers = train.prefers as (p: { model: string }) => "cpu" | "gpu";
    expect(prefers({ model: "cnn" })).toBe("gpu");
    expect(prefers({ model: "mlp" })).toBe("gpu");
    expect(prefers({ model: "logistic-regression" })).toBe("cpu");
    expect(prefers({ model: "random-forest" })).toBe("cpu");
  });
});
