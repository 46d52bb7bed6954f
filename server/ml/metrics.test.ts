import { describe, it, expect } from "vitest";
import { classificationReport, regressionReport, rocAuc } from "./metrics";
import { Rng } from "./rng";
import { SK_Y, SK_YP, skProba } from "./fixtures/sklearn-three-class";

const i32 = (a: number[]) => Int32Array.from(a);

describe("classificationReport, binary", () => {
  // yTrue [0,0,1,1], p(pos) = [0.1,0.4,0.35,0.8], yPred = p >= 0.5 -> [0,0,0,1]
  // neg: tp 2, fp 1, fn 0 -> P 2/3, R 1, F1 4/5; pos: tp 1, fp 0, fn 1 -> P 1, R 1/2, F1 2/3
  // AUC 0.75 for both one-vs-rest views; AP(pos) = 1/2*1 + 1/2*2/3 = 5/6 and AP(neg) on p(neg) = [0.9,0.6,0.65,0.2] is also 5/6
  // sklearn: roc_auc_score(y, p1) = 0.75, average_precision_score(y, p1) = 0.8333..., log loss by hand below
  const p1 = [0.1, 0.4, 0.35, 0.8];
  const proba = Float64Array.from(p1.flatMap((p) => [1 - p, p]));
  const r = classificationReport(i32([0, 0, 1, 1]), i32([0, 0, 0, 1]), proba, ["neg", "pos"]);

  it("reports per-class scores, averages and confusion matrix", () => {
    expect(r.task).toBe("classification");
    expect(r.classes).toEqual(["neg", "pos"]);
    expect(r.accuracy).toBe(0.75);
    expect(r.confusionMatrix).toEqual([[2, 0], [1, 1]]);
    expect(r.perClass[0]).toMatchObject({ class: "neg", recall: 1, support: 2 });
    expect(r.perClass[0]!.precision).toBeCloseTo(2 / 3, 14);
    expect(r.perClass[0]!.f1).toBeCloseTo(0.8, 14);
    expect(r.perClass[1]).toMatchObject({ class: "pos", precision: 1, recall: 0.5, support: 2 });
    expect(r.perClass[1]!.f1).toBeCloseTo(2 / 3, 14);
    // macro F1 = (4/5 + 2/3) / 2 = 11/15
    expect(r.averages.macro.f1).toBeCloseTo(11 / 15, 14);
    expect(r.averages.micro).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(r.warnings).toEqual([]);
  });

  it("reports AUC / AP per class with the positive class named", () => {
    expect(r.rocAuc).toEqual({ perClass: { neg: 0.75, pos: 0.75 }, macro: 0.75, positiveClass: "pos" });
    expect(r.averagePrecision!.perClass.pos).toBeCloseTo(5 / 6, 14);
    expect(r.averagePrecision!.perClass.neg).toBeCloseTo(5 / 6, 14);
    expect(r.averagePrecision!.positiveClass).toBe("pos");
    // log loss = -(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8) / 4
    expect(r.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 12);
    expect(r.curves.roc.map((c) => c.class)).toEqual(["neg", "pos"]);
    expect(r.curves.roc[1]!.points).toEqual([
      { fpr: 0, tpr: 0 }, { fpr: 0, tpr: 0.5 }, { fpr: 0.5, tpr: 0.5 }, { fpr: 0.5, tpr: 1 }, { fpr: 1, tpr: 1 },
    ]);
    expect(r.curves.pr[1]!.points.at(-1)).toEqual({ recall: 0, precision: 1 });
    expect(r.curves.calibration).toHaveLength(2);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

/*
scikit-learn 1.2.1 on fixtures/sklearn-three-class.ts:
  accuracy_score(y, yp) = 0.35
  [roc_auc_score(y==c, P[:,c]) for c in range(3)], roc_auc_score(y, P, multi_class="ovr", average="macro")
  [average_precision_score(y==c, P[:,c]) ...], average_precision_score(label_binarize(y, classes=[0,1,2]), P, average="macro")
  log_loss(y, P, eps=1e-15)
*/
describe("classificationReport vs scikit-learn, 3 classes with tied scores", () => {
  const r = classificationReport(Int32Array.from(SK_Y), Int32Array.from(SK_YP), skProba(), ["a", "b", "c"]);

  it("matches AUC, AP, log loss, accuracy and averages", () => {
    expect(r.accuracy).toBeCloseTo(0.35, 15);
    const auc = [0.5427350427350428, 0.45054945054945056, 0.45584045584045585];
    ["a", "b", "c"].forEach((c, i) => expect(r.rocAuc!.perClass[c]).toBeCloseTo(auc[i]!, 14));
    expect(r.rocAuc!.macro).toBeCloseTo(0.48304164970831637, 14);
    expect(r.rocAuc!.positiveClass).toBeNull();
    const ap = [0.342737465396487, 0.3572056514913658, 0.34811918850380386];
    ["a", "b", "c"].forEach((c, i) => expect(r.averagePrecision!.perClass[c]).toBeCloseTo(ap[i]!, 14));
    expect(r.averagePrecision!.macro).toBeCloseTo(0.3493541017972189, 14);
    expect(r.logLoss).toBeCloseTo(1.1667287531878392, 13);
    expect(r.averages.macro.f1).toBeCloseTo(0.3463139329805997, 14);
    expect(r.averages.weighted.precision).toBeCloseTo(0.34586538461538463, 14);
    expect(r.confusionMatrix).toEqual([[6, 2, 5], [5, 5, 4], [4, 6, 3]]);
    // each displayed ROC curve's own AUC agrees with the headline value
    r.curves.roc.forEach((c, i) => expect(c.auc).toBeCloseTo(auc[i]!, 14));
  });
});

describe("classificationReport edge cases", () => {
  it("leaves out a class absent from both label arrays, with a warning", () => {
    const proba = Float64Array.from([0.9, 0.1, 0, 0.2, 0.8, 0, 0.6, 0.4, 0, 0.3, 0.7, 0]);
    const r = classificationReport(i32([0, 1, 0, 1]), i32([0, 1, 0, 1]), proba, ["a", "b", "c"]);
    expect(r.classes).toEqual(["a", "b"]);
    expect(r.confusionMatrix).toEqual([[2, 0], [0, 2]]);
    expect(Object.keys(r.rocAuc!.perClass)).toEqual(["a", "b"]);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: "absentClass", className: "c" })]);
    expect(r.averages.macro.f1).toBe(1);
  });

  it("reports AUC and AP as null (flagged) for a class that is only predicted", () => {
    // class c never occurs in y_true: recall of c is 0/0, its AUC and AP are undefined;
    // F1 of c is 2*0 / (2*0 + fn 0 + fp 1) = 0, well defined, so it is not flagged
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.3, 0.2, 0.5, 0.2, 0.7, 0.1, 0.1, 0.8, 0.1]);
    const r = classificationReport(i32([0, 0, 1, 1]), i32([0, 2, 1, 1]), proba, ["a", "b", "c"]);
    expect(r.classes).toEqual(["a", "b", "c"]);
    expect(r.rocAuc!.perClass.c).toBeNull();
    expect(r.averagePrecision!.perClass.c).toBeNull();
    // macro AUC averages the defined classes only: a = 1 (0.7, 0.3 vs 0.2, 0.1), b = 1 -> 1
    expect(r.rocAuc!.macro).toBe(1);
    const kinds = r.warnings.map((w) => `${w.kind}:${w.metric}:${w.className}`);
    expect(kinds).toEqual(["zeroDivision:recall:c", "undefinedMetric:rocAuc:c", "undefinedMetric:averagePrecision:c"]);
    expect(r.curves.roc.map((c) => c.class)).toEqual(["a", "b"]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("works without probabilities", () => {
    const r = classificationReport(i32([0, 1]), i32([0, 1]), null, ["x", "y"]);
    expect(r.rocAuc).toBeNull();
    expect(r.averagePrecision).toBeNull();
    expect(r.logLoss).toBeNull();
    expect(r.curves).toEqual({ roc: [], pr: [], calibration: [] });
  });

  it("rejects probabilities that are not normalised and duplicate class names", () => {
    expect(() => classificationReport(i32([0, 1]), i32([0, 1]), Float64Array.from([0.6, 0.6, 0.1, 0.9]), ["x", "y"])).toThrow(
      /row 0 sum to 1.2/,
    );
    expect(() => classificationReport(i32([0, 1]), i32([0, 1]), null, ["x", "x"])).toThrow(/unique/);
  });

  it("caps displayed curves at 200 points while AUC uses every threshold", () => {
    const rng = new Rng(5);
    const n = 5000;
    const y = new Int32Array(n), proba = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.int(2);
      const p = Math.min(1, Math.max(0, 0.5 + (y[i] ? 0.15 : -0.15) + 0.3 * rng.normal()));
      proba[2 * i] = 1 - p;
      proba[2 * i + 1] = p;
    }
    const yPred = Int32Array.from(y, (_, i) => (proba[2 * i + 1]! >= 0.5 ? 1 : 0));
    const r = classificationReport(y, yPred, proba, ["n", "p"]);
    const pos = Uint8Array.from(y);
    const scores = Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]!);
    expect(r.rocAuc!.perClass.p).toBe(rocAuc(pos, scores));
    for (const c of [...r.curves.roc, ...r.curves.pr]) expect(c.points.length).toBeLessThanOrEqual(200);
    expect(r.curves.roc[1]!.points[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(r.curves.roc[1]!.points.at(-1)).toEqual({ fpr: 1, tpr: 1 });
  });
});

describe("regressionReport via metrics entry point", () => {
  it("is exported and JSON-serialisable", () => {
    const r = regressionReport(Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 4]));
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    // MAE 1/3, RMSE sqrt(1/3), R² = 1 - 1/2 (SS_tot = 1+0+1)
    expect(r.r2).toBeCloseTo(0.5, 15);
  });
});
