import { describe, expect, it } from "vitest";
import { MlInputError } from "./errors";
import { fitKnn, kNeighbors, predictKnn } from "./knn";
import { fromRows } from "./matrix";

/*
Reference (scikit-learn 1.2.1, /usr/bin/python3):
  rng = np.random.default_rng(11)
  X = rng.normal(size=(30,3)).round(2); y = rng.integers(0,3,size=30)
  yr = (X[:,0]*2 - X[:,1] + rng.normal(scale=0.1,size=30)).round(2); Q = rng.normal(size=(6,3)).round(2)
  for w in ['uniform','distance']:
    KNeighborsClassifier(5, weights=w, algorithm='brute').fit(X,y).predict_proba(Q)
    KNeighborsRegressor(5, weights=w, algorithm='brute').fit(X,yr).predict(Q)
  KNeighborsClassifier(5, algorithm='brute').fit(X,y).kneighbors(Q[:2])[1]
*/
const X = fromRows([[0.03, 1.36, 1.22], [-0.51, -0.3, -0.53], [0.57, -0.06, 0.75], [-1.85, 1.57, -0.1], [0.68, -0.14, -0.38], [0.46, 0.82, -0.2], [-0.15, 0.69, -0.87], [-1.51, 0.39, -0.67], [-1.92, -0.81, -0.47], [-1.19, -1.49, 0.04], [0.9, -0.23, -0.74], [0.38, 0.72, -0.3], [0.54, 1.04, -0.21], [-0.81, 0.35, 0.25], [1.1, -1.28, -0.66], [-0.84, -1.73, 0.13], [0.53, -0.74, 1.39], [0.82, 0.63, 0.4], [0.96, -1.33, 0.61], [0.6, -1.77, 0.35], [-0.25, 0.78, -0.44], [-0.02, 0.34, -0.88], [0.6, -0.1, 0.49], [-0.52, 1.09, 0.61], [-0.18, 0.63, 1.26], [1.79, -1.57, 0.88], [0.47, -0.09, -1.01], [1.26, -1.26, 0.57], [1.3, -1.6, -0.3], [-1.31, 0.24, 1.51]]);
const y = Int32Array.from([0, 2, 0, 2, 0, 1, 0, 1, 2, 2, 2, 2, 1, 2, 1, 0, 1, 1, 0, 0, 1, 1, 1, 2, 2, 2, 0, 2, 1, 0]);
const yr = Float64Array.from([-1.43, -0.77, 1.32, -5.29, 1.36, 0.23, -0.94, -3.2, -3.02, -0.94, 1.89, 0.17, 0.3, -2.05, 3.42, 0.11, 1.72, 0.98, 3.22, 2.99, -1.17, -0.38, 1.39, -2.17, -0.96, 4.94, 0.89, 3.86, 4.14, -2.8]);
const Q = fromRows([[0.54, 1.32, 0.81], [1.02, -0.11, -0.7], [-0.73, -0.49, -1.13], [-0.55, -0.09, 0.25], [-0.34, -1.92, -0.07], [0.23, 1.08, 0.58]]);

const SK = {
  uniformProba: [[0.2, 0.4, 0.4], [0.4, 0.2, 0.4], [0.4, 0.4, 0.2], [0.2, 0.4, 0.4], [0.6, 0.2, 0.2], [0.2, 0.6, 0.2]],
  uniformReg: [-0.656, 0.786, -0.88, -0.256, 1.76, -0.418],
  distanceProba: [
    [0.278966813946, 0.388053513657, 0.332979672397], [0.331628252245, 0.077685963666, 0.590685784089],
    [0.324991821208, 0.357060794335, 0.317947384457], [0.142274784385, 0.300343549846, 0.557381665769],
    [0.671375191137, 0.119293557831, 0.209331251031], [0.216167838337, 0.57458427486, 0.209247886803],
  ],
  distanceReg: [-0.656505383241, 1.334902632942, -0.854102528798, -0.649593806721, 1.235479018459, -0.46380262954],
};

