import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromRows, matrix } from "../matrix";
import { Rng } from "../rng";
import { fitGradientBoostingClassifier, fitGradientBoostingRegressor } from "./gradient-boosting";
import { predictTreeEnsemble } from "./predict";
import { makeSyntheticData } from "./synthetic";
import type { FittedTree, TreeEnsembleState } from "./types";

const hash = (st: TreeEnsembleState): string => createHash("sha256").update(JSON.stringify(st)).digest("hex");
const x6 = fromRows([[1], [2], [3], [4], [5], [6]]);

function leafCount(t: FittedTree): number {
  return t.feature.filter((f) => f < 0).length;
}
function depth(t: FittedTree, node = 0): number {
  return t.feature[node]! < 0 ? 0 : 1 + Math.max(depth(t, t.left[node]!), depth(t, t.right[node]!));
}

describe("fitGradientBoostingRegressor", () => {
  /*
    x = 1..6, y = 1 1 2 5 6 7; baseline = mean = 22/6; gradients (squared error) g = raw - y =
    (8/3, 8/3, 5/3, -4/3, -7/3, -10/3), hessians 1. Gain G_L^2/H_L + G_R^2/H_R - G^2/H (G = 0):
      x <= 2.5: (16/3)^2/2 + (16/3)^2/4 = 21.33
      x <= 3.5: 7^2/3 + 7^2/3            = 32.67   <- best
      x <= 4.5: (17/3)^2/4 + (17/3)^2/2  = 24.08
    Leaves: -G/(H + l2) * learningRate = -7/3 * 0.1 and +7/3 * 0.1; with l2 = 1: -/+ 7/4 * 0.1.
  */
  it("grows the hand-computed first tree on 6 points", async () => {
    const params = { maxIter: 1, maxLeafNodes: 2, minSamplesLeaf: 1 };
    const y = Float64Array.from([1, 1, 2, 5, 6, 7]);
    const st = await fitGradientBoostingRegressor(x6, y, params);
    expect(st).toMatchObject({ algorithm: "gradient-boosting", task: "regression", nOutputs: 1, aggregate: "sum", postTransform: "none" });
    expect(st.baseScore[0]).toBeCloseTo(22 / 6, 14);
    const t = st.trees[0]!;
    expect(t.feature).toEqual([0, -1, -1]);
    expect(t.threshold[0]).toBe(3.5);
    // float32 gradients (as sklearn's) leave ~1e-7 relative error
    expect(t.value[1]).toBeCloseTo((-7 / 3) * 0.1, 6);
    expect(t.value[2]).toBeCloseTo((7 / 3) * 0.1, 6);
    const p = predictTreeEnsemble(st, fromRows([[2], [6]]));
    expect(p[0]).toBeCloseTo(22 / 6 - 0.7 / 3, 6);
    expect(p[1]).toBeCloseTo(22 / 6 + 0.7 / 3, 6);
    const reg = await fitGradientBoostingRegressor(x6, y, { ...params, l2Regularization: 1 });
    expect(reg.trees[0]!.value[1]).toBeCloseTo(-0.175, 6);
  });

  it("keeps trees within maxLeafNodes, maxDepth and minSamplesLeaf", async () => {
    const { X, score } = makeSyntheticData(2000, 10, 3);
    for (const t of (await fitGradientBoostingRegressor(X, score, { maxIter: 10 })).trees) expect(leafCount(t)).toBeLessThanOrEqual(31);
    const small = await fitGradientBoostingRegressor(X, score, { maxIter: 10, maxLeafNodes: 5 });
    for (const t of small.trees) expect(leafCount(t)).toBeLessThanOrEqual(5);
    expect(small.trees.some((t) => leafCount(t) === 5)).toBe(true);
    const shallow = await fitGradientBoostingRegressor(X, score, { maxIter: 10, maxDepth: 2, maxLeafNodes: null });
    for (const t of shallow.trees) expect(depth(t)).toBeLessThanOrEqual(2);
    const big = await fitGradientBoostingRegressor(X, score, { maxIter: 3, minSamplesLeaf: 150, maxLeafNodes: null });
    for (const t of big.trees) {
      const counts = new Map<number, number>();
      for (let i = 0; i < X.rows; i++) {
        let node = 0;
        while (t.feature[node]! >= 0) node = X.data[i * 10 + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
        counts.set(node, (counts.get(node) ?? 0) + 1);
      }
      expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(150);
    }
  });
});

describe("fitGradientBoostingClassifier", () => {
  it("starts binary boosting from the log-odds of the prior and returns [1-p, p]", async () => {
    const y = Int32Array.from([0, 0, 1, 1, 1, 1]);
    const st = await fitGradientBoostingClassifier(x6, y, 2, { maxIter: 3, minSamplesLeaf: 1 });
    expect(st).toMatchObject({ nClasses: 2, nOutputs: 1, aggregate: "sum", postTransform: "logistic" });
    expect(st.baseScore[0]).toBeCloseTo(Math.log(4 / 2), 14);
    expect(st.trees).toHaveLength(3);
    const p = predictTreeEnsemble(st, x6);
    expect(p).toHaveLength(12);
    for (let i = 0; i < 6; i++) expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 14);
    expect(p[1]).toBeLessThan(0.5);
    expect(p[11]).toBeGreaterThan(0.5);
  });

  it("builds one tree per class per iteration from centred log priors (softmax)", async () => {
    // priors 1/6, 2/6, 3/6: sklearn's baseline is log(p_k) - mean_j log(p_j)
    const y = Int32Array.from([0, 1, 1, 2, 2, 2]);
    const st = await fitGradientBoostingClassifier(x6, y, 3, { maxIter: 2, minSamplesLeaf: 1 });
    const logs = [1 / 6, 2 / 6, 3 / 6].map(Math.log);
    const mean = (logs[0]! + logs[1]! + logs[2]!) / 3;
    st.baseScore.forEach((b, k) => expect(b).toBeCloseTo(logs[k]! - mean, 14));
    expect(st).toMatchObject({ nOutputs: 3, postTransform: "softmax" });
    expect(st.trees).toHaveLength(6);
    // The tree for class k (k = index % 3) has zeros in the other entries.
    st.trees.forEach((t, i) => {
      for (let node = 0; node < t.feature.length; node++) {
        for (let c = 0; c < 3; c++) if (c !== i % 3) expect(t.value[node * 3 + c]).toBe(0);
      }
    });
    const p = predictTreeEnsemble(st, x6);
    for (let i = 0; i < 6; i++) expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeCloseTo(1, 14);
  });

  it("is deterministic and identical when threads share the histograms and split search (threads 1, 2, 3)", async () => {
    const { X, y } = makeSyntheticData(20_000, 20, 12, 3);
    const params = { maxIter: 4, earlyStopping: false, seed: 3 } as const;
    const one = await fitGradientBoostingClassifier(X, y, 3, { ...params, threads: 1 });
    expect(hash(await fitGradientBoostingClassifier(X, y, 3, { ...params, threads: 1 }))).toBe(hash(one));
    expect(hash(await fitGradientBoostingClassifier(X, y, 3, { ...params, threads: 2 }))).toBe(hash(one));
    expect(hash(await fitGradientBoostingClassifier(X, y, 3, { ...params, threads: 3 }))).toBe(hash(one));
    // Up to 64 leaves: the histograms outgrow the first slabs the workers were given.
    const wide = { ...params, maxIter: 2, maxLeafNodes: null, maxDepth: 6, minSamplesLeaf: 5 } as const;
    const wideOne = await fitGradientBoostingClassifier(X, y, 3, { ...wide, threads: 1 });
    expect(Math.max(...wideOne.trees.map(leafCount))).toBeGreaterThan(40);
    expect(hash(await fitGradientBoostingClassifier(X, y, 3, { ...wide, threads: 2 }))).toBe(hash(wideOne));
  });

  it("stops early on a held-out split: on by default above 10 000 rows", async () => {
    // Pure-noise labels: the validation loss stops improving after a few iterations.
    const rng = new Rng(2);
    const n = 10_001;
    const X = matrix(n, 3);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 3; j++) X.data[i * 3 + j] = rng.normal();
      y[i] = rng.next() < 0.5 ? 1 : 0;
    }
    const auto = await fitGradientBoostingClassifier(X, y, 2, { maxIter: 60, learningRate: 0.3, nIterNoChange: 3 });
    expect(auto.trees.length).toBeLessThan(60);
    const off = await fitGradientBoostingClassifier(X, y, 2, { maxIter: 60, learningRate: 0.3, nIterNoChange: 3, earlyStopping: false });
    expect(off.trees.length).toBe(60);
    // 10 000 rows: "auto" leaves it off (sklearn: on when n_samples > 10000).
    const small = await fitGradientBoostingClassifier(
      { data: X.data.subarray(0, 30_000), rows: 10_000, cols: 3 },
      y.subarray(0, 10_000),
      2,
      { maxIter: 15, learningRate: 0.3, nIterNoChange: 3 },
    );
    expect(small.trees.length).toBe(15);
    // Scoring on the training rows (validationFraction null) keeps improving on noise for longer.
    const train = await fitGradientBoostingClassifier(X, y, 2, { maxIter: 20, learningRate: 0.3, nIterNoChange: 3, validationFraction: null });
    expect(train.trees.length).toBe(20);
  });

  it("reports progress and can be aborted between iterations", async () => {
    const { X, y } = makeSyntheticData(500, 10, 4);
    const seen: number[] = [];
    await fitGradientBoostingClassifier(X, y, 2, { maxIter: 4, onProgress: (f) => seen.push(f) });
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
    const ac = new AbortController();
    const run = fitGradientBoostingClassifier(X, y, 2, { maxIter: 100, signal: ac.signal, onProgress: (f) => f >= 0.03 && ac.abort() });
    await expect(run).rejects.toThrow(/abort/i);
  });

  it("rejects bad parameters and data", async () => {
    const y = Int32Array.from([0, 1, 0, 1, 0, 1]);
    await expect(fitGradientBoostingClassifier(x6, y, 2, { learningRate: 0 })).rejects.toThrow(/learningRate must be a positive number/);
    await expect(fitGradientBoostingClassifier(x6, y, 2, { maxLeafNodes: 1 })).rejects.toThrow(/maxLeafNodes .* at least 2 leaves/);
    await expect(fitGradientBoostingClassifier(x6, y, 2, { validationFraction: 1.5 })).rejects.toThrow(/validationFraction/);
    await expect(fitGradientBoostingClassifier(x6, y, 2, { earlyStopping: "yes" as never })).rejects.toThrow(/earlyStopping/);
    await expect(fitGradientBoostingClassifier(x6, y, 2, { l2Regularization: -1 })).rejects.toThrow(/l2Regularization/);
    await expect(fitGradientBoostingClassifier(x6, y, 2, { maxBins: 300 })).rejects.toThrow(/maxBins/);
    await expect(fitGradientBoostingClassifier(x6, new Int32Array(6), 2)).rejects.toThrow(/single class/);
    await expect(fitGradientBoostingRegressor(fromRows([[1], [-Infinity]]), Float64Array.from([1, 2]), { featureNames: ["temp"] })).rejects.toThrow(
      /column 'temp' has -Infinity at row 1/,
    );
  });
});
