import { describe, it, expect } from "vitest";
import { meanAbsolutePercentageError, r2Score, regressionReport } from "./regression-metrics";
import { MlInputError } from "./errors";

describe("regressionReport", () => {
  it("computes MAE, RMSE, R² and MAPE (scikit-learn docs example)", () => {
    // y = [3, -0.5, 2, 7], yhat = [2.5, 0, 2, 8]; errors 0.5, 0.5, 0, 1
    // MAE = 2/4 = 0.5; MSE = (0.25+0.25+0+1)/4 = 0.375 -> RMSE = sqrt(0.375)
    // mean y = 2.875; SS_tot = 0.125^2 + 3.375^2 + 0.875^2 + 4.125^2 = 29.1875; SS_res = 1.5 -> R² = 1 - 1.5/29.1875
    // MAPE = (0.5/3 + 0.5/0.5 + 0/2 + 1/7) / 4
    const r = regressionReport(Float64Array.from([3, -0.5, 2, 7]), Float64Array.from([2.5, 0, 2, 8]));
    expect(r.task).toBe("regression");
    expect(r.n).toBe(4);
    expect(r.mae).toBeCloseTo(0.5, 15);
    expect(r.rmse).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(r.r2).toBeCloseTo(0.9486081370449679, 14); // sklearn r2_score
    expect(r.mape).toBeCloseTo((0.5 / 3 + 1 + 0 + 1 / 7) / 4, 15);
    expect(r.mapeSkippedZeroTargets).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("skips zero targets in MAPE and says how many", () => {
    // y = [0, 2, 4], yhat = [1, 1, 5]: rows with y != 0 give |2-1|/2 = 0.5 and |4-5|/4 = 0.25 -> 0.375
    const r = regressionReport(Float64Array.from([0, 2, 4]), Float64Array.from([1, 1, 5]));
    expect(r.mape).toBeCloseTo(0.375, 15);
    expect(r.mapeSkippedZeroTargets).toBe(1);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: "skippedZeroTargets", metric: "mape" })]);
    const allZero = meanAbsolutePercentageError(Float64Array.from([0, 0]), Float64Array.from([1, 0]));
    expect(allZero).toEqual({ value: null, skippedZeroTargets: 2 });
  });

  it("defines R² for a constant target like sklearn (1 if perfect else 0) and flags it", () => {
    const perfect = r2Score(Float64Array.from([2, 2, 2]), Float64Array.from([2, 2, 2]));
    expect(perfect.value).toBe(1);
    expect(perfect.warning?.kind).toBe("constantTarget");
    const off = regressionReport(Float64Array.from([2, 2, 2]), Float64Array.from([1, 2, 3]));
    expect(off.r2).toBe(0);
    expect(off.warnings.map((w) => w.kind)).toEqual(["constantTarget"]);
    // a fit worse than the mean gives a negative R², not a clipped 0: y=[1,2], yhat=[2,1]: SS_res = 1+1 = 2, SS_tot = 0.25+0.25 = 0.5 -> 1 - 2/0.5 = -3
    expect(r2Score(Float64Array.from([1, 2]), Float64Array.from([2, 1])).value).toBeCloseTo(-3, 15);
  });

  it("rejects NaN targets and mismatched lengths", () => {
    expect(() => regressionReport(Float64Array.from([1, Number.NaN]), Float64Array.from([1, 2]))).toThrow(/target at row 1 is NaN/);
    expect(() => regressionReport(Float64Array.from([1]), Float64Array.from([1, 2]))).toThrow(MlInputError);
    expect(() => regressionReport(new Float64Array(0), new Float64Array(0))).toThrow(/empty/);
  });
});
