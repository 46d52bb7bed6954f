import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { fitLogisticRegression } from "../../ml/logistic-regression";
import { stageHarness, tableOf } from "../testing";
import { applyEncodeScale, fitEncodeScale } from "../transform/encode-scale-core";
import { StageError } from "../types";
import { exportOnnx } from "./export-onnx";
import { featureMatrix, predictWithModel, type StudioModel } from "./predict-core";

const train = tableOf({
  age: [22, 35, 47, 51, 29, 63, 38, 44, 25, 58],
  city: ["oslo", "rome", "oslo", "lima", "rome", "lima", "oslo", "rome", "lima", "oslo"],
  bought: ["no", "yes", "yes", "yes", "no", "yes", "no", "yes", "no", "yes"],
});

function fitted() {
  const transform = fitEncodeScale(train, { target: "bought", oneHot: true, scaling: "minmax" });
  const encoded = applyEncodeScale(transform, train).table;
  const features = ["age", "city=lima", "city=oslo", "city=rome"];
  const y = Int32Array.from(train.columns[2]!.values as string[], (v) => (v === "yes" ? 1 : 0));
  const model: StudioModel = {
    format: "studio-model",
    version: 1,
    algorithm: "logistic-regression",
    task: "classification",
    target: "bought",
    targetKind: "string",
    features,
    classes: ["no", "yes"],
    state: fitLogisticRegression(featureMatrix(encoded, features), y, 2),
    trainedOn: { rows: 10 },
    backend: "cpu",
  };
  return { model, transform };
}

describe("export-onnx stage", () => {
  it("writes one ONNX artifact that predicts raw rows like the studio", async () => {
    const { model, transform } = fitted();
    const h = stageHarness();
    const out = await h.run(exportOnnx, {}, { model: h.putJson("model", model), transform: h.putJson("transform", transform) });
    expect(out.onnx.kind).toBe("onnx");
    expect(out.onnx.summary).toEqual({
      inputs: ["age", "city"],
      outputs: ["label", "probabilities"],
      opset: { "ai.onnx": 17, "ai.onnx.ml": 3 },
      bytes: out.onnx.size,
      algorithm: "logistic-regression",
      task: "classification",
    });

    const session = await ort.InferenceSession.create(h.store.read(out.onnx.hash));
    const test = tableOf({ age: [30, 61, 45], city: ["lima", "oslo", "paris"] });
    const result = await session.run({
      age: new ort.Tensor("float64", Float64Array.from([30, 61, 45]), [3, 1]),
      city: new ort.Tensor("string", ["lima", "oslo", "paris"], [3, 1]),
    });
    const expected = await predictWithModel(model, applyEncodeScale(transform, test).table);
    expect(result.label!.data).toEqual(expected.labels);
    Array.from(result.probabilities!.data as Float32Array).forEach((p, i) => expect(p).toBeCloseTo(expected.probabilities![i]!, 5));
  });

  it("without a transform: one matrix input, and a warning when the features look encoded", async () => {
    const { model } = fitted();
    const h = stageHarness();
    const out = await h.run(exportOnnx, {}, { model: h.putJson("model", model) });
    expect(out.onnx.summary.inputs).toEqual(["input"]);
    const warnings = h.events.filter((e) => e.type === "log" && e.level === "warn").map((e) => (e as { message: string }).message);
    expect(warnings).toEqual([expect.stringContaining("look one-hot encoded but no transform is connected")]);
  });

  it("a model type without an exporter is a clear StageError", async () => {
    const { model } = fitted();
    const h = stageHarness();
    const error = await h.run(exportOnnx, {}, { model: h.putJson("model", { ...model, algorithm: "svm", state: { kind: "svm" } }) }).catch((e) => e);
    expect(error).toBeInstanceOf(StageError);
    expect(error.message).toMatch(/^There is no ONNX exporter for 'svm' models yet; ONNX export supports .*'logistic-regression'/);
    expect(error.field).toBe("model");
  });

  it("rejects inputs that are not a model or not an Encode/Scale transform", async () => {
    const { model } = fitted();
    const h = stageHarness();
    await expect(h.run(exportOnnx, {}, { model: h.putJson("model", { hello: 1 }) })).rejects.toThrow(/not a studio model/);
    await expect(h.run(exportOnnx, {}, { model: h.putJson("model", model), transform: h.putJson("transform", { kind: "tfidf" }) })).rejects.toThrow(
      /not an Encode\/Scale transform/,
    );
  });
});
