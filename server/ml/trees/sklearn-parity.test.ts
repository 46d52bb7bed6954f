/**
 * Accuracy / R^2 of the tree models against scikit-learn 1.2.1 on the same train/test rows.
 *
 * Data: `npx tsx server/ml/trees/reference-data.ts /tmp/tree-ref` writes the rows used below
 * (Iris with every 4th row of each class held out; makeSyntheticData(4000, 20, 42) with the last
 * 1000 rows held out). Reference numbers, from /usr/bin/python3 (sklearn 1.2.1):
 *
 *   import numpy as np
 *   from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
 *   from sklearn.ensemble import (RandomForestClassifier, RandomForestRegressor,
 *                                 HistGradientBoostingClassifier, HistGradientBoostingRegressor)
 *   from sklearn.metrics import r2_score
 *   def load(name):
 *       d = np.loadtxt(f"/tmp/tree-ref/{name}.csv", delimiter=",", skiprows=1)
 *       X, y, t = d[:, :-2], d[:, -2], d[:, -1] == 1
 *       return X[~t], y[~t], X[t], y[t]
 *   for name in ["iris", "synthetic-binary", "synthetic-3class"]:
 *       Xtr, ytr, Xte, yte = load(name)
 *       dt = np.mean([DecisionTreeClassifier(random_state=s).fit(Xtr, ytr).score(Xte, yte) for s in range(10)])
 *       rf = np.mean([RandomForestClassifier(random_state=s).fit(Xtr, ytr).score(Xte, yte) for s in range(20)])
 *       h = HistGradientBoostingClassifier(random_state=0).fit(Xtr, ytr)
 *       print(name, dt, rf, h.score(Xte, yte), h.predict_proba(Xte[:3]).round(10).tolist())
 *   Xtr, ytr, Xte, yte = load("synthetic-regression")
 *   dt = np.mean([r2_score(yte, DecisionTreeRegressor(random_state=s).fit(Xtr, ytr).predict(Xte)) for s in range(10)])
 *   rf = np.mean([r2_score(yte, RandomForestRegressor(random_state=s).fit(Xtr, ytr).predict(Xte)) for s in range(5)])
 *   h = HistGradientBoostingRegressor(random_state=0).fit(Xtr, ytr)
 *   print("regression", dt, rf, r2_score(yte, h.predict(Xte)), h.predict(Xte[:3]).tolist())
 *
 * A single tree or forest depends on its random seed (ties, bootstrap, feature draws) by more than
 * the 0.5-point goal on 1000 test rows, so trees and forests compare means over seeds; the
 * gradient boosting has no randomness below 10 000 rows (no early stopping, no binning
 * subsample), so its probabilities must agree with sklearn's to ~1e-7.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fitDecisionTreeClassifier, fitDecisionTreeRegressor } from "./decision-tree";
import { fitGradientBoostingClassifier, fitGradientBoostingRegressor } from "./gradient-boosting";
import { predictClasses, predictTreeEnsemble } from "./predict";
import { fitRandomForestClassifier, fitRandomForestRegressor } from "./random-forest";
import { irisSplit, syntheticSplit, type ReferenceSplit } from "./reference-data";
import { mt19937, numpyRandint31 } from "./sklearn-random";

const SK = {
  iris: { dt: 0.9444444444444444, rf: 0.9444444444444441, hgb: 0.9444444444444444 },
  binary: {
    dt: 0.793,
    rf: 0.87345,
    hgb: 0.905,
    proba: [
      [0.0024056913, 0.9975943087],
      [0.9623904135, 0.0376095865],
      [0.004586906, 0.995413094],
    ],
  },
  "3class": {
    dt: 0.6936,
    rf: 0.81995,
    hgb: 0.852,
    proba: [
      [0.0002605556, 0.0040399922, 0.9956994522],
      [0.8893513505, 0.0689753306, 0.0416733189],
      [5.8262e-5, 0.010242436, 0.989699302],
    ],
  },
  regression: { dt: 0.5919016239660435, rf: 0.8360005161529467, hgb: 0.9431919196506874, pred: [3.990633731133323, -1.0159083352293565, 3.0857681408637565] },
};
/** "No worse than scikit-learn by more than 0.5 points." */
const TOLERANCE = 0.005;

function accuracy(p: Int32Array, y: Int32Array): number {
  let hit = 0;
  for (let i = 0; i < y.length; i++) if (p[i] === y[i]) hit++;
  return hit / y.length;
}

function r2(p: Float64Array, y: Float64Array): number {
  let mean = 0;
  for (const v of y) mean += v / y.length;
  let ss = 0;
  let st = 0;
  for (let i = 0; i < y.length; i++) {
    ss += (y[i]! - p[i]!) ** 2;
    st += (y[i]! - mean) ** 2;
  }
  return 1 - ss / st;
}

async function meanOverSeeds(n: number, score: (seed: number) => number | Promise<number>): Promise<number> {
  let s = 0;
  for (let seed = 0; seed < n; seed++) s += await score(seed);
  return s / n;
}

