import { describe, expect, it } from "vitest";
import { fromRows } from "../matrix";
import { predictClasses, predictTreeEnsemble, rawScores, splitCountImportances } from "./predict";
import type { FittedTree, TreeEnsembleState } from "./types";

/** One split: x[f] <= t -> leaf 1 (values a), else leaf 2 (values b). */
function stump(f: number, t: number, a: number[], b: number[], root: number[] = a.map(() => 0)): FittedTree {
  return { feature: [f, -1, -1], threshold: [t, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [...root, ...a, ...b] };
}

function state(over: Partial<TreeEnsembleState>): TreeEnsembleState {
  return {
    kind: "tree-ensemble",
    algorithm: "random-forest",
    task: "classification",
    nFeatures: 2,
    nClasses: 2,
    nOutputs: 2,
    trees: [],
    aggregate: "average",
    baseScore: [0, 0],
    postTransform: "none",
    ...over,
  };
}

const X = fromRows([
  [0, 5],
  [1, 5],
  [2, -5],
]);

describe("predictTreeEnsemble", () => {
  it("averages leaf vectors (forests), with x <= threshold going left", () => {
    const st = state({ trees: [stump(0, 1, [1, 0], [0, 1]), stump(1, 0, [0.5, 0.5], [1, 0])] });
    // row 0: (1,0) and (1,0) -> (1,0); row 1: x0 = 1 <= 1 left (1,0), x1 = 5 > 0 (1,0); row 2: (0,1) and (0.5,0.5)
    expect(Array.from(predictTreeEnsemble(st, X))).toEqual([1, 0, 1, 0, 0.25, 0.75]);
    expect(Array.from(predictClasses(st, X))).toEqual([0, 0, 1]);
  });

  it("adds baseScore to the sum and applies the logistic for binary boosting, giving [1-p, p]", () => {
    const st = state({
      algorithm: "gradient-boosting",
      nOutputs: 1,
      aggregate: "sum",
      baseScore: [0.5],
      postTransform: "logistic",
      trees: [stump(0, 1, [-1], [2]), stump(1, 0, [0.25], [-0.5])],
    });
    const raw = rawScores(st, X);
    expect(Array.from(raw)).toEqual([0.5 - 1 - 0.5, 0.5 - 1 - 0.5, 0.5 + 2 + 0.25]);
    const p = predictTreeEnsemble(st, X);
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    expect(p).toHaveLength(6);
    expect(p[1]).toBeCloseTo(sig(-1), 15);
    expect(p[0]).toBeCloseTo(1 - sig(-1), 15);
    expect(p[5]).toBeCloseTo(sig(2.75), 15);
    expect(Array.from(predictClasses(st, X))).toEqual([0, 0, 1]);
  });

  it("applies a softmax over the summed per-class scores for multiclass boosting", () => {
    const st = state({
      algorithm: "gradient-boosting",
      nClasses: 3,
      nOutputs: 3,
      aggregate: "sum",
      baseScore: [0.1, 0.2, -0.3],
      postTransform: "softmax",
      trees: [stump(0, 1, [1, 0, 0], [0, 0, 0]), stump(0, 1, [0, 0, 0], [0, 2, 0]), stump(0, 1, [0, 0, 0], [0, 0, 3])],
    });
    const p = predictTreeEnsemble(st, X);
    const soft = (z: number[]) => {
      const e = z.map(Math.exp);
      const s = e.reduce((a, b) => a + b);
      return e.map((v) => v / s);
    };
    const row0 = soft([1.1, 0.2, -0.3]);
    const row2 = soft([0.1, 2.2, 2.7]);
    for (let k = 0; k < 3; k++) {
      expect(p[k]).toBeCloseTo(row0[k]!, 15);
      expect(p[6 + k]).toBeCloseTo(row2[k]!, 15);
    }
  });

  it("predicts regression values", () => {
    const st = state({ task: "regression", nClasses: null, nOutputs: 1, baseScore: [0], trees: [stump(0, 1.5, [10], [20]), stump(0, 0.5, [0], [40])] });
    expect(Array.from(predictTreeEnsemble(st, X))).toEqual([5, 25, 30]);
    expect(() => predictClasses(st, X)).toThrow(/classification model/);
  });

  it("rejects data of the wrong width and non-finite values", () => {
    const st = state({ trees: [stump(0, 1, [1, 0], [0, 1])] });
    expect(() => predictTreeEnsemble(st, fromRows([[1]]))).toThrow(/trained on 2 feature column\(s\) but the data has 1/);
    expect(() => predictTreeEnsemble(st, fromRows([[1, NaN]]), { featureNames: ["a", "b"] })).toThrow(/column 'b' has NaN/);
    const broken = state({ trees: [{ ...stump(0, 1, [1, 0], [0, 1]), left: [1] }] });
    expect(() => predictTreeEnsemble(broken, X)).toThrow(/malformed/);
  });
});

describe("splitCountImportances", () => {
  it("counts splits per feature over all trees, normalised", () => {
    const st = state({ trees: [stump(0, 1, [1, 0], [0, 1]), stump(1, 0, [1, 0], [0, 1]), stump(1, 3, [1, 0], [0, 1])] });
    const imp = splitCountImportances(st);
    expect(imp[0]).toBeCloseTo(1 / 3, 15);
    expect(imp[1]).toBeCloseTo(2 / 3, 15);
    expect(Array.from(splitCountImportances(state({ trees: [{ feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0.5, 0.5] }] })))).toEqual([0, 0]);
  });
});
