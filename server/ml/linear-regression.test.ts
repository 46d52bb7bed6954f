import { describe, expect, it } from "vitest";
import { MlInputError } from "./errors";
import { fitLinearRegression, predictLinear } from "./linear-regression";
import { fromRows } from "./matrix";

/*
Reference (scikit-learn 1.2.1, /usr/bin/python3):
  rng = np.random.default_rng(3); X = rng.normal(size=(20,3)).round(2)
  y = (X @ [1.5,-2.0,0.5] + 3 + rng.normal(scale=0.3,size=20)).round(2)
  LinearRegression().fit(X,y).coef_, .intercept_
  Ridge(alpha=1.5).fit(X,y).coef_, .intercept_, .predict(X[:3])
  Ridge(alpha=1.5, fit_intercept=False).fit(X,y).coef_
*/
const X = fromRows([
  [2.04, -2.56, 0.42], [-0.57, -0.45, -0.22], [-2.02, -0.23, -0.87], [3.32, 0.23, -0.35], [-0.28, -0.67, -1.06],
  [-0.39, 0.48, -0.24], [0.96, -0.2, 0.02], [1.55, 0.55, -0.51], [-0.18, 0.54, 1.94], [-0.27, -0.24, 1.0],
  [-0.89, -0.29, 0.88], [0.58, 0.09, 0.67], [-2.83, 1.02, -0.96], [-1.67, 0.28, 0.7], [-0.44, -1.08, 0.03],
  [-0.05, 1.41, 0.75], [0.19, 1.11, -0.21], [-0.93, 0.58, 0.58], [-0.21, -0.78, 0.23], [-2.49, 0.69, 0.49],
]);
const y = Float64Array.from([10.9, 2.95, -0.29, 7.57, 2.78, 1.06, 5.06, 4.32, 1.97, 3.43, 2.78, 3.84, -3.29, -0.07, 4.62, 0.17, 1.38, 0.73, 4.25, -2.39]);

const close = (a: ArrayLike<number>, b: number[], digits = 9) => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, digits));

describe("linear and ridge regression", () => {
  it("OLS matches scikit-learn's LinearRegression", () => {
    const m = fitLinearRegression(X, y);
    close(m.coef, [1.56232904, -1.86431437, 0.31017095], 8);
    expect(m.intercept).toBeCloseTo(2.9399937743066293, 10);
  });

  it("ridge matches scikit-learn's Ridge (unpenalised intercept) with and without intercept", () => {
    const r = fitLinearRegression(X, y, { alpha: 1.5 });
    close(r.coef, [1.53575459, -1.70792629, 0.26679711], 8);
    expect(r.intercept).toBeCloseTo(2.937289906823719, 10);
    close(predictLinear(r, fromRows([[2.04, -2.56, 0.42], [-0.57, -0.45, -0.22], [-2.02, -0.23, -0.87]])), [10.5545754, 2.77178126, -0.00422479884], 7);
    const r0 = fitLinearRegression(X, y, { alpha: 1.5, fitIntercept: false });
    close(r0.coef, [1.21802857, -1.79444444, 1.02852972], 8);
    expect(r0.intercept).toBe(0);
  });

  it("recovers an exact line by hand: y = 2x + 1", () => {
    const m = fitLinearRegression(fromRows([[0], [1], [2], [3]]), Float64Array.from([1, 3, 5, 7]));
    expect(m.coef[0]).toBeCloseTo(2, 12);
    expect(m.intercept).toBeCloseTo(1, 12);
  });

  it("a constant column is an error naming it, unless ridge", () => {
    const Xc = fromRows([[1, 5], [2, 5], [3, 5], [4, 5]]);
    const yc = Float64Array.from([1, 2, 3, 5]);
    const e = (() => {
      try {
        fitLinearRegression(Xc, yc, { featureNames: ["a", "flat"] });
      } catch (error) {
        return error as MlInputError;
      }
    })();
    expect(e).toBeInstanceOf(MlInputError);
    expect(e!.message).toContain("column 'flat' is constant");
    expect(e!.message).toContain("ridge");
    expect(() => fitLinearRegression(Xc, yc, { alpha: 0.1, featureNames: ["a", "flat"] })).not.toThrow();
  });

  it("a collinear column is an error naming it and its partners", () => {
    // c = 2a - b
    const rows = [[1, 0, 2], [2, 1, 3], [0, 3, -3], [4, 1, 7], [3, 3, 3]];
    expect(() => fitLinearRegression(fromRows(rows), Float64Array.from([1, 2, 3, 4, 6]), { featureNames: ["a", "b", "c"] })).toThrow(
      "column 'c' is a linear combination of 'a', 'b'",
    );
    // d = 3a (b is not involved)
    const rows2 = [[1, 0, 3], [2, 1, 6], [0, 3, 0], [4, 1, 12]];
    expect(() => fitLinearRegression(fromRows(rows2), Float64Array.from([1, 2, 3, 4]), { featureNames: ["a", "b", "d"] })).toThrow(
      "column 'd' is a linear combination of 'a' (and the intercept)",
    );
  });

  it("NaN features name the column and row", () => {
    expect(() => fitLinearRegression(fromRows([[1], [NaN]]), Float64Array.from([1, 2]), { featureNames: ["x"] })).toThrow("column 'x' has NaN");
  });
});
