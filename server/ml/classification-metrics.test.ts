import { describe, it, expect } from "vitest";
import { accuracy, confusionMatrix, normalizeConfusionMatrix, precisionRecallFscore } from "./classification-metrics";
import { MlInputError } from "./errors";
import { SK_COUNTS, SK_Y, SK_YP } from "./fixtures/sklearn-three-class";

// Hand-computed 3-class case where class 2 is never predicted:
//   yTrue = [0,0,1,1,2,2], yPred = [0,0,1,0,1,1]
//   C = [[2,0,0],[1,1,0],[0,2,0]]
//   class 0: tp 2, fp 1, fn 0 -> P 2/3, R 1,   F1 = 2*2/(2*2+0+1) = 4/5
//   class 1: tp 1, fp 2, fn 1 -> P 1/3, R 1/2, F1 = 2*1/(2*1+1+2) = 2/5
//   class 2: tp 0, fp 0, fn 2 -> P 0/0 -> 0 (flagged), R 0/2 = 0, F1 = 0/(0+2+0) = 0 (defined, not flagged)
//   macro P (2/3+1/3+0)/3 = 1/3, R (1+1/2+0)/3 = 1/2, F1 (4/5+2/5+0)/3 = 2/5; supports 2,2,2 so weighted = macro
//   micro = accuracy = 3/6
const yTrue = Int32Array.from([0, 0, 1, 1, 2, 2]);
const yPred = Int32Array.from([0, 0, 1, 0, 1, 1]);
const names = ["cat", "dog", "bird"];

describe("confusionMatrix", () => {
  it("counts true rows x predicted columns", () => {
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual([[2, 0, 0], [1, 1, 0], [0, 2, 0]]);
  });

  it("normalises by true (rows), pred (columns) and all; an empty column stays 0", () => {
    const cm = confusionMatrix(yTrue, yPred, 3);
    expect(normalizeConfusionMatrix(cm, "true")).toEqual([[1, 0, 0], [0.5, 0.5, 0], [0, 1, 0]]);
    // column sums 3, 3, 0
    expect(normalizeConfusionMatrix(cm, "pred")).toEqual([[2 / 3, 0, 0], [1 / 3, 1 / 3, 0], [0, 2 / 3, 0]]);
    expect(normalizeConfusionMatrix(cm, "all")).toEqual([[2 / 6, 0, 0], [1 / 6, 1 / 6, 0], [0, 2 / 6, 0]]);
  });

  it("restricts to given labels and lays binary out as [[tn, fp], [fn, tp]]", () => {
    // binary: yTrue [0,0,1,1,1], yPred [0,1,1,1,0] -> tn 1, fp 1, fn 1, tp 2
    expect(confusionMatrix(Int32Array.from([0, 0, 1, 1, 1]), Int32Array.from([0, 1, 1, 1, 0]), 2)).toEqual([[1, 1], [1, 2]]);
    expect(confusionMatrix(Int32Array.from([0, 2]), Int32Array.from([2, 2]), 3, [0, 2])).toEqual([[0, 1], [0, 1]]);
  });

  it("rejects out-of-range labels and length mismatch", () => {
    expect(() => confusionMatrix(Int32Array.from([0, 3]), Int32Array.from([0, 1]), 3)).toThrow(/class index 3 at row 1/);
    expect(() => confusionMatrix(Int32Array.from([0]), Int32Array.from([0, 1]), 3)).toThrow(MlInputError);
  });
});