describe("k-nearest neighbours", () => {
  it("finds scikit-learn's neighbours in distance order", () => {
    const { index } = kNeighbors(fitKnn(X, y, "classification", 3), fromRows([Q.data.subarray(0, 3), Q.data.subarray(3, 6)]));
    expect(Array.from(index)).toEqual([0, 17, 12, 24, 23, 10, 4, 26, 11, 21]);
  });

  for (const weights of ["uniform", "distance"] as const) {
    it(`matches scikit-learn with weights='${weights}' (classification and regression)`, () => {
      const proba = predictKnn(fitKnn(X, y, "classification", 3, { weights }), Q);
      const want = weights === "uniform" ? SK.uniformProba : SK.distanceProba;
      want.flat().forEach((v, i) => expect(proba[i]).toBeCloseTo(v, 11));
      const reg = predictKnn(fitKnn(X, yr, "regression", null, { weights }), Q);
      (weights === "uniform" ? SK.uniformReg : SK.distanceReg).forEach((v, i) => expect(reg[i]).toBeCloseTo(v, 11));
    });
  }

  it("tiles the search: many rows give the same answer as one row at a time and as a plain scan", () => {
    // 40 features -> tiles of 408 training rows: 703 rows make two tiles, the second with a 3-row remainder;
    // 150 queries make 3 query blocks with a 2-row remainder after the 4-query kernel.
    const n = 703;
    const d = 40;
    const feature = (i: number, j: number) => Math.sin(i * 1.7 + j * 0.37) + ((i * (j + 3)) % 13) / 13;
    const big = fromRows(Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => feature(i, j))));
    const labels = Float64Array.from({ length: n }, (_, i) => i % 7);
    const state = fitKnn(big, labels, "regression", null, { nNeighbors: 3, weights: "distance" });
    const queries = fromRows(Array.from({ length: 150 }, (_, i) => Array.from({ length: d }, (_, j) => feature(i + 0.5, j))));
    const all = predictKnn(state, queries);
    for (const i of [0, 63, 64, 147, 148, 149]) {
      const one = predictKnn(state, fromRows([queries.data.subarray(i * d, (i + 1) * d)]));
      expect(all[i]).toBe(one[0]);
    }
    const { index, dist2 } = kNeighbors(state, queries);
    for (const i of [0, 149]) {
      const q = queries.data.subarray(i * d, (i + 1) * d);
      const d2 = Array.from({ length: n }, (_, t) => q.reduce((s, v, j) => s + (v - big.data[t * d + j]) ** 2, 0));
      const order = d2.map((v, t) => [v, t]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, 3);
      expect(Array.from(index.subarray(i * 3, i * 3 + 3))).toEqual(order.map(([, t]) => t));
      order.forEach(([v], j) => expect(dist2[i * 3 + j]).toBe(v));
      const w = order.map(([v]) => 1 / Math.sqrt(v));
      const ref = order.reduce((s, [, t], j) => s + w[j] * labels[t], 0) / w.reduce((a, b) => a + b, 0);
      expect(all[i]).toBeCloseTo(ref, 12);
    }
  });

  it("distance weights: an exact match takes all the weight; ties keep the earlier row", () => {
    const Xs = fromRows([[0], [1], [1], [3]]);
    const state = fitKnn(Xs, Int32Array.from([0, 1, 0, 1]), "classification", 2, { nNeighbors: 3, weights: "distance" });
    // query 1: rows 1 and 2 at distance 0 share the vote equally, row 0 at distance 1 gets none
    expect(Array.from(predictKnn(state, fromRows([[1]])))).toEqual([0.5, 0.5]);
    const { index } = kNeighbors({ ...state, nNeighbors: 2 }, fromRows([[2]]));
    expect(Array.from(index)).toEqual([1, 2]); // rows 1, 2 and 3 are all at distance 1
  });

  it("errors: nNeighbors larger than the training set, and a feature mismatch", () => {
    expect(() => fitKnn(fromRows([[0], [1]]), [0, 1], "classification", 2)).toThrow(/nNeighbors is 5 but there are only 2 training rows/);
    const state = fitKnn(X, y, "classification", 3);
    expect(() => predictKnn(state, fromRows([[1, 2]]))).toThrow(MlInputError);
    expect(() => fitKnn(fromRows([[0], [Infinity], [1], [2], [3]]), [0, 1, 0, 1, 0], "classification", 2, { featureNames: ["f"] })).toThrow(
      "column 'f' has Infinity at row 1",
    );
  });
});
