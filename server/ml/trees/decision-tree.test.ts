import { describe, expect, it } from "vitest";
import { MlInputError } from "../errors";
import { fromRows, matrix, type Matrix } from "../matrix";
import { Rng } from "../rng";
import { applyBinMapper, fitBinMapper } from "./binning";
import { CartGrower, giniImpurity, radixSort16, type CartData } from "./cart";
import { growForestTree } from "./forest-tree";
import { fitDecisionTreeClassifier, fitDecisionTreeRegressor } from "./decision-tree";
import { predictClasses, predictTreeEnsemble } from "./predict";
import type { FittedTree } from "./types";

const x6 = fromRows([[1], [2], [3], [4], [5], [6]]);

/** The leaf each row of X reaches. */
function leaves(tree: FittedTree, X: Matrix): number[] {
  const out: number[] = [];
  for (let i = 0; i < X.rows; i++) {
    let node = 0;
    while (tree.feature[node]! >= 0) node = X.data[i * X.cols + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    out.push(node);
  }
  return out;
}

function depth(tree: FittedTree, node = 0): number {
  return tree.feature[node]! < 0 ? 0 : 1 + Math.max(depth(tree, tree.left[node]!), depth(tree, tree.right[node]!));
}

function noisyData(n: number, seed: number): { X: Matrix; y: Int32Array } {
  const rng = new Rng(seed);
  const X = matrix(n, 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) X.data[i * 4 + j] = rng.normal();
    y[i] = X.data[i * 4]! + 0.5 * X.data[i * 4 + 1]! + 0.8 * rng.normal() > 0 ? 1 : 0;
  }
  return { X, y };
}

describe("giniImpurity", () => {
  it("is 1 - sum of squared class shares", () => {
    // counts (3, 1): 1 - (3/4)^2 - (1/4)^2 = 1 - 9/16 - 1/16 = 6/16
    expect(giniImpurity([3, 1], 4)).toBeCloseTo(0.375, 15);
    // (2, 2, 2): 1 - 3 * (1/3)^2 = 2/3
    expect(giniImpurity([2, 2, 2], 6)).toBeCloseTo(2 / 3, 15);
    expect(giniImpurity([5, 0], 5)).toBe(0);
  });
});

describe("radixSort16", () => {
  it("sorts 16-bit bin indices like a comparison sort", () => {
    const rng = new Rng(9);
    const a = Int32Array.from({ length: 3000 }, () => rng.int(65536));
    const expected = Array.from(a).sort((x, y) => x - y);
    radixSort16(a, a.length, new Int32Array(3000), new Int32Array(256));
    expect(Array.from(a)).toEqual(expected);
  });
});