describe("precisionRecallFscore", () => {
  const r = precisionRecallFscore(yTrue, yPred, 3, { classNames: names });

  it("gives per-class precision, recall, F1 and support", () => {
    expect(r.perClass.map((s) => s.className)).toEqual(names);
    const expected = [
      [2 / 3, 1, 4 / 5, 2],
      [1 / 3, 1 / 2, 2 / 5, 2],
      [0, 0, 0, 2],
    ];
    r.perClass.forEach((s, i) => {
      expect(s.precision).toBeCloseTo(expected[i]![0]!, 12);
      expect(s.recall).toBeCloseTo(expected[i]![1]!, 12);
      expect(s.fBeta).toBeCloseTo(expected[i]![2]!, 12);
      expect(s.support).toBe(expected[i]![3]);
    });
  });

  it("flags exactly the 0/0 precision of the never-predicted class", () => {
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ kind: "zeroDivision", metric: "precision", classIndex: 2, className: "bird" });
    expect(r.warnings[0]!.message).toMatch(/precision of class 'bird' is 0\/0/);
  });

  it("averages macro, weighted and micro", () => {
    expect(r.macro.precision).toBeCloseTo(1 / 3, 12);
    expect(r.macro.recall).toBeCloseTo(1 / 2, 12);
    expect(r.macro.fBeta).toBeCloseTo(2 / 5, 12);
    expect(r.weighted.fBeta).toBeCloseTo(2 / 5, 12);
    expect(r.micro.precision).toBeCloseTo(0.5, 12);
    expect(r.micro.recall).toBeCloseTo(0.5, 12);
    expect(r.micro.fBeta).toBeCloseTo(0.5, 12);
    expect(accuracy(yTrue, yPred)).toBe(0.5);
  });

  it("computes F-beta with beta = 2", () => {
    // class 0: (1+4)*2 / ((1+4)*2 + 4*0 + 1) = 10/11; class 1: 5*1 / (5 + 4*1 + 2) = 5/11
    const r2 = precisionRecallFscore(yTrue, yPred, 3, { beta: 2 });
    expect(r2.perClass[0]!.fBeta).toBeCloseTo(10 / 11, 12);
    expect(r2.perClass[1]!.fBeta).toBeCloseTo(5 / 11, 12);
    expect(r2.warnings.map((w) => w.metric)).toEqual(["precision"]);
  });

  it("flags recall and F when an explicitly requested class has no samples at all", () => {
    // class 2 of 3 requested but absent from both arrays: P, R and F are all 0/0
    const rr = precisionRecallFscore(Int32Array.from([0, 1]), Int32Array.from([0, 1]), 3, { labels: [0, 1, 2] });
    expect(rr.warnings.map((w) => w.metric)).toEqual(["precision", "recall", "f1"]);
    expect(rr.macro.fBeta).toBeCloseTo(2 / 3, 12); // (1 + 1 + 0) / 3
    // default labels are the sorted union, so the absent class does not drag the macro average down
    expect(precisionRecallFscore(Int32Array.from([0, 1]), Int32Array.from([0, 1]), 3).macro.fBeta).toBe(1);
  });
});

/*
Cross-check against scikit-learn 1.2.1 on fixtures/sklearn-three-class.ts:
  confusion_matrix(y, yp); precision_recall_fscore_support(y, yp, zero_division=0)
  precision_recall_fscore_support(y, yp, average=a, zero_division=0) for a in macro, weighted, micro
  fbeta_score(y, yp, beta=2, average=None)
*/
describe("precisionRecallFscore vs scikit-learn (3 classes, 40 rows)", () => {
  it("matches confusion matrix, per-class and averaged scores", () => {
    const y = Int32Array.from(SK_Y), yp = Int32Array.from(SK_YP);
    expect(confusionMatrix(y, yp, 3)).toEqual([[6, 2, 5], [5, 5, 4], [4, 6, 3]]);
    const r = precisionRecallFscore(y, yp, 3);
    const P = [0.4, 0.38461538461538464, 0.25];
    const R = [0.46153846153846156, 0.35714285714285715, 0.23076923076923078];
    const F = [0.42857142857142855, 0.3703703703703704, 0.24000000000000002];
    r.perClass.forEach((s, i) => {
      expect(s.precision).toBeCloseTo(P[i]!, 14);
      expect(s.recall).toBeCloseTo(R[i]!, 14);
      expect(s.fBeta).toBeCloseTo(F[i]!, 14);
    });
    expect(r.perClass.map((s) => s.support)).toEqual([13, 14, 13]);
    expect([r.macro.precision, r.macro.recall, r.macro.fBeta].map((v) => +v.toFixed(14))).toEqual(
      [0.3448717948717949, 0.34981684981684985, 0.3463139329805997].map((v) => +v.toFixed(14)),
    );
    expect([r.weighted.precision, r.weighted.recall, r.weighted.fBeta].map((v) => +v.toFixed(14))).toEqual(
      [0.34586538461538463, 0.35, 0.34691534391534395].map((v) => +v.toFixed(14)),
    );
    expect(r.micro.fBeta).toBeCloseTo(0.35, 14);
    const f2 = precisionRecallFscore(y, yp, 3, { beta: 2 }).perClass.map((s) => s.fBeta);
    [0.4477611940298507, 0.36231884057971014, 0.234375].forEach((v, i) => expect(f2[i]).toBeCloseTo(v, 14));
  });
});
