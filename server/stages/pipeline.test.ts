import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getColumn } from "../artifacts/table";
import type { ClassificationReport } from "../ml/metrics";
import { clean } from "./transform/clean";
import { encodeScale } from "./transform/encode-scale";
import { evaluate } from "./model/evaluate";
import { loadCsv } from "./ingest/load-csv";
import { loadImages } from "./ingest/load-images";
import { makeShapesZip } from "./ingest/make-shapes-data";
import { exportOnnx } from "./model/export-onnx";
import { importOnnx } from "./model/import-onnx";
import { predict } from "./model/predict";
import { split } from "./transform/split";
import { stageHarness } from "./testing";
import { train } from "./model/train";
import { validate } from "./quality/validate";

/** The demo pipeline, stage by stage, on the bundled example data. */
describe("example pipelines", () => {
  it("churn: load, validate, clean, split, encode, train, evaluate, predict", async () => {
    const h = stageHarness();
    const raw = (await h.run(loadCsv, {})).table;
    expect(raw.summary.rows).toBe(1000);
    const checked = await h.run(
      validate,
      { rules: [{ column: "churn", allowed: ["yes", "no"] }, { column: "tenure_months", min: 0, max: 100 }, { column: "total_charges", maxMissingShare: 0.05 }] },
      { table: raw },
    );
    expect(checked.table).toEqual(raw);
    const cleaned = (await h.run(clean, {}, { table: checked.table })).table;
    expect(cleaned.summary.rows).toBe(997); // the 3 duplicates
    const parts = await h.run(split, { stratifyBy: "churn" }, { table: cleaned });
    const enc = await h.run(encodeScale, { target: "churn", exclude: ["customer_id"] }, { train: parts.train, test: parts.test });
    const model = (await h.run(train, { target: "churn", ignore: ["customer_id"] }, { train: enc.train })).model;
    expect(model.summary).toMatchObject({ features: 14, classes: 2 });
    const metrics = h.readJson<ClassificationReport>((await h.run(evaluate, {}, { model, table: enc.test })).metrics);
    // Labels come from a logistic function whose best reachable accuracy is ~0.8; the majority class is ~0.71.
    expect(metrics.accuracy).toBeGreaterThan(0.74);
    expect(metrics.accuracy).toBeLessThan(0.88);
    expect(metrics.rocAuc!.perClass.yes).toBeGreaterThan(0.75);

    const predicted = h.readTable((await h.run(predict, {}, { model, table: parts.test, transform: enc.transform })).table);
    expect(getColumn(predicted, "customer_id")).toBeDefined();
    expect(getColumn(predicted, "proba_yes")!.kind).toBe("number");
    // Predict with the transform on raw rows agrees with Evaluate on the pre-encoded rows.
    const labels = getColumn(predicted, "prediction")!.values as string[];
    const truth = getColumn(predicted, "churn")!.values as string[];
    const acc = labels.filter((l, i) => l === truth[i]).length / labels.length;
    expect(acc).toBeCloseTo(metrics.accuracy, 12);
  });

  it("iris: three classes with logistic regression", async () => {
    const h = stageHarness();
    const raw = (await h.run(loadCsv, { path: "examples/data/iris.csv" })).table;
    const parts = await h.run(split, { stratifyBy: "species", testSize: 0.3, seed: 1 }, { table: raw });
    const enc = await h.run(encodeScale, { target: "species" }, { train: parts.train, test: parts.test });
    const model = (await h.run(train, { target: "species" }, { train: enc.train })).model;
    const metrics = h.readJson<ClassificationReport>((await h.run(evaluate, {}, { model, table: enc.test })).metrics);
    expect(metrics.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(metrics.accuracy).toBeGreaterThan(0.85);
    expect(metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(45);
  });

  it("iris: an MLP through the TensorFlow.js backend", async () => {
    const h = stageHarness();
    const raw = (await h.run(loadCsv, { path: "examples/data/iris.csv" })).table;
    const parts = await h.run(split, { stratifyBy: "species", testSize: 0.3, seed: 1 }, { table: raw });
    const enc = await h.run(encodeScale, { target: "species" }, { train: parts.train, test: parts.test });
    const model = (await h.run(train, { target: "species", model: "mlp", hiddenLayers: [16], epochs: 80, learningRate: 0.02, batchSize: 16 }, { train: enc.train })).model;
    expect(model.summary.algorithm).toBe("mlp");
    const metrics = h.readJson<ClassificationReport>((await h.run(evaluate, {}, { model, table: enc.test })).metrics);
    expect(metrics.accuracy).toBeGreaterThan(0.85);
  });

  it("shapes: load images, split, CNN, evaluate, export ONNX, predict with the ONNX model", async () => {
    const h = stageHarness();
    const zip = path.join(h.dataDir, "shapes.zip");
    writeFileSync(zip, makeShapesZip(100, 9));
    const images = (await h.run(loadImages, { path: zip, width: 16, height: 16 })).table;
    expect(images.summary.rows).toBe(300);
    const parts = await h.run(split, { stratifyBy: "label", testSize: 0.25, seed: 2 }, { table: images });
    const cnn = { target: "label", ignore: ["file"], model: "cnn", convFilters: [8, 16], denseUnits: 32, epochs: 10, learningRate: 0.005, batchSize: 16 };
    const model = (await h.run(train, cnn, { train: parts.train })).model;
    expect(model.summary).toMatchObject({ algorithm: "cnn", features: 256, classes: 3 });
    const metrics = h.readJson<ClassificationReport & { permutationImportance: unknown[] }>((await h.run(evaluate, {}, { model, table: parts.test })).metrics);
    expect(metrics.classes).toEqual(["circle", "square", "triangle"]);
    expect(metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(75);
    expect(metrics.accuracy).toBeGreaterThan(0.6); // chance is 1/3; 225 small images and 10 epochs is a short fit
    expect(metrics.permutationImportance).toEqual([]); // 256 pixel features: skipped, with a log line saying why

    const onnx = (await h.run(exportOnnx, {}, { model })).onnx;
    const imported = (await h.run(importOnnx, { source: "upload", uploadId: onnx.hash }, {})).model;
    const viaOnnx = h.readTable((await h.run(predict, {}, { model: imported, table: parts.test })).table);
    const inProcess = h.readTable((await h.run(predict, {}, { model, table: parts.test })).table);
    expect(getColumn(viaOnnx, "prediction")!.values).toEqual(getColumn(inProcess, "prediction")!.values);

    // Without leaving out the file-name column, Train says what to do.
    const error = await h.run(train, { ...cnn, ignore: [] }, { train: parts.train }).catch((e) => e);
    expect(error.message).toMatch(/Column 'file' holds text.*leave the column out/);
  }, 60_000);
});