describe.each([
  ["iris", 3, () => irisSplit(), SK.iris],
  ["binary", 2, () => syntheticSplit("binary") as ReferenceSplit<Int32Array>, SK.binary],
  ["3class", 3, () => syntheticSplit("3class") as ReferenceSplit<Int32Array>, SK["3class"]],
] as const)("classification parity with scikit-learn: %s", (name, K, load, sk) => {
  const s = load();

  it("DecisionTreeClassifier: mean test accuracy over 10 seeds", async () => {
    const ours = await meanOverSeeds(10, (seed) => accuracy(predictClasses(fitDecisionTreeClassifier(s.Xtrain, s.ytrain, K, { seed }), s.Xtest), s.ytest));
    expect(ours).toBeGreaterThanOrEqual(sk.dt - TOLERANCE);
  });

  it("RandomForestClassifier: mean test accuracy over 10 seeds (sklearn: 20)", async () => {
    const ours = await meanOverSeeds(10, async (seed) =>
      accuracy(predictClasses(await fitRandomForestClassifier(s.Xtrain, s.ytrain, K, { seed }), s.Xtest), s.ytest),
    );
    expect(ours).toBeGreaterThanOrEqual(sk.rf - TOLERANCE);
  });

  it("HistGradientBoostingClassifier: test accuracy and probabilities", async () => {
    const st = await fitGradientBoostingClassifier(s.Xtrain, s.ytrain, K);
    expect(st.trees.length).toBe(100 * (K === 2 ? 1 : K));
    expect(accuracy(predictClasses(st, s.Xtest), s.ytest)).toBeGreaterThanOrEqual(sk.hgb - TOLERANCE);
    if (name !== "iris") {
      // Same bins, float32 gradients, gains and leaf values as sklearn: the same trees.
      const p = predictTreeEnsemble(st, s.Xtest);
      const ref = (sk as typeof SK.binary).proba;
      ref.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(p[i * K + k]! - v)).toBeLessThan(1e-7)));
    }
  });
});

describe("regression parity with scikit-learn", () => {
  const s = syntheticSplit("regression") as ReferenceSplit<Float64Array>;

  it("DecisionTreeRegressor: mean test R^2 over 10 seeds", async () => {
    const ours = await meanOverSeeds(10, (seed) => r2(predictTreeEnsemble(fitDecisionTreeRegressor(s.Xtrain, s.ytrain, { seed }), s.Xtest), s.ytest));
    expect(ours).toBeGreaterThanOrEqual(SK.regression.dt - TOLERANCE);
  });

  it("RandomForestRegressor: mean test R^2 over 5 seeds", async () => {
    const ours = await meanOverSeeds(5, async (seed) => r2(predictTreeEnsemble(await fitRandomForestRegressor(s.Xtrain, s.ytrain, { seed }), s.Xtest), s.ytest));
    expect(ours).toBeGreaterThanOrEqual(SK.regression.rf - TOLERANCE);
  });

  it("HistGradientBoostingRegressor: R^2 and predictions", async () => {
    const st = await fitGradientBoostingRegressor(s.Xtrain, s.ytrain);
    const p = predictTreeEnsemble(st, s.Xtest);
    expect(r2(p, s.ytest)).toBeCloseTo(SK.regression.hgb, 6);
    SK.regression.pred.forEach((v, i) => expect(Math.abs(p[i]! - v)).toBeLessThan(1e-6));
  });
});

/*
  The same trees as sklearn's, node for node. sklearn 1.2.1 on the training rows above:
    fs = [DecisionTreeClassifier(random_state=s).fit(Xtr, ytr).tree_.feature.tolist() for s in range(10)]
  (Iris: printed; 3-class synthetic, 917 nodes per tree: sha256 of json.dumps(fs, separators=(",", ":"))).
  Which of two equally good features a node splits on depends on the order sklearn's splitter
  draws features in; Iris's root is such a tie (petal length or width), and the seeds differ there.
*/
describe("decision trees identical to scikit-learn's for the same random_state", () => {
  const toSklearn = (st: { trees: { feature: number[] }[] }): number[] => st.trees[0]!.feature.map((f) => (f < 0 ? -2 : f));

  it("draws numpy's and sklearn's random numbers", () => {
    const mt = mt19937(5489);
    expect([mt.next().value, mt.next().value]).toEqual([3499211612, 581869302]); // the MT19937 reference outputs
    // numpy.random.RandomState(s).randint(0, 2**31 - 1)
    expect([0, 1, 42, 4294967295].map(numpyRandint31)).toEqual([209652396, 1791095845, 1608637542, 419326371]);
  });

  it("Iris: the features of every node, seeds 0-9", async () => {
    const { Xtrain, ytrain } = irisSplit();
    const ours = Array.from({ length: 10 }, (_, seed) => toSklearn(fitDecisionTreeClassifier(Xtrain, ytrain, 3, { seed })));
    const a = [3, -2, 3, 2, -2, 0, -2, -2, 2, 1, -2, -2, -2];
    const b = [2, ...a.slice(1)];
    expect(ours).toEqual([a, a, a, a, b, a, a, b, a, b]);
  });

  it("3-class synthetic (3000 rows, 917 nodes per tree): the features of every node, seeds 0-9", async () => {
    const { Xtrain, ytrain } = syntheticSplit("3class") as ReferenceSplit<Int32Array>;
    const ours = Array.from({ length: 10 }, (_, seed) => toSklearn(fitDecisionTreeClassifier(Xtrain, ytrain, 3, { seed })));
    expect(ours[0]).toHaveLength(917);
    expect(createHash("sha256").update(JSON.stringify(ours)).digest("hex")).toBe("2a220aa319718ef91e1ddca72cc905f1d3a5d0f870b104ab3e1cfb5c51096579");
  });
});