describe("fitDecisionTreeClassifier", () => {
  /*
    x = 1..6, y = 0 0 1 0 1 1. Weighted child Gini of each root split (n_left/6 * G_left + n_right/6 * G_right):
      x <= 1.5: 0 + 5/6 * (1 - (2/5)^2 - (3/5)^2) = 5/6 * 0.48     = 0.400
      x <= 2.5: 0 + 4/6 * (1 - (1/4)^2 - (3/4)^2) = 4/6 * 0.375    = 0.250
      x <= 3.5: 3/6 * 4/9 + 3/6 * 4/9                               = 0.444
      x <= 4.5: 4/6 * 0.375 + 0                                     = 0.250
      x <= 5.5: 5/6 * 0.48 + 0                                      = 0.400
    2.5 and 4.5 tie; like sklearn (strictly better only) the first one in scan order wins: 2.5.
    Right child {3:1, 4:0, 5:1, 6:1}: x <= 3.5 -> 3/4 * 4/9 = 1/3; x <= 4.5 -> 2/4 * 0.5 = 0.25; x <= 5.5 -> 1/3. So 4.5,
    then {3:1, 4:0} splits at 3.5. Thresholds are midpoints between neighbouring values, as sklearn's.
  */
  it("grows the hand-computed tree on 6 points", () => {
    const y = Int32Array.from([0, 0, 1, 0, 1, 1]);
    const st = fitDecisionTreeClassifier(x6, y, 2);
    const t = st.trees[0]!;
    expect(t.feature).toEqual([0, -1, 0, 0, -1, -1, -1]);
    expect(t.threshold).toEqual([2.5, 0, 4.5, 3.5, 0, 0, 0]);
    expect(t.left).toEqual([1, -1, 3, 4, -1, -1, -1]);
    expect(t.right).toEqual([2, -1, 6, 5, -1, -1, -1]);
    // Every node holds its class shares; leaves are pure here.
    expect(t.value).toEqual([0.5, 0.5, 1, 0, 0.25, 0.75, 0.5, 0.5, 0, 1, 1, 0, 0, 1]);
    expect(Array.from(predictClasses(st, x6))).toEqual(Array.from(y));
    expect(st).toMatchObject({ algorithm: "decision-tree", task: "classification", nClasses: 2, nOutputs: 2, aggregate: "average", postTransform: "none", baseScore: [0, 0] });
  });

  it("stops at maxDepth with class shares in the leaves", () => {
    const y = Int32Array.from([0, 0, 1, 0, 1, 1]);
    const st = fitDecisionTreeClassifier(x6, y, 2, { maxDepth: 1 });
    const t = st.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    // right leaf {1, 0, 1, 1}: shares (1/4, 3/4)
    expect(Array.from(predictTreeEnsemble(st, fromRows([[0], [9]])))).toEqual([1, 0, 0.25, 0.75]);
  });

  it("honours minSamplesLeaf and minSamplesSplit", () => {
    const { X, y } = noisyData(400, 1);
    for (const minSamplesLeaf of [1, 7, 30]) {
      const t = fitDecisionTreeClassifier(X, y, 2, { minSamplesLeaf }).trees[0]!;
      const counts = new Map<number, number>();
      for (const l of leaves(t, X)) counts.set(l, (counts.get(l) ?? 0) + 1);
      expect(Math.min(...counts.values())).toBeGreaterThanOrEqual(minSamplesLeaf);
    }
    const t = fitDecisionTreeClassifier(X, y, 2, { minSamplesSplit: 50 }).trees[0]!;
    // A node is split only if it holds >= 50 rows, so every internal node does.
    const rows = new Map<number, number>();
    const visit = (row: number) => {
      let node = 0;
      for (;;) {
        rows.set(node, (rows.get(node) ?? 0) + 1);
        if (t.feature[node]! < 0) break;
        node = X.data[row * 4 + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
      }
    };
    for (let i = 0; i < 400; i++) visit(i);
    for (const [node, n] of rows) if (t.feature[node]! >= 0) expect(n).toBeGreaterThanOrEqual(50);
  });

  it("fits distinct rows perfectly when unlimited, and respects maxDepth", () => {
    const { X, y } = noisyData(300, 2);
    const full = fitDecisionTreeClassifier(X, y, 2);
    expect(Array.from(predictClasses(full, X))).toEqual(Array.from(y));
    const shallow = fitDecisionTreeClassifier(X, y, 2, { maxDepth: 3 });
    expect(depth(shallow.trees[0]!)).toBe(3);
    expect(depth(full.trees[0]!)).toBeGreaterThan(3);
  });

  it("is deterministic for a seed, and maxFeatures changes the tree", () => {
    const { X, y } = noisyData(300, 3);
    const a = fitDecisionTreeClassifier(X, y, 2, { seed: 11, maxFeatures: "sqrt" });
    const b = fitDecisionTreeClassifier(X, y, 2, { seed: 11, maxFeatures: "sqrt" });
    expect(a).toEqual(b);
    const c = fitDecisionTreeClassifier(X, y, 2, { seed: 12, maxFeatures: 1 });
    expect(c.trees[0]).not.toEqual(a.trees[0]);
  });

  it("gives identical trees on fine and coarse bins when features have few distinct values", () => {
    const rng = new Rng(5);
    const X = matrix(500, 3);
    const y = new Int32Array(500);
    for (let i = 0; i < 500; i++) {
      for (let j = 0; j < 3; j++) X.data[i * 3 + j] = Math.floor(rng.uniform(0, 20));
      y[i] = (X.data[i * 3]! + X.data[i * 3 + 1]! + 6 * rng.normal() > 19 ? 1 : 0) + (X.data[i * 3 + 2]! > 15 ? 1 : 0);
    }
    // 20 distinct values per feature: 255 bins and 65535 bins are the same binning, exercising the
    // all-feature histograms with the subtraction trick (nodes >= 1024 rows need more data; see below).
    expect(fitDecisionTreeClassifier(X, y, 3, { maxBins: 255 })).toEqual(fitDecisionTreeClassifier(X, y, 3));
  });

  it("derives big nodes' histograms by subtraction without changing the tree", () => {
    // 5000 rows, all features drawn: the root and its big descendants keep all-feature histograms
    // and derive the larger child's as parent minus smaller child. The same tree must come out of
    // per-node, per-feature histograms.
    for (const task of ["classification", "regression"] as const) {
      const { X, y } = noisyData(5000, 4);
      const mapper = fitBinMapper(X, { maxBins: 255 });
      const data: CartData = {
        nRows: X.rows,
        nFeatures: X.cols,
        codes: applyBinMapper(X, mapper, new Uint16Array(X.rows * X.cols)),
        nBins: mapper.nBins,
        thresholds: mapper.thresholds,
        binValues: mapper.binValues,
        nClasses: task === "classification" ? 2 : 0,
        yClass: task === "classification" ? y : null,
        yReal: task === "classification" ? null : Float64Array.from(y, (v, i) => v + X.data[i * 4 + 2]!),
      };
      const params = { maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 4 };
      const grow = (subtraction: boolean, bootstrap: boolean) =>
        growForestTree(new CartGrower(data, { ...params, subtraction }), data, { params, bootstrap, seed: 3 }, 0);
      for (const bootstrap of [false, true]) {
        const a = grow(true, bootstrap);
        const b = grow(false, bootstrap);
        expect(a.feature).toEqual(b.feature);
        expect(a.threshold).toEqual(b.threshold);
        // Regression sums differ in the last bits after subtraction; the tree does not.
        for (let i = 0; i < a.value.length; i++) expect(a.value[i]).toBeCloseTo(b.value[i]!, 9);
      }
    }
  });

  it("makes a single leaf when every feature is constant", () => {
    const X = fromRows([[1, 5], [1, 5], [1, 5], [1, 5]]);
    const st = fitDecisionTreeClassifier(X, Int32Array.from([0, 1, 1, 1]), 2);
    expect(st.trees[0]!.feature).toEqual([-1]);
    expect(st.trees[0]!.value).toEqual([0.25, 0.75]);
  });

  it("rejects bad input with messages that say what to do", () => {
    const y = Int32Array.from([0, 1, 0, 1, 0, 1]);
    expect(() => fitDecisionTreeClassifier(fromRows([[1]]), Int32Array.from([0]), 2)).toThrow(/1 row\(s\); a decision tree needs at least 2/);
    expect(() => fitDecisionTreeClassifier(x6, Int32Array.from([0, 0, 0, 0, 0, 0]), 2)).toThrow(/single class/);
    expect(() => fitDecisionTreeClassifier(x6, Int32Array.from([0, 0, 0, 0, 0, 0]), 2, { classNames: ["no", "yes"] })).toThrow(/'no'/);
    expect(() => fitDecisionTreeClassifier(x6, y, 2, { maxDepth: 0 })).toThrow(/maxDepth must be a whole number >= 1/);
    expect(() => fitDecisionTreeClassifier(x6, y, 2, { minSamplesLeaf: 0 })).toThrow(/minSamplesLeaf/);
    expect(() => fitDecisionTreeClassifier(x6, y, 2, { minSamplesSplit: 1 })).toThrow(/minSamplesSplit/);
    expect(() => fitDecisionTreeClassifier(x6, y, 2, { maxFeatures: 2 })).toThrow(/only 1 feature/);
    expect(() => fitDecisionTreeClassifier(x6, y, 2, { maxFeatures: "half" as never })).toThrow(/maxFeatures must be/);
    expect(() => fitDecisionTreeClassifier(x6, Int32Array.from([0, 1, 2, 0, 1, 0]), 2)).toThrow(/class index 2 at row 2/);
    expect(() => fitDecisionTreeClassifier(x6, Int32Array.from([0, 1]), 2)).toThrow(/6 rows but there are 2 target values/);
    const bad = fromRows([[1, 2], [3, NaN], [5, 6]]);
    expect(() => fitDecisionTreeClassifier(bad, Int32Array.from([0, 1, 0]), 2, { featureNames: ["age", "income"] })).toThrow(
      /column 'income' has NaN \(a missing value\) at row 1/,
    );
    expect(() => fitDecisionTreeClassifier(fromRows([[1], [Infinity]]), Int32Array.from([0, 1]), 2)).toThrow(MlInputError);
    expect(() => fitDecisionTreeClassifier(matrix(3, 0), Int32Array.from([0, 1, 0]), 2)).toThrow(/no feature columns/);
  });
});

describe("fitDecisionTreeRegressor", () => {
  /*
    x = 1..6, y = 1 1 2 5 6 7. Sum of squared errors of the children per root split:
      x <= 2.5: [1,1] 0 + [2,5,6,7] (mean 5) 9+0+1+4 = 14
      x <= 3.5: [1,1,2] (mean 4/3) 1/9+1/9+4/9 = 2/3 + [5,6,7] 2 = 2.667   <- best
      x <= 4.5: [1,1,2,5] (mean 2.25) 10.75 + [6,7] 0.5 = 11.25
    so the depth-1 tree predicts 4/3 left and 6 right.
  */
  it("splits the hand-computed 6 points and predicts leaf means", () => {
    const y = Float64Array.from([1, 1, 2, 5, 6, 7]);
    const st = fitDecisionTreeRegressor(x6, y, { maxDepth: 1 });
    expect(st.trees[0]!.threshold[0]).toBe(3.5);
    const p = predictTreeEnsemble(st, fromRows([[0], [3.5], [3.6]]));
    expect(p[0]).toBeCloseTo(4 / 3, 15);
    expect(p[1]).toBeCloseTo(4 / 3, 15);
    expect(p[2]).toBe(6);
    expect(st).toMatchObject({ task: "regression", nClasses: null, nOutputs: 1, baseScore: [0] });
    // Grown fully, it reproduces every distinct target.
    expect(Array.from(predictTreeEnsemble(fitDecisionTreeRegressor(x6, y), x6))).toEqual([1, 1, 2, 5, 6, 7]);
  });

  it("does not split rows whose targets are all equal", () => {
    const st = fitDecisionTreeRegressor(x6, Float64Array.from([1e6, 1e6, 1e6, 1e6, 1e6, 1e6]));
    expect(st.trees[0]!.feature).toEqual([-1]);
  });

  it("rejects a missing target value", () => {
    expect(() => fitDecisionTreeRegressor(x6, Float64Array.from([1, 2, NaN, 4, 5, 6]))).toThrow(/regression target has NaN .* at row 2/);
  });
});
