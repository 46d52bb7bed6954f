import { describe, it, expect } from "vitest";
import { logLoss, validateProbabilities } from "./probabilities";
import { SK_COUNTS, SK_Y } from "./fixtures/sklearn-three-class";

describe("logLoss", () => {
  it("clips a zero probability to 1e-15 instead of returning Infinity", () => {
    // row 0: true class has p = 1 -> clipped to 1-1e-15, loss ~1e-15; row 1: true class has p = 0 -> -log(1e-15) = 34.5388
    // mean = (34.538776394910684 + ~1e-15) / 2; sklearn: log_loss([0,1], [[1,0],[1,0]], eps=1e-15) = 17.269388197455342
    const v = logLoss(Int32Array.from([0, 1]), Float64Array.from([1, 0, 1, 0]), 2);
    expect(v).toBeCloseTo(17.269388197455342, 12);
    expect(v).toBeCloseTo(-Math.log(1e-15) / 2, 12);
  });

  it("is the mean negative log of the true-class probability", () => {
    // -(ln 0.8 + ln 0.5) / 2 = (0.22314355 + 0.69314718) / 2
    expect(logLoss(Int32Array.from([0, 2]), Float64Array.from([0.8, 0.1, 0.1, 0.25, 0.25, 0.5]), 3)).toBeCloseTo(
      (-Math.log(0.8) - Math.log(0.5)) / 2,
      14,
    );
  });

  it("matches sklearn log_loss(y, P, eps=1e-15) on the 3-class case", () => {
    const proba = Float64Array.from(SK_COUNTS.flatMap((r) => r.map((c) => c / 20)));
    expect(logLoss(Int32Array.from(SK_Y), proba, 3)).toBeCloseTo(1.1667287531878392, 13);
  });
});

describe("validateProbabilities", () => {
  it("accepts rows summing to 1 within 1e-6 and rejects others with the row named", () => {
    expect(() => validateProbabilities(Float64Array.from([0.3, 0.7 + 5e-7]), 1, 2)).not.toThrow();
    expect(() => validateProbabilities(Float64Array.from([0.5, 0.5, 0.3, 0.67]), 2, 2)).toThrow(/row 1 sum to 0.97/);
    expect(() => validateProbabilities(Float64Array.from([1.2, -0.2]), 1, 2)).toThrow(/row 0, class column 0 is 1.2/);
    expect(() => validateProbabilities(Float64Array.from([0.5, 0.5]), 2, 2)).toThrow(/2 values but 2 rows x 2 classes need 4/);
  });
});
