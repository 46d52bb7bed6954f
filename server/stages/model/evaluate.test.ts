import { describe, expect, it } from "vitest";
import type { DataTable } from "../../artifacts/table";
import type { ClassificationReport } from "../../ml/metrics";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { evaluate } from "./evaluate";
import type { StudioModel } from "./predict-core";

/** p(yes | x) = sigmoid(x): hand-checkable predictions. */
const sigmoidModel = (): StudioModel => ({
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
});

async function runEvaluate(table: DataTable, model: StudioModel = sigmoidModel()) {
  const h = stageHarness();
  const out = await h.run(evaluate, {}, { model: h.putJson("model", model), table: h.putTable(table) });
  const warnings = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
  return { out, metrics: h.readJson<ClassificationReport & { model: unknown; rows: number }>(out.metrics), warnings };
}

describe("evaluate", () => {
  it("reports scikit-learn metrics for a classifier on hand-checked rows", async () => {
    // Predictions: sigmoid(x) > 0.5 <=> x > 0 -> no, no, yes, yes, yes; truth no, yes, yes, no, yes.
    const t = tableOf({ x: [-2, -1, 1, 2, 3], churn: ["no", "yes", "yes", "no", "yes"] });
    const { out, metrics } = await runEvaluate(t);
    expect(metrics.accuracy).toBeCloseTo(3 / 5, 12);
    expect(metrics.confusionMatrix).toEqual([
      [1, 1],
      [1, 2],
    ]);
    // F1(no) = 1/2, F1(yes) = 2/3
    expect(metrics.averages.macro.f1).toBeCloseTo((1 / 2 + 2 / 3) / 2, 12);
    // Positive scores sigmoid(-1), sigmoid(1), sigmoid(3) vs negatives sigmoid(-2), sigmoid(2): 4 of 6 pairs ordered.
    expect(metrics.rocAuc!.perClass.yes).toBeCloseTo(4 / 6, 12);
    expect(metrics.model).toEqual({ algorithm: "logistic-regression", target: "churn", task: "classification" });
    expect(metrics.rows).toBe(5);
    expect(out.metrics.kind).toBe("metrics");
    expect(out.metrics.summary.accuracy).toBeCloseTo(0.6, 12);
    expect(out.metrics.summary.macroF1).toBeCloseTo(7 / 12, 12);
    expect(out.metrics.summary.rocAuc).toBeCloseTo(4 / 6, 12);
  });

  it("counts rows of a class the model never saw as errors and warns", async () => {
    const t = tableOf({ x: [-1, 1, 1], churn: ["no", "yes", "maybe"] });
    const { metrics, warnings } = await runEvaluate(t);
    expect(metrics.accuracy).toBeCloseTo(2 / 3, 12);
    expect(metrics.classes).toEqual(["no", "yes", "maybe"]);
    expect(warnings.some((w) => w.includes("'maybe'"))).toBe(true);
  });

  it("reports regression metrics for a regressor (hand-built MLP y = 2x + 1)", async () => {
    const model: StudioModel = {
      ...sigmoidModel(),
      algorithm: "mlp",
      task: "regression",
      target: "y",
      targetKind: "number",
      classes: null,
      state: {
        mlp: { kind: "mlp", task: "regression", layers: [{ weights: [2], shape: [1, 1], bias: [1] }], activation: "relu", nClasses: null, nFeatures: 1, backend: "cpu" },
        targetScale: null,
      },
    };
    const h = stageHarness();
    const out = await h.run(evaluate, {}, { model: h.putJson("model", model), table: h.putTable(tableOf({ x: [0, 1, 2], y: [1, 3, 4] })) });
    const m = h.readJson<{ mae: number; rmse: number; r2: number; rows: number }>(out.metrics);
    // predictions 1, 3, 5; errors 0, 0, 1; SS_tot = 42/9
    expect(m.mae).toBeCloseTo(1 / 3, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(m.r2).toBeCloseTo(1 - 9 / 42, 12);
    expect(out.metrics.summary).toEqual({ r2: m.r2, rmse: m.rmse, rows: 3 });
  });

  it("adds permutation importance (sorted, the unused feature exactly 0) next to the calibration curve", async () => {
    // p(yes) = sigmoid(x + 0 * z): z is ignored by the model.
    const model = { ...sigmoidModel(), features: ["z", "x"], state: { ...(sigmoidModel().state as object), coef: [[0, 1]], nFeatures: 2 } };
    const x = [-3, -2, -1, -0.5, 0.5, 1, 2, 3];
    const t = tableOf({ z: [1, 2, 3, 4, 5, 6, 7, 8], x, churn: x.map((v) => (v > 0 ? "yes" : "no")) });
    const h = stageHarness();
    const out = await h.run(evaluate, { importanceRepeats: 10, seed: 7 }, { model: h.putJson("model", model), table: h.putTable(t) });
    const m = h.readJson<ClassificationReport & { permutationImportance: { feature: string; mean: number; std: number }[]; permutationImportanceMetric: string }>(out.metrics);
    expect(m.permutationImportanceMetric).toBe("accuracy");
    expect(m.permutationImportance.map((f) => f.feature)).toEqual(["x", "z"]);
    expect(m.permutationImportance[1]).toEqual({ feature: "z", mean: 0, std: 0 });
    // Baseline accuracy 1; a shuffle of x can only lose accuracy here.
    expect(m.permutationImportance[0].mean).toBeGreaterThan(0);
    expect(m.permutationImportance[0].mean).toBeLessThanOrEqual(1);
    // The calibration curve stays in the same artifact, one per class.
    expect(m.curves.calibration.map((c) => c.class)).toEqual(["no", "yes"]);
    expect(m.curves.calibration[1].bins.length).toBeGreaterThan(0);
    // The same seed gives the same importances; repeats 0 skips them.
    const again = await h.run(evaluate, { importanceRepeats: 10, seed: 7 }, { model: h.putJson("model", model), table: h.putTable(t) });
    expect(h.readJson(again.metrics).permutationImportance).toEqual(m.permutationImportance);
    const off = await h.run(evaluate, { importanceRepeats: 0 }, { model: h.putJson("model", model), table: h.putTable(t) });
    expect(h.readJson(off.metrics).permutationImportance).toEqual([]);
  });

  it("regression importance uses R² (y = 2x + 1 model; x carries everything)", async () => {
    const model: StudioModel = {
      ...sigmoidModel(),
      algorithm: "linear-regression",
      task: "regression",
      target: "y",
      targetKind: "number",
      classes: null,
      features: ["x"],
      state: { kind: "linear-regression", coef: [2], intercept: 1, nFeatures: 1, alpha: 0 },
    };
    const h = stageHarness();
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const out = await h.run(evaluate, { importanceRepeats: 50 }, { model: h.putJson("model", model), table: h.putTable(tableOf({ x, y: x.map((v) => 2 * v + 1) })) });
    const m = h.readJson<{ r2: number; permutationImportance: { feature: string; mean: number }[]; permutationImportanceMetric: string }>(out.metrics);
    expect(m.r2).toBe(1);
    expect(m.permutationImportanceMetric).toBe("r2");
    // Expected drop is 2 (E[permuted R²] = -1, see permutation-importance.test.ts); 50 shuffles of 10 rows land near it.
    expect(m.permutationImportance[0].mean).toBeGreaterThan(1.5);
    expect(m.permutationImportance[0].mean).toBeLessThan(2.5);
  });

  describe("errors", () => {
    it("a table without the target column", async () => {
      const error = await runEvaluate(tableOf({ x: [1, 2] })).catch((e) => e);
      expect(error).toBeInstanceOf(StageError);
      expect(error.message).toContain("no target column 'churn'");
    });

    it("a table missing feature columns names them", async () => {
      const model = { ...sigmoidModel(), features: ["x", "tenure", "calls"], state: { ...(sigmoidModel().state as object), coef: [[1, 1, 1]], nFeatures: 3 } };
      const error = await runEvaluate(tableOf({ x: [1, 2], churn: ["no", "yes"] }), model).catch((e) => e);
      expect(error).toBeInstanceOf(StageError);
      expect(error.message).toContain("lacks feature columns 'tenure', 'calls'");
    });

    it("something that is not a studio model", async () => {
      const h = stageHarness();
      const error = await h
        .run(evaluate, {}, { model: h.putJson("model", { hello: 1 }), table: h.putTable(tableOf({ x: [1], churn: ["no"] })) })
        .catch((e) => e);
      expect(error.message).toContain("not a studio model");
    });
  });
});
