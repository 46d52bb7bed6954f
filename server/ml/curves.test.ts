import { describe, it, expect } from "vitest";
import { averagePrecision, calibrationCurve, downsampleIndices, precisionRecallCurve, rocAuc, rocCurve } from "./curves";
import { MlInputError } from "./errors";
import { SK_COUNTS, SK_Y } from "./fixtures/sklearn-three-class";

const u8 = (a: number[]) => Uint8Array.from(a);
const f64 = (a: number[]) => Float64Array.from(a);

describe("ROC", () => {
  it("binary AUC without ties: scores [0.1,0.4,0.35,0.8], labels [0,0,1,1] -> 0.75", () => {
    // positive/negative pairs: 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes -> 3 of 4
    expect(rocAuc(u8([0, 0, 1, 1]), f64([0.1, 0.4, 0.35, 0.8]))).toBe(0.75);
  });

  it("counts a tie as 1/2: scores [0.1,0.4,0.4,0.8] -> 0.875", () => {
    // pairs: 0.4 vs 0.1 win (1), 0.4 vs 0.4 tie (1/2), 0.8 vs both win (2) -> 3.5 / 4
    expect(rocAuc(u8([0, 0, 1, 1]), f64([0.1, 0.4, 0.4, 0.8]))).toBe(0.875);
  });

  it("builds one point per distinct score, starting at (0,0) with threshold +Infinity", () => {
    // sorted descending: 0.8 (pos), 0.4 (neg), 0.35 (pos), 0.1 (neg)
    const c = rocCurve(u8([0, 0, 1, 1]), f64([0.1, 0.4, 0.35, 0.8]));
    expect(Array.from(c.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(c.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    // tied scores form a single diagonal step
    const t = rocCurve(u8([0, 0, 1, 1]), f64([0.1, 0.4, 0.4, 0.8]));
    expect(Array.from(t.fpr)).toEqual([0, 0, 0.5, 1]);
    expect(Array.from(t.tpr)).toEqual([0, 0.5, 1, 1]);
  });

  it("refuses a single-class problem", () => {
    expect(() => rocAuc(u8([1, 1]), f64([0.2, 0.3]))).toThrow(/only one class present/);
    expect(() => rocCurve(u8([0, 0]), f64([0.2, 0.3]))).toThrow(MlInputError);
  });

  it("matches sklearn's roc_curve(drop_intermediate=False) on the 3-class case, class 0", () => {
    // fpr, tpr, _ = roc_curve(y == 0, P[:, 0], drop_intermediate=False)   (see classification-metrics.test.ts)
    const y = u8(SK_Y.map((v) => (v === 0 ? 1 : 0)));
    const s = f64(SK_COUNTS.map((r) => r[0]! / 20));
    const c = rocCurve(y, s);
    const fpr = [0.0, 0.037037037037037035, 0.07407407407407407, 0.1111111111111111, 0.18518518518518517, 0.2962962962962963, 0.5555555555555556, 0.7407407407407407, 0.8148148148148148, 0.8518518518518519, 0.9259259259259259, 1.0];
    const tpr = [0.0, 0.0, 0.07692307692307693, 0.07692307692307693, 0.15384615384615385, 0.3076923076923077, 0.6153846153846154, 0.8461538461538461, 0.9230769230769231, 1.0, 1.0, 1.0];
    expect(c.fpr.length).toBe(12);
    fpr.forEach((v, i) => expect(c.fpr[i]).toBeCloseTo(v, 14));
    tpr.forEach((v, i) => expect(c.tpr[i]).toBeCloseTo(v, 14));
    expect(rocAuc(y, s)).toBeCloseTo(0.5427350427350428, 14);
  });
});

describe("precision-recall and average precision", () => {
  it("AP is the step sum sum (R_n - R_{n-1}) P_n: 5/6 for [0.1,0.4,0.35,0.8] / [0,0,1,1]", () => {
    // thresholds high->low: 0.8 (P 1, R 1/2), 0.4 (P 1/2, R 1/2), 0.35 (P 2/3, R 1), 0.1 (P 1/2, R 1)
    // AP = 1/2*1 + 0*1/2 + 1/2*2/3 + 0*1/2 = 5/6   (trapezoidal PR-AUC would differ)
    expect(averagePrecision(u8([0, 0, 1, 1]), f64([0.1, 0.4, 0.35, 0.8]))).toBeCloseTo(5 / 6, 15);
    const c = precisionRecallCurve(u8([0, 0, 1, 1]), f64([0.1, 0.4, 0.35, 0.8]));
    expect(Array.from(c.precision)).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(Array.from(c.recall)).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(Array.from(c.thresholds)).toEqual([0.1, 0.35, 0.4, 0.8]);
  });

  it("matches sklearn precision_recall_curve on the 3-class case, class 2", () => {
    // precision, recall, _ = precision_recall_curve(y == 2, P[:, 2])
    const y = u8(SK_Y.map((v) => (v === 2 ? 1 : 0)));
    const s = f64(SK_COUNTS.map((r) => r[2]! / 20));
    const c = precisionRecallCurve(y, s);
    const pr = [0.325, 0.3076923076923077, 0.2972972972972973, 0.3333333333333333, 0.25, 0.2857142857142857, 0.3333333333333333, 0.42857142857142855, 0.3333333333333333, 0.5, 0.0, 1.0];
    const rc = [1.0, 0.9230769230769231, 0.8461538461538461, 0.8461538461538461, 0.5384615384615384, 0.46153846153846156, 0.38461538461538464, 0.23076923076923078, 0.07692307692307693, 0.07692307692307693, 0.0, 0.0];
    expect(c.precision.length).toBe(pr.length);
    pr.forEach((v, i) => expect(c.precision[i]).toBeCloseTo(v, 14));
    rc.forEach((v, i) => expect(c.recall[i]).toBeCloseTo(v, 14));
    expect(averagePrecision(y, s)).toBeCloseTo(0.34811918850380386, 14);
  });

  it("refuses AP without positives", () => {
    expect(() => averagePrecision(u8([0, 0]), f64([0.1, 0.2]))).toThrow(/without positive rows/);
  });
});

describe("calibrationCurve", () => {
  it("bins uniformly, a value on an inner edge going to the lower bin (sklearn 1.2.1)", () => {
    // 2 bins, inner edge 0.5: bin 0 = {0.1, 0.2, 0.5}: mean 0.8/3, positives 2/3; bin 1 = {0.55, 0.9}: mean 0.725, positives 1/2
    const bins = calibrationCurve(u8([0, 1, 1, 0, 1]), f64([0.1, 0.2, 0.5, 0.55, 0.9]), 2);
    expect(bins).toHaveLength(2);
    expect(bins[0]).toMatchObject({ lower: 0, upper: 0.5, count: 3 });
    expect(bins[0]!.meanPredicted).toBeCloseTo(0.8 / 3, 14);
    expect(bins[0]!.fractionPositive).toBeCloseTo(2 / 3, 14);
    expect(bins[1]).toMatchObject({ lower: 0.5, upper: 1, count: 2, fractionPositive: 0.5 });
    expect(bins[1]!.meanPredicted).toBeCloseTo(0.725, 14);
  });

  it("matches sklearn calibration_curve(y == 1, P[:, 1], n_bins=5), empty bins omitted", () => {
    const y = u8(SK_Y.map((v) => (v === 1 ? 1 : 0)));
    const s = f64(SK_COUNTS.map((r) => r[1]! / 20));
    const bins = calibrationCurve(y, s, 5);
    const fracPos = [0.2, 0.34615384615384615, 0.4444444444444444];
    const meanPred = [0.16, 0.3096153846153846, 0.48888888888888893];
    expect(bins).toHaveLength(3);
    bins.forEach((b, i) => {
      expect(b.fractionPositive).toBeCloseTo(fracPos[i]!, 14);
      expect(b.meanPredicted).toBeCloseTo(meanPred[i]!, 14);
    });
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(40);
  });
});

describe("downsampleIndices", () => {
  it("keeps short curves whole and caps long ones, keeping both ends in order", () => {
    expect(downsampleIndices([0, 1, 2], [0, 1, 2], 200)).toEqual([0, 1, 2]);
    const n = 5000;
    const xs = Array.from({ length: n }, (_, i) => i / (n - 1));
    const ys = xs.map((x) => Math.sqrt(x));
    const idx = downsampleIndices(xs, ys, 200);
    expect(idx.length).toBeLessThanOrEqual(200);
    expect(idx.length).toBeGreaterThan(150);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
  });
});
