import { describe, expect, it } from "vitest";
import { MlInputError } from "./errors";
import { fromRows, type Matrix } from "./matrix";
import { permutationImportance } from "./permutation-importance";

/** A "model" that predicts y = column 0 and ignores column 1. */
const copyColumn0 = (X: Matrix) => Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols]);

describe("permutation importance", () => {
  it("an ignored feature scores exactly 0; the used one about 2 (E[R² after a random shuffle] = -1)", async () => {
    // For a uniformly random permutation pi, E[sum (y_i - y_pi(i))^2] = 2 SS_tot, so the expected
    // permuted R² is 1 - 2 = -1 and the expected drop from the baseline R² of 1 is 2.
    const n = 40;
    const y = Float64Array.from({ length: n }, (_, i) => ((i * 37) % 41) / 7);
    const X = fromRows(Array.from({ length: n }, (_, i) => [y[i], i % 3]));
    const r = await permutationImportance(X, y, copyColumn0, { task: "regression", repeats: 400, seed: 1, featureNames: ["signal", "noise"] });
    expect(r.metric).toBe("r2");
    expect(r.baseline).toBe(1);
    expect(r.importances.map((f) => f.feature)).toEqual(["signal", "noise"]);
    expect(r.importances[1]).toEqual({ feature: "noise", mean: 0, std: 0 });
    expect(r.importances[0].mean).toBeGreaterThan(1.85);
    expect(r.importances[0].mean).toBeLessThan(2.15);
    expect(r.importances[0].std).toBeGreaterThan(0);
  });

  it("classification uses accuracy of the arg-max; sorted largest first; the seed reproduces it", async () => {
    // Two classes, predicted from column 1's sign; column 0 is unused.
    const X = fromRows([[5, -1], [6, -2], [7, 1], [8, 2], [9, -3], [1, 3]]);
    const y = Int32Array.from([0, 0, 1, 1, 0, 1]);
    const proba = (M: Matrix) => {
      const out = new Float64Array(M.rows * 2);
      for (let i = 0; i < M.rows; i++) out[i * 2 + (M.data[i * 2 + 1] > 0 ? 1 : 0)] = 1;
      return out;
    };
    const opts = { task: "classification" as const, repeats: 7, seed: 3, featureNames: ["unused", "sign"] };
    const a = await permutationImportance(X, y, proba, opts);
    expect(a.metric).toBe("accuracy");
    expect(a.baseline).toBe(1);
    expect(a.importances[0].feature).toBe("sign");
    expect(a.importances[0].mean).toBeGreaterThan(0);
    expect(a.importances[1]).toEqual({ feature: "unused", mean: 0, std: 0 });
    expect(await permutationImportance(X, y, proba, opts)).toEqual(a);
    // The input matrix is left as it was.
    expect(Array.from(X.data)).toEqual([5, -1, 6, -2, 7, 1, 8, 2, 9, -3, 1, 3]);
  });

  it("a bad repeat count names the param", async () => {
    const e = await permutationImportance(fromRows([[1], [2]]), Float64Array.from([1, 2]), copyColumn0, { task: "regression", repeats: 0, featureNames: ["x"] }).catch((x) => x);
    expect(e).toBeInstanceOf(MlInputError);
    expect(e.message).toContain("importanceRepeats");
  });
});
